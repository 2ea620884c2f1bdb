import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  analyseCaption,
  extractTopics,
  MAX_TOPIC_LENGTH,
  TAG_WEIGHT,
  topicKey,
} from "../src/content.ts";

const allowAll = () => true;

describe("topicKey", () => {
  it.each([
    ["#Hiking", "hike"],
    ["hikes", "hike"],
    ["  HIKING  ", "hike"],
    ["##hiking", "hike"],
    ["Road Trips", "road_trip"],
    ["road-trip", "road_trip"],
    ["board_games", "board_game"],
    ["tv_sports", "tv_sport"],
    ["ｃｏｆｆｅｅ", "coffee"], // full-width letters (NFKC)
    ["𝐇𝐢𝐤𝐢𝐧𝐠", "hike"], // mathematical bold
    ["Café", "café"],
    ["rock'n'roll", "rocknroll"],
    ["beaches", "beach"],
    ["coding", "code"],
    ["dining", "dine"],
    ["riding", "ride"],
    ["opening", "open"],
    ["meetings", "meet"],
    ["weddings", "wedding"],
    ["evening", "evening"],
    ["boss", "boss"],
    ["physics", "physics"],
    ["2024", "2024"],
  ])("normalises %j to %j", (raw, topic) => {
    expect(topicKey(raw)).toBe(topic);
  });

  it("keeps composed and decomposed accents together", () => {
    expect(topicKey("cafe\u0301")).toBe(topicKey("caf\u00e9"));
  });

  it.each([[""], ["#"], ["   "], ["🔥🔥"], ["!!!"], ["x".repeat(MAX_TOPIC_LENGTH + 1)]])(
    "drops %j",
    (raw) => {
      expect(topicKey(raw)).toBeNull();
    },
  );

  it("survives words that name Object.prototype members and lone surrogates", () => {
    expect(topicKey("constructor")).toBe("constructor");
    expect(topicKey("__proto__")).toBe("proto");
    expect(topicKey("toString")).toBe("tostring");
    expect(topicKey("hike\uD800")).toBe("hike");
  });

  it("is idempotent on inflected English words", () => {
    const bases = ["hike", "run", "meet", "code", "ring", "party", "glass", "wolf", "dance", "bus"];
    const suffixes = ["", "s", "es", "ing", "ings", "ed", "ies"];
    fc.assert(
      fc.property(fc.constantFrom(...bases), fc.constantFrom(...suffixes), (base, suffix) => {
        const key = topicKey(base + suffix);
        expect(key).not.toBeNull();
        expect(topicKey(key as string)).toBe(key);
      }),
    );
  });

  it("is idempotent, lower case and bounded for any input", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" })), (raw) => {
        const key = topicKey(raw);
        if (key === null) return;
        expect(topicKey(key)).toBe(key);
        expect(key).toBe(key.toLowerCase());
        expect(key.length).toBeLessThanOrEqual(MAX_TOPIC_LENGTH);
        expect(key).not.toMatch(/[\s#]/u);
      }),
    );
  });
});

describe("extractTopics", () => {
  it("weighs tags above keywords and keywords by mentions, ties by name", () => {
    const result = extractTopics(
      ["Coffee"],
      [],
      ["beach", "sunset", "beaches", "dog"],
      10,
      allowAll,
    );
    expect(result.topics).toEqual(["coffee", "beach", "dog", "sunset"]);
    expect(result.weights).toEqual({ coffee: TAG_WEIGHT, beach: 2, dog: 1, sunset: 1 });
  });

  it("adds caption mentions of a tag to its weight and merges tags that normalise alike", () => {
    const result = extractTopics(["#Hiking", "hikes"], ["#hike"], ["hiking"], 10, allowAll);
    expect(result.topics).toEqual(["hike"]);
    expect(result.weights).toEqual({ hike: TAG_WEIGHT + 1 });
  });

  it("caps at maxTopics, keeping the heaviest", () => {
    const result = extractTopics(["a1", "b2"], [], ["cat", "cat", "dog"], 3, allowAll);
    expect(result.topics).toEqual(["a1", "b2", "cat"]);
  });

  it("counts tags that normalise to nothing or are refused as dropped", () => {
    const result = extractTopics(
      ["🔥", "", "ok", "blocked"],
      [],
      ["blocked"],
      10,
      (t) => t !== "blocked",
    );
    expect(result.topics).toEqual(["ok"]);
    expect(result.droppedTags).toBe(3);
  });
});

describe("caption keywords", () => {
  const topicsOf = (caption: string, tags: string[] = []) => {
    const analysis = analyseCaption(caption, 2_200);
    return extractTopics(tags, analysis.hashtags, analysis.keywords, 10, allowAll).topics;
  };

  it("takes nouns and activities, not verbs, stop words or adjectives", () => {
    expect(topicsOf("We went hiking and then grabbed amazing coffee at the beach")).toEqual([
      "beach",
      "coffee",
      "hike",
    ]);
  });

  it("skips -ing verbs that name no activity", () => {
    expect(topicsOf("Can't stop thinking about live music, looking for a band")).toEqual([
      "band",
      "music",
    ]);
  });

  it("skips generic nouns in captions but keeps them as tags", () => {
    expect(topicsOf("Sunday plans with people this weekend: brunch")).toEqual(["brunch"]);
    expect(topicsOf("Sunday brunch", ["weekend"])).toEqual(["weekend", "brunch"]);
  });

  it("keeps a hashtag whole across invisible format characters", () => {
    for (const invisible of ["\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF"]) {
      expect(topicsOf(`Weekend #hik${invisible}ing in the moun${invisible}tains`)).toEqual([
        "hike",
        "mountain",
      ]);
    }
    expect(topicKey("#road\u200Btrip")).toBe("roadtrip");
  });

  it("finds topics in Hebrew, as written, with its hashtags", () => {
    const hebrew = "טיול מדהים בגליל עם החברים, אני אוהב את הנופים #טבע";
    expect(topicsOf(hebrew)).toEqual(["טבע", "אוהב", "בגליל", "החברים", "הנופים", "טיול", "מדהים"]);
    expect(analyseCaption(hebrew, 2_200)).toMatchObject({ words: 10, sentiment: null });
  });

  it("finds topics in Arabic, as written, without its function words", () => {
    const arabic = "رحلة رائعة إلى الجبال مع الأصدقاء في عطلة نهاية الأسبوع #سفر";
    const topics = topicsOf(arabic);
    expect(topics[0]).toBe("سفر");
    expect(topics).toEqual(
      expect.arrayContaining(["رحلة", "الجبال", "الأصدقاء", "عطلة", "الأسبوع"]),
    );
    expect(topics).not.toContain("إلى");
  });

  it("counts caption hashtags as tags and ignores the parts of links", () => {
    expect(topicsOf("new blog post https://www.example.com/travel-tips #Travel")).toEqual([
      "travel",
      "blog",
    ]);
  });
});
