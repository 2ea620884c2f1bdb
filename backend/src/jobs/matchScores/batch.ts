import type { Database } from "@feed-jobs/db";
import {
  acceptEachOther,
  type DiscoveryUser,
  type MatchProfile,
  type MatchScoringConfig,
  narrowByQuizDistance,
  narrowStratified,
  quizDistancesOf,
  type RankedCandidate,
  rankCandidates,
  withinEachOthersDistance,
} from "@feed-jobs/scoring/match";
import type { MatchScoresConfig } from "./config.ts";
import type { Population, ProfileCache } from "./profiles.ts";
import {
  candidatePools,
  type NegativeSignalRow,
  nearestQuizPools,
  negativeSignals,
} from "./queries.ts";
import type { Clock } from "./sql.ts";
import type { Narrowing } from "./versions.ts";
import type { ViewerList } from "./write-queries.ts";

const MS_PER_DAY = 86_400_000;

/** Each narrowing, from the candidates' quiz distances (the pgvector path: `nearestQuizPoolsSql`). */
const NARROW = { quiz: narrowByQuizDistance, stratified: narrowStratified } as const;

export interface BatchSetup {
  readonly db: Database;
  readonly clock: Clock;
  readonly config: MatchScoresConfig;
  readonly scoring: MatchScoringConfig;
  /** How pools over `poolCap` are narrowed (the version's way). */
  readonly narrowing: Narrowing;
  /** Narrow large pools with pgvector (else: exact scan in the job). */
  readonly useVector: boolean;
  readonly cache: ProfileCache;
  /** The eligible population in memory: pools come from it instead of the candidate query. */
  readonly population?: Population;
  /** Users who cannot be placed (see `placeable`): shown nobody and shown to nobody. */
  readonly unplaceable: ReadonlySet<string>;
  /** Keep each listed candidate's factors (a dry run for `eval` or `tune`, which read them). */
  readonly withFactors: boolean;
}

/** A viewer's list as scored: the candidates carry their factors when the setup asks for them. */
export interface ScoredList extends ViewerList {
  readonly candidates: readonly RankedCandidate[];
}

export interface BatchOutcome {
  readonly lists: ScoredList[];
  readonly failures: { viewerId: string; error: unknown }[];
  /** Selected viewers no longer eligible when the batch ran: left for the next run to retire. */
  readonly ineligible: number;
  /** Viewers whose filtered pool exceeded the cap and was narrowed. */
  readonly narrowed: number;
  /** Input rows read: pool entries (or users the index tested), profiles, negative signals. */
  readonly rowsScanned: number;
}

/** A viewer and their candidates after the hard filters but blocks and reports. */
interface Pool {
  viewer: MatchProfile;
  candidates: readonly MatchProfile[];
  /** Larger than the cap: the job still has to narrow it (pgvector narrowed it already). */
  narrow: boolean;
}

interface Pools {
  pools: Map<string, Pool>;
  large: number;
  rowsScanned: number;
}

/**
 * The batch's pools from the population in memory, already narrowed (the index knows each
 * candidate's quiz distance): no query at all. The users the index tested count as scanned,
 * as the rows a candidate query would have read.
 */
function poolsInMemory(
  population: Population,
  viewerIds: readonly string[],
  cap: number,
  narrowing: Narrowing,
): Pools {
  const pools = new Map<string, Pool>();
  let large = 0;
  let rowsScanned = 0;
  for (const viewerId of viewerIds) {
    const viewer = population.profiles.get(viewerId);
    if (!viewer) continue;
    const { candidates, quizDistances, tested } = population.index.poolOf(viewer);
    rowsScanned += tested;
    if (candidates.length > cap) large++;
    const narrowed = NARROW[narrowing](viewer, candidates, quizDistances, cap);
    pools.set(viewerId, { viewer, candidates: narrowed, narrow: false });
  }
  return { pools, large, rowsScanned };
}

/**
 * The batch's pools from the database: one filtered query, one narrowing query for large
 * pools, then the profiles of everyone involved (the candidates' own wishes and max distance
 * are checked here).
 */
