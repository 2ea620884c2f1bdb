import type { HealthCheck } from "../monitoring/health.ts";

export interface AlertOptions {
  log(line: string): void;
  /** A Slack-compatible incoming webhook ({"text": …} is POSTed). Unset: log only. */
  webhookUrl?: string | undefined;
  /** Default: 5000. */
  webhookTimeoutMs?: number;
}

/**
 * Sends alerts when a condition starts firing and when it resolves, not on every evaluation:
 * a 15-minute job over its SLA alerts once, not 96 times a day. State is per process.
 */
export function createAlerter(options: AlertOptions) {
  const firing = new Map<string, string>();
  const send = async (lines: string[]) => {
    for (const line of lines) options.log(`ALERT ${line}`);
    if (!options.webhookUrl || lines.length === 0) return;
    try {
      const response = await fetch(options.webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: lines.join("\n") }),
        signal: AbortSignal.timeout(options.webhookTimeoutMs ?? 5_000),
      });
      if (!response.ok) options.log(`alert webhook answered ${response.status}`);
    } catch (error) {
      options.log(`alert webhook failed: ${error instanceof Error ? error.message : error}`);
    }
  };
  return {
    /** Takes the latest evaluation of some checks; sends what changed. */
    async update(checks: readonly HealthCheck[]): Promise<void> {
      const lines: string[] = [];
      for (const check of checks) {
        if (check.firing && !firing.has(check.key)) lines.push(`[firing] ${check.message}`);
        if (!check.firing && firing.has(check.key)) lines.push(`[resolved] ${check.message}`);
        if (check.firing) firing.set(check.key, check.message);
        else firing.delete(check.key);
      }
      await send(lines);
    },
    /** Keys of the conditions firing now. */
    firing: () => [...firing.keys()],
  };
}

export type Alerter = ReturnType<typeof createAlerter>;
