import {
  DEFAULT_COMPATIBILITY_PARAMS,
  InvalidActivityError,
} from "@feed-jobs/scoring/compatibility";
import { describe, expect, it } from "vitest";
import type { PairRow } from "../../src/jobs/compatibility/pair-activity-query.ts";
import { scorePairs, toActivity } from "../../src/jobs/compatibility/score-pairs.ts";
import { TopicProfileCache } from "../../src/jobs/compatibility/topic-profiles.ts";
import { now } from "./compatibility.support.ts";

function row(viewer: string, target: string, overrides: Partial<PairRow> = {}): PairRow {
  const counts = {
    sent: 2,
    received: 1,
    replies: 1,
    likes_given: 1,
    comments_given: 0,
    shares_given: 0,
    views_given: 0,
    impressions_given: 3,
    seen_given: 1,
    likes_received: 0,
    comments_received: 1,
    shares_received: 0,
    views_received: 2,
    impressions_received: 0,
    seen_received: 0,
    recent_interactions: 5,
    earlier_interactions: 2,
    hides: 0,
  };
  return {
    viewer_id: viewer,
    target_id: target,
    scope: ["messages"],
    last_message_ms: now.getTime() - 3_600_000,
    reply_quartiles: [60, 60, 60],
    ...counts,
    ...overrides,
  };
}

describe("compatibility scorePairs", () => {
  it("maps the SQL aggregates onto the scoring input, absent counts as 0", () => {
    expect(toActivity(row("v", "t"))).toMatchObject({
      messagesSent: 2,
      messagesReceived: 1,
      replies: { count: 1, p25Seconds: 60, medianSeconds: 60, p75Seconds: 60 },
      actionsGiven: { likes: 1, comments: 0, shares: 0, profileViews: 0 },
      actionsReceived: { likes: 0, comments: 1, shares: 0, profileViews: 2 },
      exposureGiven: { impressions: 3, seen: 1 },
      recentInteractions: 5,
      earlierInteractions: 2,
      lastMessageAt: new Date(now.getTime() - 3_600_000),
      hides: { count: 0, lastAt: null },
    });
    expect(
      toActivity({
        viewer_id: "v",
        target_id: "t",
        scope: ["suggestion"],
        recent_interactions: 0,
        earlier_interactions: 0,
      }),
    ).toMatchObject({
      messagesSent: 0,
      lastMessageAt: null,
      actionsReceived: { likes: 0, comments: 0, shares: 0, profileViews: 0 },
      hides: { count: 0, lastAt: null },
    });
    expect(toActivity(row("v", "t", { replies: 0, reply_quartiles: undefined })).replies).toEqual({
      count: 0,
      p25Seconds: null,
      medianSeconds: null,
      p75Seconds: null,
    });
  });

  it("skips every pair of a viewer with unscorable input and scores the others", () => {
    const rows = [
      row("ana", "ben"),
      row("ana", "cat", { last_message_ms: now.getTime() + 60_000 }),
      row("dan", "ben"),
    ];
    const { scored, failed } = scorePairs(
      rows,
      new TopicProfileCache(() => Promise.reject(new Error("scorePairs loads no profile"))),
      now,
      DEFAULT_COMPATIBILITY_PARAMS,
    );
    expect(scored.map((p) => `${p.viewerId}→${p.targetId}`)).toEqual(["dan→ben"]);
    expect([...failed.keys()]).toEqual(["ana"]);
    expect(failed.get("ana")).toBeInstanceOf(InvalidActivityError);
  });
});
