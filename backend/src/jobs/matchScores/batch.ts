import type { Database } from "@feed-jobs/db";
import {
  acceptEachOther,
  type MatchProfile,
  type MatchScoringConfig,
  narrowByQuiz,
  rankCandidates,
} from "@feed-jobs/scoring/match";
import type { MatchScoresConfig } from "./config.ts";
import type { ProfileCache } from "./profiles.ts";
import {
  candidatePools,
  type NegativeSignalRow,
  nearestQuizPools,
  negativeSignals,
} from "./queries.ts";
import type { Clock } from "./sql.ts";
import type { ViewerList } from "./write-queries.ts";

const MS_PER_DAY = 86_400_000;

export interface BatchSetup {
  readonly db: Database;
  readonly clock: Clock;
  readonly config: MatchScoresConfig;
  readonly scoring: MatchScoringConfig;
  /** Narrow large pools with pgvector (else: exact scan in the job). */
  readonly useVector: boolean;
  readonly cache: ProfileCache;
}

export interface BatchOutcome {
  readonly lists: ViewerList[];
  readonly failures: { viewerId: string; error: unknown }[];
  /** Selected viewers no longer eligible when the batch ran: left for the next run to retire. */
  readonly ineligible: number;
  /** Viewers whose filtered pool exceeded the cap and was narrowed. */
  readonly narrowed: number;
  /** Input rows read: pool entries, profiles, negative signals. */
  readonly rowsScanned: number;
}

/** A viewer's pool: candidate ids and whether the job still has to narrow it (exact path). */
interface Pool {
  ids: readonly string[];
  narrow: boolean;
}

/** Gathers the pools of a batch: one filtered query, then one narrowing query for large pools. */
async function gatherPools(setup: BatchSetup, viewerIds: readonly string[]) {
  const { db, clock, config } = setup;
  const pools = new Map<string, Pool>();
  let rowsScanned = 0;
  const large: string[] = [];
  for (const row of await candidatePools(db.prisma, viewerIds, clock, config.poolCap)) {
    rowsScanned += row.ids?.length ?? row.n;
    if (row.ids) pools.set(row.viewer_id, { ids: row.ids, narrow: false });
    else large.push(row.viewer_id);
  }
  if (large.length > 0) {
    const narrowed = setup.useVector
      ? await nearestQuizPools(db.prisma, large, clock, config.poolCap)
      : await candidatePools(db.prisma, large, clock, null);
    for (const row of narrowed) {
      const ids = row.ids ?? [];
      rowsScanned += ids.length;
      pools.set(row.viewer_id, { ids, narrow: !setup.useVector });
    }
  }
  return { pools, large: large.length, rowsScanned };
}

/** The map's entry for `key`, created empty when missing. */
function entry<K, V>(map: Map<K, V>, key: K, empty: () => V): V {
  const found = map.get(key);
  if (found !== undefined) return found;
  const created = empty();
  map.set(key, created);
  return created;
}

/** Blocks and reports either way exclude; the viewer's latest hide of a candidate penalises. */
function indexSignals(rows: readonly NegativeSignalRow[]) {
  const excluded = new Map<string, Set<string>>();
  const hiddenAt = new Map<string, Map<string, Date>>();
  for (const row of rows) {
    if (row.type === "HIDE") {
      entry(hiddenAt, row.actor_id, () => new Map()).set(row.target_user_id, row.last_at);
    } else {
      entry(excluded, row.actor_id, () => new Set()).add(row.target_user_id);
      entry(excluded, row.target_user_id, () => new Set()).add(row.actor_id);
    }
  }
  return { excluded, hiddenAt };
}

/** Scores one batch of viewers; writes nothing. A viewer that fails is reported, not thrown. */
export async function scoreBatch(
  setup: BatchSetup,
  viewerIds: readonly string[],
): Promise<BatchOutcome> {
  const { db, clock, config, cache } = setup;
  const { pools, large, rowsScanned: poolRows } = await gatherPools(setup, viewerIds);
  const wanted = new Set(pools.keys());
  for (const pool of pools.values()) for (const id of pool.ids) wanted.add(id);
  const profileRows = await cache.load(db.prisma, wanted, clock);
  const signalRows = await negativeSignals(db.prisma, [...pools.keys()], clock);
  const { excluded, hiddenAt } = indexSignals(signalRows);

  const lists: ViewerList[] = [];
  const failures: BatchOutcome["failures"] = [];
  for (const viewerId of viewerIds) {
    const pool = pools.get(viewerId);
    const viewer = cache.get(viewerId);
    if (!pool || !viewer) continue;
    try {
      let candidates = pool.ids
        .map((id) => cache.get(id))
        .filter((c): c is MatchProfile => !!c && acceptEachOther(viewer, c));
      if (pool.narrow) candidates = narrowByQuiz(viewer, candidates, config.poolCap);
      const blocked = excluded.get(viewerId);
      if (blocked) candidates = candidates.filter((c) => !blocked.has(c.id));
      const hides = hiddenAt.get(viewerId);
      const daysSinceHide = (id: string) => {
        const at = hides?.get(id);
        return at ? (clock.now.getTime() - at.getTime()) / MS_PER_DAY : null;
      };
      const ranked = rankCandidates(viewer, candidates, setup.scoring, config.topK, daysSinceHide);
      lists.push({
        viewerId,
        latitude: viewer.location?.latitude ?? null,
        longitude: viewer.location?.longitude ?? null,
        candidates: ranked,
      });
    } catch (error) {
      failures.push({ viewerId, error });
    }
  }
  return {
    lists,
    failures,
    ineligible: viewerIds.length - pools.size,
    narrowed: large,
    rowsScanned: poolRows + profileRows + signalRows.length,
  };
}
