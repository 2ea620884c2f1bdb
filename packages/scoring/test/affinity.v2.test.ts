import { describe, expect, it } from "vitest";
import {
  type AffinitySettings,
  buildAffinityProfile,
  buildAffinityProfileV2,
  type CreatorAudience,
  DEFAULT_AFFINITY_SETTINGS,
  type PostSignal,
  postTopicWeights,
  tagTopicsOf,
  type UserSignalsV2,
  DEFAULT_AFFINITY_V2_PARAMS as V2,
} from "../src/affinity.ts";

const settings: AffinitySettings = { ...DEFAULT_AFFINITY_SETTINGS, topTopicsCount: 5 };
const flatAudience: CreatorAudience = { population: 100, audienceOf: () => 10 };

const post = (
  postId: string,
  tags: string[],
  topics: string[],
  weights: Partial<PostSignal> = {},
) => ({
  postId,
  topics,
  tagTopics: tagTopicsOf(tags),
  engaged: 0,
  authored: 0,
  received: 0,
  ...weights,
});

const signals = (overrides: Partial<UserSignalsV2> = {}): UserSignalsV2 => ({
  userId: "viewer",
  actionCount: 0,
  accountAgeDays: 365,
  creators: [],
  topics: [],
  postTypes: [],
  negatives: [],
  posts: [],
  ownPostCount: 0,
  ...overrides,
});

const topicsOf = (s: UserSignalsV2) =>
  buildAffinityProfileV2(s, flatAudience, settings, V2)?.topTopics.map((t) => t.tag);

describe("tagTopicsOf", () => {
  it("normalises tags as content-features does (hashes, case, plurals, -ing)", () => {
    expect([...tagTopicsOf(["#Hiking", "Road Trips", "MOVIES", "🔥"])]).toEqual([
      "hike",
      "road_trip",
      "movie",
    ]);
  });
});

describe("postTopicWeights", () => {
  it("gives a tag the post's full weight and a caption word captionTopicWeight of it", () => {
    const weights = postTopicWeights(
      [post("p1", ["#Hiking"], ["hike", "berlin"], { engaged: 2 })],
      V2,
    );
    expect(Object.fromEntries(weights.map((w) => [w.key, w.weight]))).toEqual({
      hike: 2,
      berlin: 2 * V2.captionTopicWeight,
    });
  });

  it("adds ownPostWeight × authored and receivedWeight × received to what the user engaged", () => {
    const weights = postTopicWeights(
      [post("p1", ["jazz"], ["jazz"], { engaged: 1, authored: 0.5, received: 4 })],
      V2,
    );
    expect(weights).toEqual([
      { key: "jazz", weight: 1 + V2.ownPostWeight * 0.5 + V2.receivedWeight * 4 },
    ]);
  });

  it("sums the same whatever order the posts come in", () => {
    const posts = [
      post("a", ["x"], ["x", "y"], { engaged: 0.1 }),
      post("b", [], ["x"], { engaged: 0.2 }),
      post("c", ["y"], ["y"], { engaged: 0.3 }),
    ];
    expect(postTopicWeights([...posts].reverse(), V2)).toEqual(postTopicWeights(posts, V2));
  });
});

describe("buildAffinityProfileV2", () => {
  it("ranks a tag above a caption word engaged with exactly as often (v1 ties them)", () => {
    const posts = [
      post("p1", ["surfing"], ["surf"], { engaged: 1 }),
      post("p2", [], ["francisco"], { engaged: 1 }),
    ];
    const s = signals({
      actionCount: 12,
      posts,
      topics: [
        { key: "francisco", weight: 1 },
        { key: "surf", weight: 1 },
      ],
    });
    expect(topicsOf(s)).toEqual(["surf", "francisco"]);
    const v1 = buildAffinityProfile(s, flatAudience, settings);
    expect(v1?.topTopics).toEqual([
      { tag: "francisco", weight: 1 },
      { tag: "surf", weight: 1 },
    ]);
  });

  it("counts the user's own posts and the engagement they receive as topic signal", () => {
    const own = post("mine", ["pottery"], ["pottery"], { authored: 0.9 });
    expect(topicsOf(signals({ ownPostCount: 3, posts: [own] }))).toEqual(["pottery"]);
    const engaged = post("theirs", ["chess"], ["chess"], { engaged: 2 });
    const popular = post("mine", ["pottery"], ["pottery"], { authored: 0.9, received: 10 });
    const quiet = post("mine", ["pottery"], ["pottery"], { authored: 0.9 });
    const withReceived = signals({ actionCount: 3, posts: [engaged, popular] });
    expect(topicsOf(withReceived)).toEqual(["pottery", "chess"]);
    expect(topicsOf(signals({ actionCount: 3, posts: [engaged, quiet] }))).toEqual([
      "chess",
      "pottery",
    ]);
  });

  it("starts a profile at minInteractions actions plus own posts, far below v1's 10", () => {
    const posts = [post("p1", ["jazz"], ["jazz"], { engaged: 1 })];
    expect(
      buildAffinityProfileV2(
        signals({ actionCount: 1, ownPostCount: 1, posts }),
        flatAudience,
        settings,
        V2,
      ),
    ).toBeNull();
    const profile = buildAffinityProfileV2(
      signals({ actionCount: 1, ownPostCount: 2, posts }),
      flatAudience,
      settings,
      V2,
    );
    expect(profile?.interactionCount).toBe(3);
    expect(profile?.topTopics).toEqual([{ tag: "jazz", weight: 1 }]);
    expect(
      buildAffinityProfile(signals({ actionCount: 3, posts }), flatAudience, settings),
    ).toBeNull();
  });

  it("applies hides to v2's topics as v1 does", () => {
    const posts = [
      post("p1", ["jazz"], ["jazz"], { engaged: 5 }),
      post("p2", ["chess"], ["chess"], { engaged: 2 }),
    ];
    const negatives = [{ kind: "HIDE" as const, creatorId: "c", ageDays: 0, topics: ["jazz"] }];
    expect(topicsOf(signals({ actionCount: 5, posts, negatives }))).toEqual(["chess", "jazz"]);
  });
});
