import { Prisma } from "@feed-jobs/db";
import { EARTH_RADIUS_KM, QUIZ_NEUTRAL_ANSWER } from "@feed-jobs/scoring/match";

/** SQL fragments shared by the match-scores queries (pure: builds SQL, runs nothing). */

/** The run's clock as the queries need it. */
export interface Clock {
  readonly now: Date;
  /** `now` as a UTC date ('YYYY-MM-DD'): ages are whole years at this date. */
  readonly today: string;
  /** Users last active before this are inactive. */
  readonly activeSince: Date;
}

/** Preferences of a user without a match_preferences row: the column defaults. */
export const DEFAULT_MIN_AGE = 18;
export const DEFAULT_MAX_AGE = 99;
export const DEFAULT_MAX_DISTANCE_KM = 80;
const ADULT_AGE = 18;
/** Kilometres per degree of latitude on the sphere the distances use. */
const KM_PER_DEGREE = (Math.PI / 180) * EARTH_RADIUS_KM;

const col = (alias: string, column: string) => Prisma.raw(`${alias}.${column}`);

/** Whole years of age at `today` (the same figure everywhere: filters, profiles). */
export const ageOf = (alias: string, clock: Clock) =>
  Prisma.sql`date_part('year', age(${clock.today}::date, ${col(alias, "birth_date")}))::int`;

/**
 * A user who may be scored and shown: not deleted or deactivated (as of now), active within
 * `inactiveAfterDays`, an adult by birth date, with a gender. Never NULL.
 */
export function eligible(alias: string, clock: Clock): Prisma.Sql {
  const c = (column: string) => col(alias, column);
  return Prisma.sql`(
    (${c("deleted_at")} IS NULL OR ${c("deleted_at")} > ${clock.now})
    AND (${c("deactivated_at")} IS NULL OR ${c("deactivated_at")} > ${clock.now})
    AND ${c("last_active_at")} IS NOT NULL AND ${c("last_active_at")} >= ${clock.activeSince}
    AND ${c("birth_date")} IS NOT NULL
    AND ${c("birth_date")} <= (${clock.today}::date - make_interval(years => ${ADULT_AGE}))::date
    AND ${c("gender")} IS NOT NULL)`;
}

/** Haversine distance in km between two (lat, lon) column pairs; NULL if any is NULL. */
export function distanceKmSql(
  lat1: Prisma.Sql,
  lon1: Prisma.Sql,
  lat2: Prisma.Sql,
  lon2: Prisma.Sql,
) {
  return Prisma.sql`(2 * ${EARTH_RADIUS_KM}::float8 * asin(least(1, sqrt(
    power(sin(radians(${lat2} - ${lat1}) / 2), 2)
    + cos(radians(${lat1})) * cos(radians(${lat2})) * power(sin(radians(${lon2} - ${lon1}) / 2), 2)))))`;
}

/**
 * Answers pgvector can compare: no null or non-finite answer and not all neutral (no direction),
 * the SQL twin of `toQuizVector` returning a vector.
 */
const usableQuiz = (answers: string) =>
  Prisma.raw(`(array_length(${answers}, 1) > 0
    AND array_position(${answers}, NULL) IS NULL
    AND NOT (${answers} && '{NaN,Infinity,-Infinity}'::float8[])
    AND NOT (${QUIZ_NEUTRAL_ANSWER}::float8 = ALL(${answers})))`);

/** Answers as a pgvector vector centred on the neutral answer (as `toQuizVector` centres). */
const centredQuiz = (answers: string) =>
  Prisma.raw(`(${answers}::vector
    - array_fill(${QUIZ_NEUTRAL_ANSWER}::float8, ARRAY[array_length(${answers}, 1)])::vector)`);

/**
 * Cosine distance between the viewer's quiz (`v.quiz`, see {@link viewerWindow}) and answers
 * `answers`, or NULL when they do not compare (either unusable, or of different lengths).
 */
export const quizDistance = (answers: string) =>
  Prisma.sql`CASE WHEN v.quiz IS NOT NULL AND array_length(${Prisma.raw(answers)}, 1) = v.quiz_length
    AND ${usableQuiz(answers)} THEN ${centredQuiz(answers)} <=> v.quiz END`;

