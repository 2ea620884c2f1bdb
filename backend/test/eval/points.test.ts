import { describe, expect, it } from "vitest";
import { evalPoints, parseStep, ShortHistory } from "../../src/eval/points.ts";
import { parsePeriod, trainTestSplit } from "../../src/tune/split.ts";

const DAY = 86_400_000;
const span = { first: new Date("2026-09-01T00:00:00Z"), last: new Date("2026-11-30T12:30:00Z") };
const needs = { job: "trending", horizonHours: 24, historyDays: 7 };

describe("evalPoints", () => {
  it("by default ends one horizon before the last activity, on the hour, three points a step apart", () => {
    const points = evalPoints(span, { everyMs: DAY }, needs);
    expect(points.map((p) => p.asOf.toISOString())).toEqual([
      "2026-11-27T12:00:00.000Z",
      "2026-11-28T12:00:00.000Z",
      "2026-11-29T12:00:00.000Z",
    ]);
    expect(points.map((p) => p.until.getTime() - p.asOf.getTime())).toEqual([DAY, DAY, DAY]);
  });

  it("steps from --from to --to inclusive", () => {
    const from = new Date("2026-10-01T00:00:00Z");
    const to = new Date("2026-10-02T00:00:00Z");
    const points = evalPoints(span, { from, to, everyMs: DAY / 2 }, needs);
    expect(points).toHaveLength(3);
    expect(points[2]?.asOf).toEqual(to);
  });

  it("refuses points without their history before or their outcomes after, saying what the data spans", () => {
    const early = { from: new Date("2026-09-03T00:00:00Z"), everyMs: DAY };
    expect(() => evalPoints(span, early, needs)).toThrow(ShortHistory);
    expect(() => evalPoints(span, early, needs)).toThrow(/7 d of history.*2026-09-01T00:00Z/);
    const late = { to: new Date("2026-11-30T00:00:00Z"), everyMs: DAY };
    expect(() => evalPoints(span, late, needs)).toThrow(/24 h of outcomes/);
    expect(() => evalPoints(null, { everyMs: DAY }, needs)).toThrow(/no activity/);
    const short = { first: new Date("2026-11-28T00:00:00Z"), last: span.last };
    expect(() => evalPoints(short, { everyMs: DAY }, needs)).toThrow(ShortHistory);
  });

  it("refuses --from after --to", () => {
    const range = {
      from: new Date("2026-11-02T00:00:00Z"),
      to: new Date("2026-11-01T00:00:00Z"),
      everyMs: DAY,
    };
    expect(() => evalPoints(span, range, needs)).toThrow(/after --to/);
  });
});

describe("parseStep", () => {
  it("reads minutes, hours, days and weeks, and nothing else", () => {
    expect(parseStep("30m")).toBe(1_800_000);
    expect(parseStep("12h")).toBe(DAY / 2);
    expect(parseStep("1d")).toBe(DAY);
    expect(parseStep("2w")).toBe(14 * DAY);
    for (const bad of ["", "1", "0d", "-1d", "1y", "d"]) expect(parseStep(bad)).toBeNull();
  });
});

describe("trainTestSplit", () => {
  it("holds out the last two points and trains on four before them whose outcomes end first", () => {
    const { train, test } = trainTestSplit(span, { everyMs: DAY }, needs);
    expect(test.map((p) => p.asOf.toISOString())).toEqual([
      "2026-11-28T12:00:00.000Z",
      "2026-11-29T12:00:00.000Z",
    ]);
    expect(train).toHaveLength(4);
    expect(train[3]?.until.getTime()).toBeLessThanOrEqual(test[0]?.asOf.getTime() ?? 0);
  });

  it("refuses a training period whose outcomes overlap the test", () => {
    const train = { from: new Date("2026-11-20T00:00:00Z"), to: new Date("2026-11-28T00:00:00Z") };
    const test = { from: new Date("2026-11-28T12:00:00Z"), to: new Date("2026-11-29T00:00:00Z") };
    expect(() => trainTestSplit(span, { train, test, everyMs: DAY }, needs)).toThrow(/overlap/);
  });

  it("parses T0..T1 periods", () => {
    const iso = (s: string) => new Date(s);
    expect(parsePeriod("2026-11-01T00:00:00Z..2026-11-05T00:00:00Z", iso).to).toEqual(
      new Date("2026-11-05T00:00:00Z"),
    );
    expect(() => parsePeriod("2026-11-01", iso)).toThrow(/T0..T1/);
    expect(() => parsePeriod("2026-11-05T00:00:00Z..2026-11-01T00:00:00Z", iso)).toThrow(
      /ends before/,
    );
  });
});
