import type { Database } from "@feed-jobs/db";
import { createTestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll } from "vitest";
import { seedDemoData } from "../../src/demo/index.ts";
import { contentFeaturesJob } from "../../src/jobs/contentFeatures/job.ts";
import { runForTest } from "./run.ts";

/**
 * A new test database holding the demo population of `users` people as of `now`, with every
 * post's features (the topics compatibility and affinity read); and the people's ids in order.
 */
async function demoPopulation(now: Date, users = 40) {
  const db: Database = await createTestDatabase();
  await seedDemoData(db, { users, now });
  await runForTest(db, contentFeaturesJob, now, { all: true });
  const people = await db.prisma.user.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  return { db, userIds: people.map((u) => u.id) };
}

/** `demoPopulation` opened before the file's tests and closed after them. */
export function useDemoPopulation(now: Date, users = 40) {
  const demo = {} as Awaited<ReturnType<typeof demoPopulation>>;
  beforeAll(async () => {
    Object.assign(demo, await demoPopulation(now, users));
  }, 300_000);
  afterAll(async () => {
    await demo.db?.close();
  });
  return demo;
}