/**
 * The batch's viewers with what the candidate filters need: their age, the birth-date window
 * of their preferred ages (never under 18), and a latitude band and longitude half-width
 * around them (the band is the whole globe for a viewer without a location); with
 * `withQuiz`, their centred quiz vector when usable (pgvector only). A viewer who
 * stopped being eligible since the run selected them is left out.
 */
export function viewerWindow(viewerIds: readonly string[], clock: Clock, withQuiz = false) {
  const quiz = withQuiz
    ? Prisma.sql`, CASE WHEN ${usableQuiz("q.answers")} THEN ${centredQuiz("q.answers")} END AS quiz,
        array_length(q.answers, 1) AS quiz_length`
    : Prisma.empty;
  const quizJoin = withQuiz
    ? Prisma.sql`LEFT JOIN quiz_responses q ON q.user_id = u.id`
    : Prisma.empty;
  const maxKm = Prisma.sql`coalesce(p.max_distance_km, ${DEFAULT_MAX_DISTANCE_KM})`;
  return Prisma.sql`
    SELECT u.id, u.gender, u.genders_sought, coalesce(u.attributes, '{}') AS attributes,
           ${ageOf("u", clock)} AS age,
           (${clock.today}::date - make_interval(years => greatest(coalesce(p.min_age, ${DEFAULT_MIN_AGE}), ${ADULT_AGE})))::date AS youngest_birth,
           (${clock.today}::date - make_interval(years => coalesce(p.max_age, ${DEFAULT_MAX_AGE}) + 1))::date AS oldest_birth,
           u.latitude AS lat, u.longitude AS lon, ${maxKm} AS max_km,
           coalesce(u.latitude - ${maxKm} / ${KM_PER_DEGREE}::float8, -90) AS lat_lo,
           coalesce(u.latitude + ${maxKm} / ${KM_PER_DEGREE}::float8, 90) AS lat_hi,
           ${maxKm} / (${KM_PER_DEGREE}::float8 * greatest(cos(radians(u.latitude)), 0.01)) AS dlon,
           coalesce(p.dealbreakers, '{}') AS dealbreakers ${quiz}
    FROM users u
    LEFT JOIN match_preferences p ON p.user_id = u.id
    ${quizJoin}
    WHERE u.id = ANY(${viewerIds}::text[]) AND ${eligible("u", clock)}`;
}

/** Distance from the viewer (`v`) to candidate `c`, NULL when either location is unknown. */
export const candidateKm = distanceKmSql(
  Prisma.raw("v.lat"),
  Prisma.raw("v.lon"),
  Prisma.raw("c.latitude"),
  Prisma.raw("c.longitude"),
);

/**
 * The hard filters on the viewer's side, between viewer `v` (a {@link viewerWindow} row) and
 * candidate `c` (users), index-friendly first (gender, the latitude band, the birth-date
 * window): each seeks the other's gender, the candidate's age is in the viewer's range, the
 * candidate is eligible, within the viewer's distance (band and box, then exact) when both
 * locations are known, and has no attribute the viewer refuses. `located` picks candidates
 * with a location, or those without one (who cannot be too far). The candidate's own age range and dealbreakers are checked by the job on
 * the profiles it loads anyway (`acceptEachOther`), which spares a preferences lookup per row;
 * blocks and reports are applied by the job too.
 */
export function candidateFilters(clock: Clock, located: boolean): Prisma.Sql {
  const near = Prisma.sql`(c.latitude BETWEEN v.lat_lo AND v.lat_hi
      AND (v.lat IS NULL OR (
        (abs(v.lon) + v.dlon > 180 OR c.longitude BETWEEN v.lon - v.dlon AND v.lon + v.dlon)
        AND ${candidateKm} <= v.max_km)))`;
  const where = located ? near : Prisma.sql`c.latitude IS NULL`;
  return Prisma.sql`
    c.gender = ANY(v.genders_sought)
    AND ${where}
    AND c.birth_date <= v.youngest_birth AND c.birth_date > v.oldest_birth
    AND c.id <> v.id
    AND v.gender = ANY(c.genders_sought)
    AND ${eligible("c", clock)}
    AND NOT (coalesce(c.attributes, '{}') && v.dealbreakers)`;
}
