import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { computeAsOf } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CollectedFeatures } from "../../src/jobs/contentFeatures/batch.ts";
import { contentFeaturesJob } from "../../src/jobs/contentFeatures/job.ts";
import { daysBefore, fixtures, hoursBefore } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

/**
 * content-features-v3 beside the default v2: choosing it rescores every post once and writes
 * v3 rows whose tags lead their topics; v2 again gives v2's rows exactly; each version's own
 * keys rescore only its own rows; a computeAsOf dry run collects every post and writes nothing.
 */

const now = new Date("2026-03-01T12:00:00Z");
const V2 = "content-features-v2";
const V3 = "content-features-v3";
let db: Database;

beforeAll(async () => {
  db = await createTestDatabase();
  const f = fixtures(db, now);
  await f.user({ id: "author" });
  // The caption repeats "coffee" four times: v2 ranks it (4) above the tag (3).
  await f.post({
    id: "p-coffee",
    authorId: "author",
    caption: "Coffee, coffee, coffee and more coffee before the long run",
    tags: ["Running"],
    createdAt: daysBefore(now, 2),
  });
  await f.post({
    id: "p-words",
    authorId: "author",
    caption: "Sunset over the harbour, boats, gulls, fishermen and a lighthouse",
    tags: [],
    createdAt: daysBefore(now, 1),
  });
});
afterAll(async () => {
  await db.close();
});

const run = (overrides: Record<string, unknown> = {}, at = now) =>
  runForTest(db, contentFeaturesJob, at, {}, overrides);
const rows = () =>
  db.prisma.postFeatures.findMany({
    orderBy: { postId: "asc" },
    select: {
      postId: true,
      topics: true,
      quality: true,
      nsfw: true,
      sentiment: true,
      metadata: true,
      inputHash: true,
      algorithmVersion: true,
    },
  });
/** The version its JobRun row records. */
const versionOf = async (summary: { runId: string }) =>
  (await db.prisma.jobRun.findUnique({ where: { id: summary.runId } }))?.algorithmVersion;
const topicsOf = async (postId: string) =>
  (await db.prisma.postFeatures.findUnique({ where: { postId } }))?.topics;

describe(`content-features versions side by side (${testDatabaseKind()})`, () => {
  let v2Rows: Awaited<ReturnType<typeof rows>>;

  it("runs v2 by default: a word the caption repeats outranks the post's tag", async () => {
    const summary = await run();
    expect(await versionOf(summary)).toBe(V2);
    v2Rows = await rows();
    expect(v2Rows.map((r) => r.algorithmVersion)).toEqual([V2, V2]);
    expect((await topicsOf("p-coffee"))?.slice(0, 2)).toEqual(["coffee", "run"]);
  });

  it("with --algorithm content-features-v3 rescores every post once and puts tags first", async () => {
    const later = hoursBefore(now, -1);
    const summary = await run({ algorithm: V3 }, later);
    expect(await versionOf(summary)).toBe(V3);
    expect(summary.result).toMatchObject({ mode: "changed", selected: 2, computed: 2 });
    const v3Rows = await rows();
    expect(v3Rows.map((r) => r.algorithmVersion)).toEqual([V3, V3]);
    expect(await topicsOf("p-coffee")).toEqual(["run", "coffee"]);
    // No tags: at most maxCaptionTopics (3) caption words.
    expect(await topicsOf("p-words")).toHaveLength(3);
    // Only topics differ: quality, nsfw and sentiment are v2's.
    expect(v3Rows.map((r) => [r.quality, r.nsfw, r.sentiment])).toEqual(
      v2Rows.map((r) => [r.quality, r.nsfw, r.sentiment]),
    );
    expect((await run({ algorithm: V3 }, later)).result).toMatchObject({ selected: 0 });
  });

  it("rescores v3 rows when a v3 key changes, and v2 again gives v2's rows exactly", async () => {
    const later = hoursBefore(now, -2);
    const tagsOnly = { algorithm: V3, v3: { captionTopicWeight: 0 } };
    expect((await run(tagsOnly, later)).result).toMatchObject({ selected: 2, computed: 2 });
    expect(await topicsOf("p-coffee")).toEqual(["run"]);
    expect(await topicsOf("p-words")).toEqual([]);
    expect((await run(tagsOnly, later)).result).toMatchObject({ selected: 0 });

    expect((await run({}, later)).result).toMatchObject({ selected: 2, computed: 2 });
    expect(await rows()).toEqual(v2Rows);
    // v3's keys do not shape v2 rows: changing them rescores nothing under v2.
    expect((await run({ v3: { maxCaptionTopics: 0 } }, later)).result).toMatchObject({
      selected: 0,
    });
  });

  it("computes every post as of a time in a dry run (computeAsOf), writing nothing", async () => {
    const before = { rows: await rows(), runs: await db.prisma.jobRun.count() };
    const collected: CollectedFeatures[] = [];
    const at = hoursBefore(now, -3);
    const result = await computeAsOf(db, contentFeaturesJob, {
      asOf: at,
      overrides: { algorithm: V3 },
      collect: (batch) => collected.push(...(batch as CollectedFeatures[])),
    });
    expect(result).toMatchObject({ version: V3, processed: 2, failed: 0 });
    expect({ rows: await rows(), runs: await db.prisma.jobRun.count() }).toEqual(before);
    // Both posts, although their v2 rows are unchanged (a full run computes every post), with
    // the topics a real v3 run writes.
    await run({ algorithm: V3 }, at);
    const written = await rows();
    expect(collected.map((r) => [r.postId, r.topics, r.quality])).toEqual(
      written.map((r) => [r.postId, r.topics, r.quality]),
    );
    expect(collected[0]?.topics).toEqual(["run", "coffee"]);
    // As of before p-words was created, only p-coffee exists.
    const early: CollectedFeatures[] = [];
    await computeAsOf(db, contentFeaturesJob, {
      asOf: hoursBefore(now, 36),
      collect: (batch) => early.push(...(batch as CollectedFeatures[])),
    });
    expect(early.map((r) => r.postId)).toEqual(["p-coffee"]);
  });
});
