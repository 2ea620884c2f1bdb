import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, configEntries, parseOverrides, resolveConfig } from "../src/config.ts";

const schema = z.strictObject({
  topN: z.number().int().positive().default(10),
  weights: z
    .strictObject({
      quiz: z.number().nonnegative().default(0.6),
      interests: z.number().nonnegative().default(0.4),
    })
    .prefault({}),
  curve: z
    .strictObject({
      halfLife: z.strictObject({ hours: z.number().positive().default(24) }).prefault({}),
    })
    .prefault({}),
});

describe("parseOverrides", () => {
  it("nests dotted keys and parses values as JSON where they are", () => {
    expect(
      parseOverrides(["weights.quiz=0", "curve.halfLife.hours=6", "topN=5", "name=plain"]),
    ).toEqual({ weights: { quiz: 0 }, curve: { halfLife: { hours: 6 } }, topN: 5, name: "plain" });
  });

  it("merges a dotted key into a group given whole, either order", () => {
    expect(parseOverrides(['weights={"quiz":1}', "weights.interests=2"])).toEqual({
      weights: { quiz: 1, interests: 2 },
    });
    expect(parseOverrides(["weights.interests=2", 'weights={"quiz":1}'])).toEqual({
      weights: { quiz: 1, interests: 2 },
    });
  });

  it("refuses an empty key part and a key under a value", () => {
    expect(() => parseOverrides(["weights..quiz=1"])).toThrow(/"weights..quiz" has an empty part/);
    expect(() => parseOverrides(["topN=1", "topN.max=2"])).toThrow(
      /--set topN.max: "topN" was already set to a value/,
    );
    expect(() => parseOverrides(["=1"])).toThrow(ConfigError);
  });
});

describe("resolveConfig", () => {
  it("keeps a group's other keys at their defaults when one is set", () => {
    expect(resolveConfig("test", schema, { weights: { quiz: 0 } })).toEqual({
      topN: 10,
      weights: { quiz: 0, interests: 0.4 },
      curve: { halfLife: { hours: 24 } },
    });
    expect(resolveConfig("test", schema, { curve: { halfLife: { hours: 3 } } }).curve).toEqual({
      halfLife: { hours: 3 },
    });
  });

  it("names an unknown nested key and a wrong type by the dotted path", () => {
    expect(() => resolveConfig("test", schema, { weights: { age: 1 } })).toThrow(
      'Invalid config for test: unknown config key "weights.age"',
    );
    expect(() => resolveConfig("test", schema, { curve: { halfLife: { hours: "x" } } })).toThrow(
      /"curve.halfLife.hours": .*expected number, received string/,
    );
    expect(() => resolveConfig("test", schema, { weights: 1 })).toThrow(
      /"weights": .*expected object, received number/,
    );
  });
});

describe("configEntries", () => {
  it("lists nested keys dotted with their values", () => {
    expect(configEntries(schema.parse({}))).toEqual([
      ["topN", 10],
      ["weights.quiz", 0.6],
      ["weights.interests", 0.4],
      ["curve.halfLife.hours", 24],
    ]);
  });
});