async function poolsFromQueries(setup: BatchSetup, viewerIds: readonly string[]): Promise<Pools> {
  const { db, clock, config, cache } = setup;
  const found = new Map<string, { ids: readonly string[]; narrow: boolean }>();
  let rowsScanned = 0;
  const large: string[] = [];
  for (const row of await candidatePools(db.prisma, viewerIds, clock, config.poolCap)) {
    rowsScanned += row.ids?.length ?? row.n;
    if (row.ids) found.set(row.viewer_id, { ids: row.ids, narrow: false });
    else large.push(row.viewer_id);
  }
  if (large.length > 0) {
    const narrowed = setup.useVector
      ? await nearestQuizPools(db.prisma, large, clock, config.poolCap, setup.narrowing)
      : await candidatePools(db.prisma, large, clock, null);
    for (const row of narrowed) {
      const ids = row.ids ?? [];
      rowsScanned += ids.length;
      found.set(row.viewer_id, { ids, narrow: !setup.useVector });
    }
  }
  const wanted = new Set(found.keys());
  for (const pool of found.values()) for (const id of pool.ids) wanted.add(id);
  rowsScanned += await cache.load(db.prisma, wanted, clock);
  const pools = new Map<string, Pool>();
  for (const [viewerId, { ids, narrow }] of found) {
    const viewer = cache.get(viewerId);
    if (!viewer) continue;
    const candidates = ids
      .map((id) => cache.get(id))
      .filter(
        (c): c is DiscoveryUser =>
          !!c && acceptEachOther(viewer, c) && withinEachOthersDistance(viewer, c),
      );
    pools.set(viewerId, { viewer, candidates, narrow });
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

const emptyList = (viewerId: string): ScoredList => ({
  viewerId,
  latitude: null,
  longitude: null,
  candidates: [],
});

/** Viewers scored between yields to the event loop, so that the previous batch's write proceeds. */
const YIELD_EVERY = 10;

/** Scores one batch of viewers; writes nothing. A viewer that fails is reported, not thrown. */
export async function scoreBatch(
  setup: BatchSetup,
  viewerIds: readonly string[],
): Promise<BatchOutcome> {
  const { db, clock, config, population } = setup;
  const lists: ScoredList[] = [];
  const failures: BatchOutcome["failures"] = [];
  const placed: string[] = [];
  for (const viewerId of viewerIds) {
    // Counted by the run as "invalidLocation"; the empty list replaces any older one.
    if (setup.unplaceable.has(viewerId)) lists.push(emptyList(viewerId));
    else placed.push(viewerId);
  }
  const { pools, large, rowsScanned } = population
    ? poolsInMemory(population, placed, config.poolCap, setup.narrowing)
    : await poolsFromQueries(setup, placed);
  const signalRows = await negativeSignals(db.prisma, [...pools.keys()], clock);
  const { excluded, hiddenAt } = indexSignals(signalRows);

  let scored = 0;
  for (const viewerId of placed) {
    const pool = pools.get(viewerId);
    if (!pool) continue;
    if (++scored % YIELD_EVERY === 0) await new Promise(setImmediate);
    const { viewer } = pool;
    try {
      // Narrowed before blocks are removed, as the pgvector path does: every path gives one list.
      let candidates = pool.narrow
        ? NARROW[setup.narrowing](
            viewer,
            pool.candidates,
            quizDistancesOf(viewer, pool.candidates),
            config.poolCap,
          )
        : pool.candidates;
      const blocked = excluded.get(viewerId);
      if (blocked) candidates = candidates.filter((c) => !blocked.has(c.id));
      const hides = hiddenAt.get(viewerId);
      const daysSinceHide = (id: string) => {
        const at = hides?.get(id);
        return at ? (clock.now.getTime() - at.getTime()) / MS_PER_DAY : null;
      };
      const ranked = rankCandidates(viewer, candidates, setup.scoring, config.topK, daysSinceHide, {
        withFactors: setup.withFactors,
      });
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
    ineligible: placed.length - pools.size,
    narrowed: large,
    rowsScanned: rowsScanned + signalRows.length,
  };
}
