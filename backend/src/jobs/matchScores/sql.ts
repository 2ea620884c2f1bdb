import { ADULT_AGE, eligiblePerson, Prisma } from "@feed-jobs/db";
import { EARTH_RADIUS_KM, QUIZ_NEUTRAL_ANSWER, type Reach } from "@feed-jobs/scoring/match";

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
/** Kilometres per degree of latitude on the sphere the distances use. */
const KM_PER_DEGREE = (Math.PI / 180) * EARTH_RADIUS_KM;

const col = (alias: string, column: string) => Prisma.raw(`${alias}.${column}`);

/** Whole years of age at `today` (the same figure everywhere: filters, profiles). */
export const ageOf = (alias: string, clock: Clock) =>
  Prisma.sql`date_part('year', age(${clock.today}::date, ${col(alias, "birth_date")}))::int`;

/*
 * Discovery inputs as stored, made usable here and only here: every query reads preferences,
 * places and quiz answers through these fragments, so that the search in memory (which loads
 * its profiles through them) and the candidate query see the same values. The rules are
 * documented in packages/scoring/src/match/index.ts; `invalidInputs` counts each kind.
 */

/** Oldest age a preference may name: bounds are clamped into [18, 120]. */
export const OLDEST_PREFERRED_AGE = 120;

/** Whether an age bound is one a person can have as a match. */
export const ageBoundValid = (bound: Prisma.Sql) =>
  Prisma.sql`(${bound} BETWEEN ${ADULT_AGE} AND ${OLDEST_PREFERRED_AGE})`;
const clampedAge = (bound: Prisma.Sql, absent: number) =>
  Prisma.sql`least(greatest(coalesce(${bound}, ${absent}), ${ADULT_AGE}), ${OLDEST_PREFERRED_AGE})`;

/** Whether a max distance is a distance: a finite number ≥ 0 (not NaN: NaN sorts above all). */
export const maxKmValid = (km: Prisma.Sql) =>
  Prisma.sql`(${km} >= 0 AND ${km} < 'Infinity'::float8)`;

/** A text array without its NULL elements (none when NULL). */
export const withoutNulls = (list: Prisma.Sql) =>
  Prisma.sql`coalesce(array_remove(${list}, NULL), '{}')`;

/**
 * Preferences from match_preferences row `p` (all NULL for a user without one: the defaults):
 * age bounds clamped into [18, 120], a max distance that is not a finite number ≥ 0 replaced by
 * the default, NULL list elements dropped.
 */
export function preferencesOf(p: string) {
  const c = (column: string) => col(p, column);
  return {
    minAge: clampedAge(c("min_age"), DEFAULT_MIN_AGE),
    maxAge: clampedAge(c("max_age"), DEFAULT_MAX_AGE),
    maxKm: Prisma.sql`(CASE WHEN ${maxKmValid(c("max_distance_km"))} THEN ${c("max_distance_km")}
      ELSE ${DEFAULT_MAX_DISTANCE_KM}::float8 END)`,
    dealbreakers: withoutNulls(c("dealbreakers")),
    preferences: withoutNulls(c("preferences")),
  };
}

/**
 * Whether user `u` can be placed: a latitude in [-90, 90] with a longitude in [-180, 180], or
 * no latitude at all (location unknown). Never NULL. Out of range, NaN, or a latitude without a
 * longitude is not a place: such a user is shown nobody (an empty list) and to nobody.
 */
export const placeable = (u: string) =>
  Prisma.sql`coalesce(${col(u, "latitude")} IS NULL OR (${col(u, "latitude")} BETWEEN -90 AND 90
    AND ${col(u, "longitude")} BETWEEN -180 AND 180), false)`;

/**
 * Whether user `u` (placeable) lies in one of `reaches` (see `reachesOf`; null: anywhere). A
 * user without a location always does: an unknown location is never too far.
 */
