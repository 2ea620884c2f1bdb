import { describe, expect, it } from "vitest";
import { databaseTimeouts, settingsFromEnv, TimeoutSettingError } from "../src/index.ts";

describe("settingsFromEnv", () => {
  const variables = { pollMs: ["FEED_JOBS_TEST_POLL_MS", 1000] as [string, number] };
  const check = {
    valid: (value: number) => Number.isSafeInteger(value) && value > 0,
    refuse: (variable: string, raw: string) => new RangeError(`${variable}="${raw}" refused`),
  };

  it("takes a set variable, and the default for an unset or blank one", () => {
    expect(settingsFromEnv(variables, { FEED_JOBS_TEST_POLL_MS: " 250 " }, check)).toEqual({
      pollMs: 250,
    });
    expect(settingsFromEnv(variables, { FEED_JOBS_TEST_POLL_MS: " " }, check)).toEqual({
      pollMs: 1000,
    });
  });

  it("refuses a value the check refuses, naming the variable and the value", () => {
    expect(() => settingsFromEnv(variables, { FEED_JOBS_TEST_POLL_MS: "1.5" }, check)).toThrow(
      'FEED_JOBS_TEST_POLL_MS="1.5" refused',
    );
    expect(() => databaseTimeouts({ FEED_JOBS_LOCK_TIMEOUT_MS: "soon" })).toThrow(
      TimeoutSettingError,
    );
  });
});
