import { type Database, eligiblePerson } from "@feed-jobs/db";
import type { EvalPoint } from "../types.ts";

/** One unordered pair as a map key: the two ids in code-unit order, so either direction finds it. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a} ${b}` : `${b} ${a}`;
}

/**
 * The outcome: the pairs that exchanged at least one message, either way, in (asOf, until],
 * both of them eligible at `asOf` (only they can have a score as of then).
 */
export async function messagedPairs(db: Database, point: EvalPoint): Promise<Set<string>> {
  const rows = await db.prisma.$queryRaw<{ sender_id: string; recipient_id: string }[]>`
    SELECT DISTINCT m.sender_id, m.recipient_id
    FROM messages m
    JOIN users s ON s.id = m.sender_id AND ${eligiblePerson("s", point.asOf)}
    JOIN users r ON r.id = m.recipient_id AND ${eligiblePerson("r", point.asOf)}
    WHERE m.sent_at > ${point.asOf} AND m.sent_at <= ${point.until} AND m.sender_id <> m.recipient_id`;
  return new Set(rows.map((row) => pairKey(row.sender_id, row.recipient_id)));
}

/** What the baselines know of a pair's messages before a point. */
export interface MessageHistory {
  /** Epoch ms of the pair's last message, either way. */
  readonly lastMs: number;
  /** Messages weighted 0.5^(age / half-life). */
  readonly decayed: number;
}

/**
 * Each pair's last message and decayed message count over messages sent in
 * [asOf − lookbackDays, asOf], one aggregate per direction merged here.
 */
export async function messageHistory(
  db: Database,
  asOf: Date,
  lookbackDays: number,
  halfLifeDays: number,
): Promise<Map<string, MessageHistory>> {
  const from = new Date(asOf.getTime() - lookbackDays * 86_400_000);
  const rows = await db.prisma.$queryRaw<
    { sender_id: string; recipient_id: string; last_ms: number; decayed: number }[]
  >`
    SELECT sender_id, recipient_id,
           (extract(epoch FROM max(sent_at)) * 1000)::float8 AS last_ms,
           sum(power(0.5::float8,
             extract(epoch FROM ${asOf}::timestamp - sent_at)::float8 / ${halfLifeDays * 86_400}::float8))
             AS decayed
    FROM messages
    WHERE sent_at >= ${from} AND sent_at <= ${asOf} AND sender_id <> recipient_id
    GROUP BY sender_id, recipient_id`;
  const history = new Map<string, MessageHistory>();
  for (const row of rows) {
    const key = pairKey(row.sender_id, row.recipient_id);
    const other = history.get(key);
    history.set(key, {
      lastMs: Math.max(row.last_ms, other?.lastMs ?? row.last_ms),
      decayed: row.decayed + (other?.decayed ?? 0),
    });
  }
  return history;
}