export function withinReach(u: string, reaches: readonly Reach[] | null): Prisma.Sql {
  if (!reaches) return Prisma.sql`true`;
  const latitude = col(u, "latitude");
  const boxes = reaches.map(({ south, north, longitudes }) => {
    const inLongitudes = longitudes
      ? Prisma.sql`AND ${col(u, "longitude")} BETWEEN ${longitudes.west}::float8 AND ${longitudes.east}::float8`
      : Prisma.empty;
    return Prisma.sql`(${latitude} BETWEEN ${south}::float8 AND ${north}::float8 ${inLongitudes})`;
  });
  return Prisma.sql`(${latitude} IS NULL OR ${Prisma.join(boxes, " OR ")})`;
}

/** Viewers of one gender who seek the same genders, as {@link reachableBy} takes them. */
export interface ViewerGroup {
  readonly gender: string;
  readonly sought: readonly string[];
  /** Where they may meet located users (`reachesOf` them); null: anywhere. */
  readonly reaches: readonly Reach[] | null;
}

/**
 * Whether user `u` is one of `viewerIds` or someone a group of them may meet: of a gender the
 * group seeks, seeking the group's gender, within its reach (a superset of every viewer's
 * hard filters).
 */
export function reachableBy(
  u: string,
  viewerIds: readonly string[],
  groups: readonly ViewerGroup[],
) {
  const meets = groups.map(
    (group) => Prisma.sql`(${col(u, "gender")}::text = ANY(${group.sought}::text[])
      AND ${group.gender}::text = ANY(${col(u, "genders_sought")}::text[])
      AND ${withinReach(u, group.reaches)})`,
  );
  const anyGroup = meets.length === 0 ? Prisma.sql`false` : Prisma.join(meets, " OR ");
  return Prisma.sql`(${col(u, "id")} = ANY(${viewerIds}::text[]) OR ${anyGroup})`;
}

/**
 * Why a person eligible by the shared rule still cannot be scored or shown by match-scores:
 * 'inactive' (not active within `inactiveAfterDays`) or 'noGender'; NULL when they can be.
 */
export function unscorableReason(alias: string, clock: Clock): Prisma.Sql {
  const c = (column: string) => col(alias, column);
  return Prisma.sql`(CASE
    WHEN ${c("last_active_at")} IS NULL OR ${c("last_active_at")} < ${clock.activeSince} THEN 'inactive'
    WHEN ${c("gender")} IS NULL THEN 'noGender'
  END)`;
}

/**
 * A user who may be scored and shown: eligible by the shared rule (an adult, neither deleted
 * nor deactivated as of now), active within `inactiveAfterDays`, with a gender. Never NULL.
 */
export function eligible(alias: string, clock: Clock): Prisma.Sql {
  return Prisma.sql`(${eligiblePerson(alias, clock.now)} AND ${unscorableReason(alias, clock)} IS NULL)`;
}

/**
 * Haversine distance in km between two (lat, lon) column pairs; NULL if any is NULL (tested
 * first: `least` ignores a NULL, which would make an unknown distance the longest one).
 */
export function distanceKmSql(
  lat1: Prisma.Sql,
  lon1: Prisma.Sql,
  lat2: Prisma.Sql,
  lon2: Prisma.Sql,
) {
  return Prisma.sql`(CASE WHEN ${lat1} IS NOT NULL AND ${lon1} IS NOT NULL AND ${lat2} IS NOT NULL
    AND ${lon2} IS NOT NULL THEN 2 * ${EARTH_RADIUS_KM}::float8 * asin(least(1, sqrt(
    power(sin(radians(${lat2} - ${lat1}) / 2), 2)
    + cos(radians(${lat1})) * cos(radians(${lat2})) * power(sin(radians(${lon2} - ${lon1}) / 2), 2)))) END)`;
}

/** Most answers a quiz may have: far above any real quiz, far below pgvector's 16,000. */
export const MAX_QUIZ_ANSWERS = 1000;

