import type { Prisma } from "@feed-jobs/db";
import {
  CandidateIndex,
  type DiscoveryUser,
  type Reaching,
  type RelationshipGoal,
  reachesOf,
  toQuizVector,
} from "@feed-jobs/scoring/match";
import {
  discoveryProfiles,
  eligibleIdsInPlaceOrder,
  type ProfileRow,
  type ReachRow,
  reachRows,
  type Sql,
} from "./queries.ts";
import { type Clock, reachableBy, type ViewerGroup } from "./sql.ts";

/** Ids per profile query: keeps one statement's parameters and result modest. */
const FETCH_CHUNK = 5_000;

/**
 * One shared copy of each tag and attribute string: scoring compares and hashes them for every
 * pair, and one copy compares by identity where copies read from separate rows compare by content.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  of(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    this.strings.set(value, value);
    return value;
  }

  all(values: readonly string[]): string[] {
    return values.map((v) => this.of(v));
  }
}

export function toDiscoveryUser(row: ProfileRow, strings = new StringPool()): DiscoveryUser {
  return {
    id: row.id,
    age: row.age,
    relationshipGoal: row.goal as RelationshipGoal | null,
    attributes: new Set(strings.all(row.attributes)),
    location:
      row.latitude === null || row.longitude === null
        ? null
        : { latitude: row.latitude, longitude: row.longitude },
    quiz: toQuizVector(row.answers),
    interests: [...new Set(strings.all(row.interests))].sort(),
    wishes: {
      minAge: row.min_age,
      maxAge: row.max_age,
      preferences: strings.all(row.preferences),
      dealbreakers: strings.all(row.dealbreakers),
    },
    gender: strings.of(row.gender),
    gendersSought: strings.all(row.genders_sought),
    maxDistanceKm: row.max_km,
  };
}

/**
 * Discovery profiles for one run: candidates recur across batches, so each is read once per
 * run. Past `limit` profiles the cache starts over, which bounds memory (≈1 kB a profile).
 */
export class ProfileCache {
  private readonly profiles = new Map<string, DiscoveryUser>();
  private readonly strings = new StringPool();

  constructor(private readonly limit: number) {}

  get(id: string): DiscoveryUser | undefined {
    return this.profiles.get(id);
  }

  /** Makes every id available; returns the rows read. */
  async load(db: Sql, ids: Iterable<string>, clock: Clock): Promise<number> {
    const wanted = new Set(ids);
    let missing = [...wanted].filter((id) => !this.profiles.has(id));
    if (this.profiles.size + missing.length > this.limit) {
      this.profiles.clear();
      missing = [...wanted];
    }
    let read = 0;
    for (let i = 0; i < missing.length; i += FETCH_CHUNK) {
      const rows = await discoveryProfiles(db, missing.slice(i, i + FETCH_CHUNK), clock);
      for (const row of rows) this.profiles.set(row.id, toDiscoveryUser(row, this.strings));
      read += rows.length;
    }
    return read;
  }
}

/** The whole eligible population in memory, for runs that score a large share of it. */
export interface Population {
  readonly profiles: ReadonlyMap<string, DiscoveryUser>;
  readonly index: CandidateIndex;
}

/**
 * Reads every eligible user's discovery inputs (or those `among` picks) and indexes them. The
 * profiles are built in place order (gender, then latitude), so that the candidates one viewer
 * scores, who live near each other, also lie near each other in memory: scoring is bound by
 * memory reads far more than by arithmetic. Read a page at a time, so that the raw rows never
 * pile up.
 */
export async function loadPopulation(
  db: Sql,
  clock: Clock,
  among?: Prisma.Sql,
): Promise<Population> {
  const ids = await eligibleIdsInPlaceOrder(db, clock, among);
  const profiles = new Map<string, DiscoveryUser>();
  const strings = new StringPool();
  for (let i = 0; i < ids.length; i += FETCH_CHUNK) {
    const page = ids.slice(i, i + FETCH_CHUNK);
    const rows = new Map((await discoveryProfiles(db, page, clock)).map((r) => [r.id, r]));
    for (const id of page) {
      const row = rows.get(id);
      if (row) profiles.set(id, toDiscoveryUser(row, strings));
    }
  }
  return { profiles, index: new CandidateIndex([...profiles.values()]) };
}

/**
 * The part of the population that `viewerIds` can reach (a shard's): the viewers, and for each
 * group of them who share a gender and the genders they seek, the users who pass those gender
 * filters both ways within {@link reachesOf} the group. For these viewers its index finds the
 * same pools as the whole population's (only users the hard filters refuse are missing), and
 * it holds a fraction of it when the viewers are neighbours in place order.
 */
export async function loadReachable(
  db: Sql,
  clock: Clock,
  viewerIds: readonly string[],
): Promise<Population> {
  const grouped = new Map<string, { gender: string; sought: string[]; rows: ReachRow[] }>();
  for (const row of await reachRows(db, viewerIds, clock)) {
    const key = JSON.stringify([row.gender, [...row.genders_sought].sort()]);
    const group = grouped.get(key) ?? { gender: row.gender, sought: row.genders_sought, rows: [] };
    group.rows.push(row);
    grouped.set(key, group);
  }
  const groups = [...grouped.values()].map(
    ({ gender, sought, rows }): ViewerGroup => ({
      gender,
      sought,
      reaches: reachesOf(rows.map(reaching)),
    }),
  );
  return loadPopulation(db, clock, reachableBy("u", viewerIds, groups));
}

const reaching = (row: ReachRow): Reaching => ({
  location:
    row.latitude === null || row.longitude === null
      ? null
      : { latitude: row.latitude, longitude: row.longitude },
  maxDistanceKm: row.max_km,
});

/**
 * The viewers in the population's place order (whom they seek, then where they are), so that
 * consecutive viewers score the same candidates while those are still in the CPU's caches.
 * Viewers outside the population keep their place at the end.
 */
export function inPlaceOrder(population: Population, viewerIds: readonly string[]): string[] {
  const order = new Map<string, number>();
  let i = 0;
  for (const id of population.profiles.keys()) order.set(id, i++);
  const seeking = (id: string) => population.profiles.get(id)?.gendersSought.join(",") ?? "~";
  const keyed = viewerIds.map((id) => ({ id, seeks: seeking(id), at: order.get(id) ?? i }));
  keyed.sort((a, b) => (a.seeks < b.seeks ? -1 : a.seeks > b.seeks ? 1 : a.at - b.at));
  return keyed.map((k) => k.id);
}
