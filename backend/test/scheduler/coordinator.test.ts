import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseCoordinator } from "../../src/scheduler/coordinator.ts";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const T0 = new Date("2026-03-01T03:00:00.000Z");
const clock = () => T0;

describe(`database run coordinator (${testDatabaseKind()})`, () => {
  it("elects exactly one of many instances asking for the same tick at once", async () => {
    const instances = ["a", "b", "c", "d", "e"].map((owner) =>
      databaseCoordinator(db, owner, clock),
    );
    const key = "trending/every-15-min:2026-03-01T03:00:00.000Z";
    const answers = await Promise.all(instances.map((instance) => instance.shouldRun(key, 30_000)));
    expect(answers.filter(Boolean)).toHaveLength(1);
    const claim = await db.prisma.schedulerTick.findUniqueOrThrow({ where: { key } });
    expect(claim.claimedBy).toBe(["a", "b", "c", "d", "e"][answers.indexOf(true)]);
    expect(claim.claimedAt).toEqual(T0);
  });

  it("elects an instance for every new tick, and records when the tick's task finished", async () => {
    const a = databaseCoordinator(db, "a", clock);
    const b = databaseCoordinator(db, "b", () => new Date(T0.getTime() + 1_000));
    expect(await a.shouldRun("job/x:2026-03-01T03:00:00.000Z", 30_000)).toBe(true);
    expect(await b.shouldRun("job/x:2026-03-01T03:00:00.000Z", 30_000)).toBe(false);
    expect(await b.shouldRun("job/x:2026-03-01T03:00:01.000Z", 30_000)).toBe(true);
    await b.onComplete?.("job/x:2026-03-01T03:00:01.000Z");
    const done = await db.prisma.schedulerTick.findUniqueOrThrow({
      where: { key: "job/x:2026-03-01T03:00:01.000Z" },
    });
    expect(done.completedAt).toEqual(new Date(T0.getTime() + 1_000));
  });
});
