import { type MatchProfile, type RelationshipGoal, toQuizVector } from "@feed-jobs/scoring/match";
import { discoveryProfiles, type ProfileRow, type Sql } from "./queries.ts";
import type { Clock } from "./sql.ts";

/** Ids per profile query: keeps one statement's parameters and result modest. */
const FETCH_CHUNK = 5_000;

export function toMatchProfile(row: ProfileRow): MatchProfile {
  return {
    id: row.id,
    age: row.age,
    relationshipGoal: row.goal as RelationshipGoal | null,
    attributes: new Set(row.attributes),
    location:
      row.latitude === null || row.longitude === null
        ? null
        : { latitude: row.latitude, longitude: row.longitude },
    quiz: toQuizVector(row.answers),
    interests: [...new Set(row.interests)].sort(),
    wishes: {
      minAge: row.min_age,
      maxAge: row.max_age,
      preferences: row.preferences,
      dealbreakers: row.dealbreakers,
    },
  };
}

/**
 * Discovery profiles for one run: candidates recur across batches, so each is read once per
 * run. Past `limit` profiles the cache starts over, which bounds memory (≈1 kB a profile).
 */
export class ProfileCache {
  private readonly profiles = new Map<string, MatchProfile>();

  constructor(private readonly limit: number) {}

  get(id: string): MatchProfile | undefined {
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
      for (const row of rows) this.profiles.set(row.id, toMatchProfile(row));
      read += rows.length;
    }
    return read;
  }
}
