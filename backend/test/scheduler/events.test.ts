import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { listRequests, openQueue, type Queue, runQueue } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postCreated, userChanged } from "../../src/scheduler/events.ts";

let db: Database;
let queue: Queue;
beforeAll(async () => {
  db = await createTestDatabase();
  queue = await openQueue(db, ["content-features", "match-scores"]);
});
afterAll(async () => {
  await queue.stop({ graceful: false, wait: true });
  await db.close();
});

const NOW = new Date("2026-03-01T12:00:00.000Z");
const later = (ms: number) => new Date(NOW.getTime() + ms);

describe(`event triggers (${testDatabaseKind()})`, () => {
  it("queues content-features for a created post, and match-scores for a changed user, once while queued", async () => {
    const post = await postCreated(queue, "post-1", NOW);
    const quiz = await userChanged(queue, "user-1", "quiz", NOW);
    const location = await userChanged(queue, "user-1", "location", later(1_000));
    expect(location).toEqual({ id: quiz.id, created: false });
    const requests = await listRequests(db);
    const shown = requests.map((r) => [r.id, r.job, r.message.options, r.message.reason, r.state]);
    expect(shown.sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
      [post.id, "content-features", { postId: "post-1" }, "post created", "created"],
      [quiz.id, "match-scores", { userId: "user-1" }, "quiz updated", "created"],
    ]);
  });

  it("queues a new request for a user whose previous one a worker has started", async () => {
    const [started] = await queue.fetch(runQueue("match-scores"));
    const changed = await userChanged(queue, "user-1", "profile", later(2_000));
    expect(changed.created).toBe(true);
    expect(changed.id).not.toBe(started?.id);
    expect((await queue.fetch(runQueue("match-scores")))[0]?.data).toMatchObject({
      trigger: "EVENT",
      options: { userId: "user-1" },
      reason: "profile updated",
      requestedAt: later(2_000).toISOString(),
    });
  });
});
