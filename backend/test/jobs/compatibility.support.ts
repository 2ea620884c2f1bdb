import type { Database } from "@feed-jobs/db";
import type {
  CommunicationFactor,
  HidePenalty,
  InteractionFactor,
  MutualInterestFactor,
  ScopeReason,
  TrajectoryFactor,
} from "@feed-jobs/scoring/compatibility";
import { compatibilityJob } from "../../src/jobs/compatibility/job.ts";
import type { fixtures } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

export const now = new Date("2026-03-01T12:00:00Z");
export const minutesBefore = (at: Date, minutes: number) =>
  new Date(at.getTime() - minutes * 60_000);

export type Fixtures = ReturnType<typeof fixtures>;

/** Users with the fixture defaults (active, same city: discovery inputs play no part here). */
export async function addUsers(f: Fixtures, ...ids: string[]) {
  for (const id of ids) await f.user({ id });
}

export const run = (
  db: Database,
  options: { userId?: string; dryRun?: boolean; mode?: "full" | "incremental" } = {},
  overrides: Record<string, unknown> = {},
  at: Date = now,
) => runForTest(db, compatibilityJob, at, options, overrides);

/**
 * `factors` as stored. A factor without input is stored as `{ value: 0 }`; tests read the
 * details only of factors they gave inputs to, so the full shapes are assumed here.
 */
export interface StoredFactors {
  scope: ScopeReason[];
  communication: CommunicationFactor;
  interaction: InteractionFactor;
  mutualInterest: MutualInterestFactor;
  trajectory: TrajectoryFactor;
  hides?: HidePenalty;
}

export interface StoredPair {
  viewer: string;
  target: string;
  score: number;
  factors: StoredFactors;
  computedAt: Date;
  algorithmVersion: string;
}

/** Every UserCompatibility row, in (viewer, target) order. */
export async function storedPairs(db: Database): Promise<StoredPair[]> {
  const rows = await db.prisma.userCompatibility.findMany({
    orderBy: [{ viewerUserId: "asc" }, { targetUserId: "asc" }],
  });
  return rows.map((r) => ({
    viewer: r.viewerUserId,
    target: r.targetUserId,
    score: r.score,
    factors: r.factors as unknown as StoredFactors,
    computedAt: r.computedAt,
    algorithmVersion: r.algorithmVersion,
  }));
}

/** "viewer→target" of every stored row. */
export const storedKeys = async (db: Database) =>
  (await storedPairs(db)).map((p) => `${p.viewer}→${p.target}`);

export async function pairOf(db: Database, viewer: string, target: string): Promise<StoredPair> {
  const pair = (await storedPairs(db)).find((p) => p.viewer === viewer && p.target === target);
  if (!pair) throw new Error(`no UserCompatibility row ${viewer}→${target}`);
  return pair;
}

/** A MatchScore row as the match-scores job would write it. */
export function suggest(db: Database, viewer: string, candidate: string, score: number) {
  return db.prisma.matchScore.create({
    data: {
      viewerUserId: viewer,
      candidateUserId: candidate,
      score,
      reasons: [],
      computedAt: now,
      algorithmVersion: "test",
    },
  });
}

/** A post by `authorId` whose PostFeatures topics are `topics`. */
export async function topicPost(
  db: Database,
  f: Fixtures,
  id: string,
  authorId: string,
  topics: string[],
) {
  await f.post({ id, authorId, createdAt: minutesBefore(now, 60 * 24 * 20) });
  await db.prisma.postFeatures.create({
    data: { postId: id, topics, inputHash: id, computedAt: now, algorithmVersion: "test" },
  });
}

/** Messages `${id}-0`, `${id}-1`, … sent as listed, each `minutesAgo` before now. */
export async function thread(
  f: Fixtures,
  id: string,
  steps: { from: string; to: string; minutesAgo: number }[],
) {
  for (const [i, s] of steps.entries()) {
    await f.message({
      id: `${id}-${i}`,
      from: s.from,
      to: s.to,
      at: minutesBefore(now, s.minutesAgo),
    });
  }
}
