import { describe, expect, it } from "vitest";
import { createAlerter } from "../../src/scheduler/alerts.ts";

describe("alerter", () => {
  it("logs a condition when it starts firing and when it resolves, not while it keeps firing", async () => {
    const lines: string[] = [];
    const alerter = createAlerter({ log: (line) => lines.push(line) });
    const check = (firing: boolean) => ({
      key: "queue-depth",
      firing,
      message: `Job queue depth: ${firing ? 1500 : 10}`,
    });
    await alerter.update([check(false)]);
    await alerter.update([check(true)]);
    await alerter.update([check(true)]);
    expect(alerter.firing()).toEqual(["queue-depth"]);
    await alerter.update([check(false)]);
    expect(lines).toEqual([
      "ALERT [firing] Job queue depth: 1500",
      "ALERT [resolved] Job queue depth: 10",
    ]);
    expect(alerter.firing()).toEqual([]);
  });

  it("logs, and does not throw, when the webhook cannot be reached", async () => {
    const lines: string[] = [];
    const alerter = createAlerter({
      log: (line) => lines.push(line),
      webhookUrl: "http://127.0.0.1:9/",
      webhookTimeoutMs: 2_000,
    });
    await alerter.update([{ key: "k", firing: true, message: "boom" }]);
    expect(lines[0]).toBe("ALERT [firing] boom");
    expect(lines[1]).toMatch(/^alert webhook failed: /);
  });
});
