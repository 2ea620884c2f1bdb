import { Prisma } from "@feed-jobs/db";
import type { Sql } from "./queries.ts";
import { ageBoundValid, answersValid, type Clock, eligible, maxKmValid, placeable } from "./sql.ts";

/** Kinds of invalid discovery input, as counted in the JobRun's `metadata.excluded`. */
export const INVALID_INPUTS = [
  "invalidLocation",
  "invalidAgeRange",
  "invalidMaxDistance",
  "invalidQuiz",
  "nullListElement",
] as const;
export type InvalidInput = (typeof INVALID_INPUTS)[number];

export interface InputCensus {
  /** Eligible users with each kind of invalid input (a user may count under several). */
  readonly invalid: Partial<Record<InvalidInput, number>>;
  /** Eligible users who cannot be placed: shown nobody and shown to nobody. */
  readonly unplaceable: ReadonlySet<string>;
}

type CensusRow = { id: string } & Record<InvalidInput, boolean>;

const hasNull = (list: string) => Prisma.raw(`coalesce(array_position(${list}, NULL) > 0, false)`);

/**
 * The eligible users whose stored discovery inputs break the rules of sql.ts (clamped, replaced,
 * dropped or, for a location, refused there), by kind: one query per run, over the population
 * a run may read. Only the users with an invalid input come back.
 */
export async function invalidInputs(db: Sql, clock: Clock): Promise<InputCensus> {
  const checks = Prisma.sql`
    NOT ${placeable("u")} AS "invalidLocation",
    coalesce(NOT (${ageBoundValid(Prisma.raw("p.min_age"))} AND ${ageBoundValid(Prisma.raw("p.max_age"))}
      AND p.min_age <= p.max_age), false) AS "invalidAgeRange",
    coalesce(NOT ${maxKmValid(Prisma.raw("p.max_distance_km"))}, false) AS "invalidMaxDistance",
    coalesce(array_length(q.answers, 1) > 0 AND NOT ${answersValid("q.answers")}, false) AS "invalidQuiz",
    (${hasNull("u.attributes")} OR ${hasNull("u.genders_sought")}
      OR ${hasNull("p.dealbreakers")} OR ${hasNull("p.preferences")}) AS "nullListElement"`;
  const rows = await db.$queryRaw<CensusRow[]>`
    SELECT * FROM (
      SELECT u.id, ${checks}
      FROM users u
      LEFT JOIN match_preferences p ON p.user_id = u.id
      LEFT JOIN quiz_responses q ON q.user_id = u.id
      WHERE ${eligible("u", clock)}
    ) checked
    WHERE ${Prisma.raw(INVALID_INPUTS.map((kind) => `"${kind}"`).join(" OR "))}`;
  const invalid: Partial<Record<InvalidInput, number>> = {};
  const unplaceable = new Set<string>();
  for (const row of rows) {
    for (const kind of INVALID_INPUTS) if (row[kind]) invalid[kind] = (invalid[kind] ?? 0) + 1;
    if (row.invalidLocation) unplaceable.add(row.id);
  }
  return { invalid, unplaceable };
}
