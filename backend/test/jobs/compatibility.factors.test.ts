import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daysBefore, fixtures } from "../support/fixtures.ts";
import {
  addUsers,
  type Fixtures,
  now,
  pairOf,
  run,
  suggest,
  thread,
  topicPost,
} from "./compatibility.support.ts";

// One database for the file: each test builds its own users and reads only its own pairs.
let db: Database;
let f: Fixtures;
beforeAll(async () => {
  db = await createTestDatabase();
  f = fixtures(db, now);
});
afterAll(async () => {
  await db.close();
});

const users = (...ids: string[]) => addUsers(f, ...ids);

describe(`compatibility job: factors from hand-built timelines (${testDatabaseKind()})`, () => {
  it("measures reply latency in SQL: only a change of sender is a reply", async () => {
    await users("lat-a", "lat-b");
    await thread(f, "lat", [
      { from: "lat-a", to: "lat-b", minutesAgo: 1000 },
      { from: "lat-a", to: "lat-b", minutesAgo: 990 }, // a follow-up, not a reply
      { from: "lat-b", to: "lat-a", minutesAgo: 980 }, // reply after 10 min
      { from: "lat-a", to: "lat-b", minutesAgo: 950 }, // reply after 30 min
      { from: "lat-b", to: "lat-a", minutesAgo: 930 }, // reply after 20 min
      { from: "lat-b", to: "lat-a", minutesAgo: 100 },
      { from: "lat-a", to: "lat-b", minutesAgo: 60 }, // reply after 40 min
    ]);
    await run(db, { userId: "lat-a" });
    const { communication } = (await pairOf(db, "lat-a", "lat-b")).factors;
    expect(communication).toMatchObject({ sent: 4, received: 3, replies: 4, balance: 0.75 });
    expect(communication.medianReplyMinutes).toBe(25);
    // Quartiles 17.5 and 32.5 minutes.
    expect(communication.replyConsistency).toBeCloseTo(17.5 / 32.5, 4);
    expect(communication.daysSinceLastMessage).toBeCloseTo(1 / 24, 4);
  });

  it("leaves latency undefined when nobody replied", async () => {
    await users("one-a", "one-b");
    await thread(f, "one", [
      { from: "one-a", to: "one-b", minutesAgo: 300 },
      { from: "one-a", to: "one-b", minutesAgo: 200 },
    ]);
    await run(db, { userId: "one-b" });
    const { communication } = (await pairOf(db, "one-b", "one-a")).factors;
    expect(communication).toMatchObject({
      sent: 0,
      received: 2,
      balance: 0,
      replies: 0,
      medianReplyMinutes: null,
      replyConsistency: null,
      responsiveness: 0,
    });
  });

  it("splits interactions into the recent window and the earlier rest of the lookback", async () => {
    await users("tr-a", "tr-b");
    await f.post({ id: "tr-post", authorId: "tr-b", createdAt: daysBefore(now, 89) });
    await thread(f, "tr", [
      { from: "tr-a", to: "tr-b", minutesAgo: 80 * 1440 },
      { from: "tr-b", to: "tr-a", minutesAgo: 30 * 1440 }, // exactly recentDays ago: earlier
      { from: "tr-a", to: "tr-b", minutesAgo: 29 * 1440 },
    ]);
    await f.events([
      { actorId: "tr-a", type: "LIKE", postId: "tr-post", at: daysBefore(now, 2) },
      { actorId: "tr-b", type: "PROFILE_VIEW", targetUserId: "tr-a", at: daysBefore(now, 1) },
      // Exposure is not interaction.
      { actorId: "tr-a", type: "IMPRESSION", postId: "tr-post", at: daysBefore(now, 1) },
    ]);
    await f.event({ actorId: "tr-a", type: "LIKE", postId: "tr-post", at: daysBefore(now, 50) });
    // A pair whose mutual actions all lie in the earlier window has faded.
    await users("tr-c", "tr-d");
    await f.events([
      { actorId: "tr-c", type: "PROFILE_VIEW", targetUserId: "tr-d", at: daysBefore(now, 40) },
      { actorId: "tr-d", type: "PROFILE_VIEW", targetUserId: "tr-c", at: daysBefore(now, 45) },
    ]);
    await run(db, { userId: "tr-a" });
    await run(db, { userId: "tr-c" });
    const { trajectory, interaction } = (await pairOf(db, "tr-a", "tr-b")).factors;
    expect(trajectory).toMatchObject({ recent: 3, earlier: 3 });
    // 3 per 30 days against 3 per 60 days.
    expect(trajectory.growth).toBeCloseTo(0.1 / (0.1 + 3 / 60), 4);
    expect(interaction.exposure).toEqual({ impressions: 1, seen: 0 });
    expect((await pairOf(db, "tr-c", "tr-d")).factors.trajectory).toMatchObject({
      recent: 0,
      earlier: 2,
      growth: 0,
    });
  });

  it("finds mutual interest in the topics both engaged with, not in profile interests", async () => {
    await users("mi-a", "mi-b", "mi-c", "mi-author");
    await topicPost(db, f, "mi-hike-1", "mi-author", ["hiking", "outdoors"]);
    await topicPost(db, f, "mi-hike-2", "mi-author", ["hiking"]);
    await topicPost(db, f, "mi-jazz", "mi-author", ["jazz"]);
    await f.events([
      { actorId: "mi-a", type: "LIKE", postId: "mi-hike-1", at: daysBefore(now, 5) },
      { actorId: "mi-a", type: "SHARE", postId: "mi-hike-2", at: daysBefore(now, 4) },
      { actorId: "mi-b", type: "COMMENT", postId: "mi-hike-1", at: daysBefore(now, 3) },
      { actorId: "mi-b", type: "LIKE", postId: "mi-jazz", at: daysBefore(now, 3) },
      // Seen is exposure, not engagement with the topic.
      { actorId: "mi-c", type: "SEEN", postId: "mi-hike-1", at: daysBefore(now, 3) },
    ]);
    await db.prisma.userInterest.createMany({
      data: [
        { userId: "mi-a", tag: "jazz" },
        { userId: "mi-c", tag: "jazz" },
      ],
    });
    await suggest(db, "mi-a", "mi-b", 0.6);
    await suggest(db, "mi-a", "mi-c", 0.6);
    await run(db, { userId: "mi-a" });

    const withB = (await pairOf(db, "mi-a", "mi-b")).factors.mutualInterest;
    expect(withB).toMatchObject({
      sharedTopics: ["hiking", "outdoors"],
      viewerTopicEngagements: 3,
      targetTopicEngagements: 3,
    });
    // a = {hiking 2, outdoors 1}, b = {hiking 1, outdoors 1, jazz 1}.
    expect(withB.similarity).toBeCloseTo(3 / (Math.sqrt(5) * Math.sqrt(3)), 4);
    expect((await pairOf(db, "mi-a", "mi-c")).factors.mutualInterest.value).toBe(0);
    expect((await pairOf(db, "mi-a", "mi-b")).score).toBeGreaterThan(0);
  });
});
