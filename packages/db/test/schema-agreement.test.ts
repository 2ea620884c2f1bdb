import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/database.ts";
import { Prisma } from "../src/generated/prisma/client.ts";
import { createTestDatabase } from "../src/testing.ts";
import { modelFixtures } from "./model-fixtures.ts";

/**
 * schema.prisma and the migrations must describe the same database: every model's
 * columns exist exactly (no more, no fewer), and every model round-trips through the
 * generated client with every field set.
 */

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

interface RuntimeField {
  name: string;
  kind: string;
  dbName?: string;
}
interface RuntimeModel {
  fields: RuntimeField[];
  dbName: string | null;
}
function runtimeModels(): Record<string, RuntimeModel> {
  const client = db.prisma as unknown as {
    _runtimeDataModel: { models: Record<string, RuntimeModel> };
  };
  return client._runtimeDataModel.models;
}

describe("schema.prisma agrees with the migrations", () => {
  it("has a round-trip fixture for every model", () => {
    expect(Object.keys(modelFixtures).sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });

  it.each(Object.values(Prisma.ModelName))(
    "%s: the table has exactly the model's columns",
    async (model) => {
      const spec = runtimeModels()[model];
      expect(spec).toBeDefined();
      const table = spec?.dbName ?? model;
      const expected = (spec?.fields ?? [])
        .filter((f) => f.kind === "scalar" || f.kind === "enum")
        .map((f) => f.dbName ?? f.name)
        .sort();
      const columns = await db.prisma.$queryRaw<{ name: string }[]>`
      SELECT column_name AS name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ${table}`;
      expect(columns.map((c) => c.name).sort()).toEqual(expected);
    },
  );

  it("round-trips every model through the generated client", async () => {
    for (const fixture of Object.values(modelFixtures)) {
      await fixture.create(db.prisma);
      const read = await fixture.read(db.prisma);
      expect(read).toEqual(fixture.expected);
    }
  });
});
