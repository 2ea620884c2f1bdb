import { DAY, GOALS, type Goal, HOUR, MAN, NONBINARY, WINDOW_DAYS, WOMAN } from "./constants.ts";
import { attributesFor, preferencesFor } from "./profile.ts";
import type { Rng } from "./random.ts";
import type { Taste } from "./tastes.ts";
import { personality } from "./traits.ts";
import { CITIES, MEN_NAMES, NEUTRAL_NAMES, SURNAME_INITIALS, WOMEN_NAMES } from "./vocabulary.ts";

export interface Preference {
  minAge: number;
  maxAge: number;
  maxDistanceKm: number;
  dealbreakers: string[];
  preferences: string[];
  updatedAt: number;
}

/** One generated user, with the latent traits the later tables are drawn from. */
export interface Person {
  index: number;
  id: string;
  displayName: string;
  age: number;
  birthDate: string;
  gender: number;
  /** Bit set of sought genders: 1 << WOMAN | 1 << MAN | 1 << NONBINARY. */
  seeks: number;
  goal: Goal | null;
  attributes: string[];
  city: number;
  lat: number | null;
  lon: number | null;
  createdAt: number;
  /** Null: signed up and never came back. Every action of the user lies in [createdAt, lastActiveAt]. */
  lastActiveAt: number | null;
  profileUpdatedAt: number;
  quizUpdatedAt: number | null;
  locationUpdatedAt: number | null;
  deactivatedAt: number | null;
  deletedAt: number | null;
  quiz: number[] | null;
  /** Interest tag indices into TAGS. */
  interests: number[];
  pref: Preference | null;
  /** Hidden tastes: the inputs above are noisy views of them, the outcomes are drawn from them. */
  taste: Taste;
  /**
   * Posts written in the last 90 days: about two thirds of users post at all, a log-normal number
   * of times (median 1; the top tenth of authors write about two thirds of the posts).
   */
  postCount: number;
}

/** Age quantiles of real dating profiles (5% 21, 25% 26, median 30, 75% 37, 95% 52), to 18–70. */
const AGE_QUANTILES: readonly [number, number][] = [
  [0, 18.05],
  [0.05, 21],
  [0.25, 26],
  [0.5, 30],
  [0.75, 37],
  [0.95, 52],
  [0.99, 63],
  [1, 70.95],
];

function sampleAge(rng: Rng): number {
  const u = rng.float();
  for (let i = 1; i < AGE_QUANTILES.length; i++) {
    const [q1, a1] = AGE_QUANTILES[i] as [number, number];
    const [q0, a0] = AGE_QUANTILES[i - 1] as [number, number];
    if (u <= q1) return a0 + ((u - q0) / (q1 - q0)) * (a1 - a0);
  }
  return 70.95;
}

const W = 1 << WOMAN;
const M = 1 << MAN;
const NB = 1 << NONBINARY;

/** Sex × orientation shares (OkCupid) plus a small non-binary share. */
const IDENTITIES: readonly { share: number; gender: number; seeks: () => number[] }[] = [
  { share: 51.8, gender: MAN, seeks: () => [W] },
  { share: 34.3, gender: WOMAN, seeks: () => [M] },
  { share: 6.6, gender: MAN, seeks: () => [M] },
  { share: 3.3, gender: WOMAN, seeks: () => [W | M, W | M | NB] },
  { share: 2.6, gender: WOMAN, seeks: () => [W, W, W | NB] },
  { share: 1.3, gender: MAN, seeks: () => [W | M, W | M | NB] },
  { share: 1.6, gender: NONBINARY, seeks: () => [W | M | NB, W | NB, M | NB, W | M] },
];