/**
 * Answers on the quiz's scale: at most {@link MAX_QUIZ_ANSWERS}, no NULL, each in [0, 1] (NaN
 * sorts above 1, so it is out, as are ±Infinity). Invalid answers are no quiz at all (counted
 * as "invalidQuiz").
 */
export const answersValid = (answers: string) =>
  Prisma.raw(`(coalesce(array_length(${answers}, 1), 0) <= ${MAX_QUIZ_ANSWERS}
    AND array_position(${answers}, NULL) IS NULL
    AND 0 <= ALL(${answers}) AND 1 >= ALL(${answers}))`);

/**
 * Answers that compare: valid, some, and not all neutral (no direction). Profiles read only
 * these (others as no quiz), so `toQuizVector` and pgvector see the same quizzes.
 */
export const usableQuiz = (answers: string) =>
  Prisma.sql`(array_length(${Prisma.raw(answers)}, 1) > 0 AND ${answersValid(answers)}
    AND NOT (${QUIZ_NEUTRAL_ANSWER}::float8 = ALL(${Prisma.raw(answers)})))`;

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
 * stopped being eligible since the run selected them, or cannot be placed, is left out.
 */
export function viewerWindow(viewerIds: readonly string[], clock: Clock, withQuiz = false) {
  const quiz = withQuiz
    ? Prisma.sql`, CASE WHEN ${usableQuiz("q.answers")} THEN ${centredQuiz("q.answers")} END AS quiz,
        array_length(q.answers, 1) AS quiz_length`
    : Prisma.empty;
  const quizJoin = withQuiz
    ? Prisma.sql`LEFT JOIN quiz_responses q ON q.user_id = u.id`
    : Prisma.empty;
  const wishes = preferencesOf("p");
  const maxKm = wishes.maxKm;
  return Prisma.sql`
    SELECT u.id, u.gender, u.genders_sought, ${withoutNulls(Prisma.sql`u.attributes`)} AS attributes,
           ${ageOf("u", clock)} AS age,
           (${clock.today}::date - make_interval(years => ${wishes.minAge}))::date AS youngest_birth,
           (${clock.today}::date - make_interval(years => ${wishes.maxAge} + 1))::date AS oldest_birth,
           u.latitude AS lat, CASE WHEN u.latitude IS NOT NULL THEN u.longitude END AS lon,
           ${maxKm} AS max_km,
           coalesce(u.latitude - ${maxKm} / ${KM_PER_DEGREE}::float8, -90) AS lat_lo,
           coalesce(u.latitude + ${maxKm} / ${KM_PER_DEGREE}::float8, 90) AS lat_hi,
           ${maxKm} / (${KM_PER_DEGREE}::float8 * greatest(cos(radians(u.latitude)), 0.01)) AS dlon,
           ${wishes.dealbreakers} AS dealbreakers ${quiz}
    FROM users u
    LEFT JOIN match_preferences p ON p.user_id = u.id
    ${quizJoin}
    WHERE u.id = ANY(${viewerIds}::text[]) AND ${eligible("u", clock)} AND ${placeable("u")}`;
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
 * candidate is eligible and can be placed, within the viewer's distance (band and box, then
 * exact) when both locations are known, and has no attribute the viewer refuses. `located`
 * picks candidates with a location, or those without one (who cannot be too far). The
 * candidate's own age range, dealbreakers and max distance are checked by the job on the
 * profiles it loads anyway (`acceptEachOther`, `withinEachOthersDistance`), which spares a
 * preferences lookup per row; blocks and reports are applied by the job too.
 */
export function candidateFilters(clock: Clock, located: boolean): Prisma.Sql {
  // Placeable before the distance: the haversine of an infinite coordinate is an error.
  const near = Prisma.sql`(c.latitude BETWEEN v.lat_lo AND v.lat_hi AND ${placeable("c")}
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
