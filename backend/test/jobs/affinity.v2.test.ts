import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { computeAsOf } from "@feed-jobs/jobs";
import type { AffinityProfile } from "@feed-jobs/scoring/affinity";
import { describe, expect, it } from "vitest";
import { affinityJob } from "../../src/jobs/affinity/job.ts";
import { type Fixtures, useTestDatabase } from "../support/database.ts";
import { daysBefore, insertPostFeatures } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

const NOW = new Date("2026-03-01T12:00:00Z");
const V2 = { algorithm: "affinity-v2" };

let db: Database;
let f: Fixtures;

/** A post with its tags and the topics content-features would have found (tags and caption). */
async function post(id: string, authorId: string, tags: string[], topics: string[], daysAgo = 30) {
  await f.post({ id, authorId, tags, createdAt: daysBefore(NOW, daysAgo) });
  await insertPostFeatures(db, [{ postId: id, topics }]);
}

const profiles = async () =>
  (await db.prisma.userAffinityProfile.findMany({ orderBy: { userId: "asc" } })).map((p) => ({
    userId: p.userId,
    topics: (p.topTopics as { tag: string }[]).map((t) => t.tag),
    topCreators: p.topCreators,
    interactionCount: p.interactionCount,
    version: p.algorithmVersion,
  }));
const topicsOf = async (userId: string) =>
  (await profiles()).find((p) => p.userId === userId)?.topics ?? null;
const run = (overrides: Record<string, unknown> = {}) =>
  runForTest(db, affinityJob, NOW, { mode: "full" }, overrides);

describe(`affinity-v2 beside affinity-v1 (${testDatabaseKind()})`, () => {
  useTestDatabase(NOW, "file", async (opened, fixtures) => {
    db = opened;
    f = fixtures;
    for (const id of ["viewer", "surfer", "walker", "fan1", "fan2", "poster"]) await f.user({ id });
    // "surf" is the post's tag, "berlin" a word of its caption; "francisco" is caption only.
    await post("p-surf", "surfer", ["#Surfing"], ["surf", "berlin"]);
    await post("p-walk", "walker", [], ["francisco"]);
    // The viewer's own post, two days old, liked and commented on by fans.
    await post("p-own", "viewer", ["pottery"], ["pottery"], 2);
    // Someone who only posts: three posts, no engagement at all.
    for (const i of [1, 2, 3]) await post(`p-poster${i}`, "poster", ["chess"], ["chess"], i);
    await f.events([
      { actorId: "viewer", type: "LIKE", postId: "p-surf", at: daysBefore(NOW, 1) },
      { actorId: "viewer", type: "LIKE", postId: "p-walk", at: daysBefore(NOW, 1) },
      { actorId: "fan1", type: "LIKE", postId: "p-own", at: daysBefore(NOW, 1) },
      { actorId: "fan2", type: "COMMENT", postId: "p-own", at: daysBefore(NOW, 1) },
    ]);
  });

  it("runs v1 by default: two likes are a cold start, and every topic of a post counts in full", async () => {
    const summary = await run();
    expect(summary.metadata).toMatchObject({ mode: "full" });
    expect(await profiles()).toEqual([]);
    await run({ minInteractions: 2 });
    const rows = await profiles();
    expect(rows.map((r) => [r.userId, r.version])).toEqual([["viewer", "affinity-v1"]]);
    expect(await topicsOf("viewer")).toEqual(["berlin", "francisco", "surf"]);
  });

  it("v2: tags above caption words, own posts and their engagement count, a profile from 3 actions or posts", async () => {
    await run(V2);
    const rows = await profiles();
    expect(rows.map((r) => [r.userId, r.version, r.interactionCount])).toEqual([
      ["poster", "affinity-v2", 3],
      ["viewer", "affinity-v2", 3],
    ]);
    expect(await topicsOf("viewer")).toEqual(["pottery", "surf", "berlin", "francisco"]);
    expect(await topicsOf("poster")).toEqual(["chess"]);
    const lastRun = await db.prisma.jobRun.findFirst({ orderBy: { startedAt: "desc" } });
    expect(lastRun?.algorithmVersion).toBe("affinity-v2");
  });

  it("wires every v2 key (nested config group v2)", async () => {
    await run({ ...V2, v2: { captionTopicWeight: 1, ownPostWeight: 0, receivedWeight: 0 } });
    expect(await topicsOf("viewer")).toEqual(["berlin", "francisco", "surf"]);
    // Writing the post alone (2 like-units, two days old) puts it first.
    await run({ ...V2, v2: { receivedWeight: 0 } });
    expect(await topicsOf("viewer")).toEqual(["pottery", "surf", "berlin", "francisco"]);
    // So does the engagement it received alone (a like and a comment: 3 like-units).
    await run({ ...V2, v2: { ownPostWeight: 0, receivedWeight: 1 } });
    expect(await topicsOf("viewer")).toEqual(["pottery", "surf", "berlin", "francisco"]);
    await run({ ...V2, v2: { ownPostWeight: 0, receivedWeight: 0 } });
    expect(await topicsOf("viewer")).toEqual(["surf", "berlin", "francisco"]);
    await run({ ...V2, v2: { minInteractions: 4 } });
    expect(await profiles()).toEqual([]);
  });

  it("v1 again writes exactly v1's rows", async () => {
    await run({ minInteractions: 2 });
    const first = await profiles();
    await run(V2);
    await run({ minInteractions: 2 });
    expect(await profiles()).toEqual(first);
  });

  it("a dry run as of now hands the rows a real run writes to collect, and writes nothing", async () => {
    await run(V2);
    const written = await profiles();
    const runsBefore = await db.prisma.jobRun.count();
    const collected: AffinityProfile[] = [];
    await computeAsOf(db, affinityJob, {
      asOf: NOW,
      overrides: V2,
      collect: (rows) => collected.push(...(rows as AffinityProfile[])),
    });
    expect(
      collected
        .map((p) => ({ userId: p.userId, topics: p.topTopics.map((t) => t.tag) }))
        .sort((a, b) => (a.userId < b.userId ? -1 : 1)),
    ).toEqual(written.map((p) => ({ userId: p.userId, topics: p.topics })));
    expect(await profiles()).toEqual(written);
    expect(await db.prisma.jobRun.count()).toBe(runsBefore);
  });
});