const pad = (n: number, width: number) => String(n).padStart(width, "0");
export const userId = (index: number) => `u${pad(index + 1, 6)}`;
const round = (x: number, digits: number) => Number(x.toFixed(digits));
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** One user; `cityWeights` (see shape.ts) decides where they live. */
export function makePerson(
  rng: Rng,
  index: number,
  now: number,
  archetypes: number[][],
  cityWeights: readonly number[],
): Person {
  const age = sampleAge(rng);
  const identity = IDENTITIES[rng.weighted(IDENTITIES.map((i) => i.share))] ?? IDENTITIES[0];
  const gender = identity?.gender ?? MAN;
  const seeks = rng.pick(identity?.seeks() ?? [W]);
  const names = gender === WOMAN ? WOMEN_NAMES : gender === MAN ? MEN_NAMES : NEUTRAL_NAMES;
  const displayName = `${rng.pick(names)} ${rng.pick([...SURNAME_INITIALS])}.`;
  const birthDate = isoDate(now - age * 365.2425 * DAY);

  const { quiz, interests, taste } = personality(rng, archetypes, gender);
  const hasQuiz = quiz !== null;

  const city = rng.weighted(cityWeights);
  const home = CITIES[city] ?? CITIES[0];
  let lat: number | null = null;
  let lon: number | null = null;
  if (rng.chance(0.92) && home) {
    const r = 30 * rng.float() ** 0.8;
    const bearing = rng.range(0, 2 * Math.PI);
    lat = round(home.lat + (r / 111.32) * Math.cos(bearing), 5);
    lon = round(
      home.lon + (r / (111.32 * Math.cos((home.lat * Math.PI) / 180))) * Math.sin(bearing),
      5,
    );
  }

  // Timeline: signed up (recent-skewed, never before 18), last active, maybe left.
  const maxSignupDays = Math.max(0.5, (age - 18) * 365.2425 - 1);
  const signupDays = Math.min(maxSignupDays, 1 + 1000 * rng.float() ** 1.7);
  const createdAt = Math.floor(now - signupDays * DAY);
  const r = rng.float();
  let lastActiveAt: number | null =
    r < 0.01
      ? null
      : r < 0.62
        ? now - rng.exponential(1.5 * DAY)
        : r < 0.86
          ? now - rng.range(2, 30) * DAY
          : now - rng.range(30, 200) * DAY;
  let deactivatedAt: number | null = null;
  let deletedAt: number | null = null;
  const leaving = rng.float();
  if (leaving < 0.06) {
    const left = Math.max(createdAt + HOUR, now - rng.range(1, 150) * DAY);
    const at = Math.min(now - 60_000, left);
    if (leaving < 0.05) deactivatedAt = at;
    else deletedAt = at;
    if (lastActiveAt !== null)
      lastActiveAt = Math.min(lastActiveAt, at - rng.exponential(2 * HOUR));
  }
  if (lastActiveAt !== null) {
    lastActiveAt = Math.floor(Math.min(now, Math.max(lastActiveAt, createdAt + 10 * 60_000)));
    if (deactivatedAt !== null) deactivatedAt = Math.max(deactivatedAt, lastActiveAt);
    if (deletedAt !== null) deletedAt = Math.max(deletedAt, lastActiveAt);
  }
  const until = lastActiveAt ?? createdAt;
  const within = (shape: number) =>
    Math.floor(createdAt + (until - createdAt) * rng.float() ** shape);

  const attributes = attributesFor(rng, age, interests);
  const person: Person = {
    index,
    id: userId(index),
    displayName,
    age,
    birthDate,
    gender,
    seeks,
    goal: rng.chance(0.15) ? null : pickGoal(rng, age),
    attributes,
    city,
    lat,
    lon,
    createdAt,
    lastActiveAt,
    profileUpdatedAt: within(1),
    quizUpdatedAt: hasQuiz ? within(2) : null,
    locationUpdatedAt: lat === null ? null : within(0.5),
    deactivatedAt: deactivatedAt === null ? null : Math.floor(deactivatedAt),
    deletedAt: deletedAt === null ? null : Math.floor(deletedAt),
    quiz,
    interests,
    pref: null,
    taste,
    postCount: 0,
  };
  person.pref = rng.chance(0.9) ? preferencesFor(rng, person, within(1)) : null;
  const lo = Math.max(createdAt, now - WINDOW_DAYS * DAY);
  const span = lastActiveAt === null ? 0 : Math.max(0, lastActiveAt - lo) / (WINDOW_DAYS * DAY);
  if (span > 0 && rng.chance(0.75)) {
    const cap = Math.max(1, Math.floor(3 * WINDOW_DAYS * span));
    person.postCount = Math.min(
      cap,
      Math.max(1, Math.floor(rng.lognormal(1.1, 1.8) * span ** 0.5)),
    );
  }
  return person;
}

function pickGoal(rng: Rng, age: number): Goal {
  const older = Math.min(1, Math.max(0, (age - 25) / 20));
  const weights = [28 + 20 * older, 13, 12, 19 - 8 * older, 25];
  return GOALS[rng.weighted(weights)] ?? "UNSURE";
}
