import { describe, expect, it } from "vitest";
import {
  type ContentSettings,
  computeContentFeatures,
  DEFAULT_TAGS_FIRST_PARAMS,
  extractTagsFirstTopics,
  extractTopics,
  settingsFingerprint,
} from "../src/content.ts";

const allowAll = () => true;
const tagsFirst = (
  tags: string[],
  keywords: string[],
  params = DEFAULT_TAGS_FIRST_PARAMS,
  maxTopics = 10,
) => extractTagsFirstTopics(tags, [], keywords, maxTopics, allowAll, params);

describe("extractTagsFirstTopics (content-features-v3)", () => {
  it("ranks a tag above a caption word the caption repeats, where v2 ranks the word first", () => {
    const keywords = ["hike", "hike", "hike", "hike"];
    expect(extractTopics(["Coffee"], [], keywords, 10, allowAll).topics).toEqual([
      "hike",
      "coffee",
    ]);
    const v3 = tagsFirst(["Coffee"], keywords);
    expect(v3.topics).toEqual(["coffee", "hike"]);
    // The tag keeps v2's 3; each mention weighs captionTopicWeight (1 by default).
    expect(v3.weights).toEqual({ coffee: 3, hike: 4 });
  });

  it("keeps at most maxCaptionTopics caption words, the most mentioned first", () => {
    const keywords = ["apple", "pear", "pear", "plum", "plum", "plum", "kiwi", "kiwi"];
    const result = tagsFirst(["Fruit"], keywords, { captionTopicWeight: 0.5, maxCaptionTopics: 2 });
    expect(result.topics).toEqual(["fruit", "plum", "kiwi"]);
    expect(result.weights).toEqual({ fruit: 3, plum: 1.5, kiwi: 1 });
  });

  it("orders the tags by their caption mentions and weighs those mentions by captionTopicWeight", () => {
    const result = tagsFirst(["Art", "Beach"], ["beach", "beach"], {
      captionTopicWeight: 0.25,
      maxCaptionTopics: 3,
    });
    expect(result.topics).toEqual(["beach", "art"]);
    expect(result.weights).toEqual({ beach: 3.5, art: 3 });
  });

  it("takes no caption word at a captionTopicWeight of 0, and only caption words without tags", () => {
    const none = { captionTopicWeight: 0, maxCaptionTopics: 3 };
    expect(tagsFirst(["Surf"], ["wave", "wave"], none).topics).toEqual(["surf"]);
    expect(tagsFirst([], ["wave", "wave", "sand"]).topics).toEqual(["wave", "sand"]);
  });

  it("cuts caption words before tags when maxTopics is reached", () => {
    const result = tagsFirst(
      ["a1", "b2", "c3"],
      ["zebra", "zebra", "zebra", "zebra"],
      undefined,
      2,
    );
    expect(result.topics).toEqual(["a1", "b2"]);
  });

  it("drops generic caption words and counts dropped tags as v2 does", () => {
    const result = tagsFirst(["🔥", "Day"], ["day", "week", "sunset"]);
    expect(result.topics).toEqual(["day", "sunset"]);
    expect(result.droppedTags).toBe(1);
  });
});

describe("computeContentFeatures with tagsFirst", () => {
  const v2: ContentSettings = {
    maxTopics: 10,
    nsfwThreshold: 0.8,
    qualityThreshold: 0.3,
    maxCaptionChars: 2_200,
    includeImages: true,
  };
  const v3: ContentSettings = { ...v2, tagsFirst: DEFAULT_TAGS_FIRST_PARAMS };
  const post = {
    type: "TEXT",
    caption: "Coffee, coffee, coffee and more coffee before the board meeting",
    mediaCount: 0,
    tags: ["Running"],
    reportCount: 0,
  };

  it("puts the post's tag first and changes nothing but topics", () => {
    const a = computeContentFeatures(post, v2);
    const b = computeContentFeatures(post, v3);
    expect(a.topics[0]).toBe("coffee");
    expect(b.topics[0]).toBe("run");
    expect({ ...b, topics: a.topics, metadata: a.metadata }).toEqual(a);
    expect(b.metadata.quality).toEqual(a.metadata.quality);
  });

  it("leaves v2's settings fingerprint as it was and gives v3's its own", () => {
    expect(settingsFingerprint({ ...v2, tagsFirst: undefined })).toBe(settingsFingerprint(v2));
    expect(settingsFingerprint(v3)).not.toBe(settingsFingerprint(v2));
    const lighter = { ...v3, tagsFirst: { captionTopicWeight: 0.5, maxCaptionTopics: 3 } };
    expect(settingsFingerprint(lighter)).not.toBe(settingsFingerprint(v3));
  });
});
