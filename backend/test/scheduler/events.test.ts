import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postCreated, userChanged } from "../../src/scheduler/events.ts";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const NOW = new Date("2026-03-01T12:00:00.000Z");

describe(`event triggers (${testDatabaseKind()})`, () => {
  it("queues content-features for a created post, and match-scores for a changed user, once each", async () => {
    const post = await postCreated(db, "post-1", NOW);
    const quiz = await userChanged(db, "user-1", "quiz", NOW);
    const location = await userChanged(db, "user-1", "location", new Date(NOW.getTime() + 1_000));
    expect(location).toEqual({ id: quiz.id, created: false });
    const requests = await db.prisma.jobRequest.findMany({ orderBy: { jobName: "asc" } });
    expect(requests.map((r) => [r.id, r.jobName, r.scope, r.reason, r.status])).toEqual([
      [post.id, "content-features", { postId: "post-1" }, "post created", "PENDING"],
      [quiz.id, "match-scores", { userId: "user-1" }, "quiz updated", "PENDING"],
    ]);
  });
});
