import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyText } from "../src/copy-rows.ts";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "../src/testing.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.$executeRawUnsafe(
    `CREATE TABLE copied (id text PRIMARY KEY, score float8, reasons jsonb, at timestamp(3), note text)`,
  );
}, 180_000);
afterAll(async () => {
  await db?.close();
});

const TARGET = { table: "copied", columns: ["id", "score", "reasons", "at", "note"] };

describe(`copyRows (${testDatabaseKind()})`, () => {
  it("writes every value back as given: escapes, nulls, exact floats, JSON, timestamps", async () => {
    const at = new Date("2026-06-01T12:34:56.789Z");
    const awkward = 'tab\there, line\nbreak, cr\r, back\\slash, "quote", \\N, ünï';
    const reasons = ["quiz", 'say "hi"\\', "a\tb"];
    const rows = [
      ["a", 0.1 + 0.2, JSON.stringify(reasons), at, awkward],
      ["b", -1e-300, "[]", at, null],
      ["c\\d", 1 / 3, JSON.stringify({ k: "v\nw" }), at, ""],
    ];
    expect(await db.copyRows(TARGET, rows)).toBe(3);
    const back = await db.prisma.$queryRawUnsafe<
      { id: string; score: number; reasons: unknown; at: Date; note: string | null }[]
    >("SELECT id, score, reasons, at, note FROM copied ORDER BY id");
    expect(back).toEqual([
      { id: "a", score: 0.1 + 0.2, reasons, at, note: awkward },
      { id: "b", score: -1e-300, reasons: [], at, note: null },
      { id: "c\\d", score: 1 / 3, reasons: { k: "v\nw" }, at, note: "" },
    ]);
  });

  it("fails whole on a bad row and copies nothing", async () => {
    await expect(
      db.copyRows(TARGET, [
        ["x", 1, "[]", null, null],
        ["a", 2, "[]", null, null],
      ]),
    ).rejects.toThrow(/duplicate key/);
    expect(await db.prisma.$queryRawUnsafe("SELECT id FROM copied WHERE id = 'x'")).toEqual([]);
  });

  it("refuses a number it cannot write", () => {
    expect(() => copyText([[Number.NaN]])).toThrow("COPY: NaN is not a finite number");
  });
});
