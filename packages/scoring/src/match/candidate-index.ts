import { cosLatitude, EARTH_RADIUS_KM, haversineKm } from "./geo.ts";
import { cosineSimilarity, unitCosine } from "./quiz.ts";
import type { MatchProfile } from "./types.ts";

/** A profile with what the remaining hard filters need: who the user is and seeks, how far they look. */
export interface DiscoveryUser extends MatchProfile {
  readonly gender: string;
  readonly gendersSought: readonly string[];
  readonly maxDistanceKm: number;
}

/** Kilometres per degree of latitude (and of longitude at the equator). */
const KM_PER_DEGREE = (Math.PI / 180) * EARTH_RADIUS_KM;

/**
 * The users of one gender and age, the located ones first sorted by latitude, with the numbers
 * the scan tests kept in typed arrays (no object is touched until a candidate passes them).
 */
interface Shelf {
  readonly users: DiscoveryUser[];
  /** Users [0, located) have a location. */
  readonly located: number;
  readonly latitudes: Float64Array;
  readonly longitudes: Float64Array;
  readonly minAges: Float64Array;
  readonly maxAges: Float64Array;
  readonly maxDistances: Float64Array;
  /** Bit set of the genders each one seeks (bits from {@link CandidateIndex.bitOf}). */
  readonly seeks: Uint32Array;
  /** Each one's attributes and dealbreakers as bit sets, `words` words a user. */
  readonly attributes: Uint32Array;
  readonly dealbreakers: Uint32Array;
  /** Each one's quiz unit vector when it has the population's usual length, side by side. */
  readonly quizzes: Float64Array;
  readonly hasQuiz: Uint8Array;
}

/** A viewer's candidates, each with the quiz distance narrowing orders by. */
export interface CandidatePool {
  readonly candidates: DiscoveryUser[];
  /** 1 − quiz cosine with the viewer, NaN where the two quizzes do not compare. */
  readonly quizDistances: Float64Array;
  /** Users the search tested to find them (the work: what a query would have scanned). */
  readonly tested: number;
}

/** Strings as bit positions, so that "shares any" is a few ANDs. */
class BitVocabulary {
  private readonly bits = new Map<string, number>();

  add(values: Iterable<string>): void {
    for (const v of values) if (!this.bits.has(v)) this.bits.set(v, this.bits.size);
  }

  get words(): number {
    return Math.max(1, Math.ceil(this.bits.size / 32));
  }

  /** Writes the set of `values` at `offset` (strings never added cannot match: left out). */
  write(values: Iterable<string>, target: Uint32Array, offset: number): void {
    for (const v of values) {
      const bit = this.bits.get(v);
      if (bit === undefined) continue;
      const word = offset + (bit >>> 5);
      target[word] = (target[word] as number) | (1 << (bit & 31));
    }
  }
}

/** Whether sets `a` (at `i`) and `b` (at `j`) of `words` words share a bit. */
function overlap(a: Uint32Array, i: number, b: Uint32Array, j: number, words: number): boolean {
  for (let w = 0; w < words; w++)
    if (((a[i + w] as number) & (b[j + w] as number)) !== 0) return true;
  return false;
}

/** Candidates and their quiz distances as the scan collects them, and the users it tested. */
interface Collected {
  candidates: DiscoveryUser[];
  quizDistances: number[];
  tested: number;
}

/** The most common quiz length (0 without any quiz). */
function usualQuizLength(users: readonly DiscoveryUser[]): number {
  const counts = new Map<number, number>();
  for (const u of users)
    if (u.quiz) counts.set(u.quiz.unit.length, (counts.get(u.quiz.unit.length) ?? 0) + 1);
  let usual = 0;
  for (const [length, n] of counts) if (n > (counts.get(usual) ?? 0)) usual = length;
  return usual;
}

/** First index whose value is ≥ `x` in an ascending array. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The viewer's search area: a latitude band and a longitude box around them. */
interface Area {
  readonly latitude: number;
  readonly longitude: number;
  readonly cosLatitude: number;
  readonly south: number;
  readonly north: number;
  readonly west: number;
  readonly east: number;
  readonly anyLongitude: boolean;
}

/** The same band and box as the candidate query (see `viewerWindow`), null without a location. */
function areaOf(viewer: DiscoveryUser): Area | null {
  if (!viewer.location) return null;
  const { latitude, longitude } = viewer.location;
  const band = viewer.maxDistanceKm / KM_PER_DEGREE;
  const halfWidth =
    viewer.maxDistanceKm / (KM_PER_DEGREE * Math.max(Math.cos((latitude * Math.PI) / 180), 0.01));
  return {
    latitude,
    longitude,
    cosLatitude: cosLatitude(latitude),
    south: latitude - band,
    north: latitude + band,
    west: longitude - halfWidth,
    east: longitude + halfWidth,
    anyLongitude: Math.abs(longitude) + halfWidth > 180,
  };
}

/**
 * A whole eligible population held in memory, by gender, age and latitude, that answers "whom
 * may this viewer be shown" without a query: the same hard filters as the candidate query
 * (gender both ways, ages and dealbreakers both ways, distance both ways: when both locations
 * are known, the great-circle distance is within the viewer's and the candidate's max distance,
 * found through the viewer's latitude band and longitude box). Blocks and reports are not known here; the job removes them.
 */
export class CandidateIndex {
  private readonly genderBits = new Map<string, number>();
  /** gender → age → shelf */
  private readonly shelves = new Map<string, Map<number, Shelf>>();

  private readonly vocabulary = new BitVocabulary();
  private readonly byId = new Map<string, DiscoveryUser>();
  private readonly words: number;
  /**
   * The usual quiz length: those vectors are kept contiguous, per shelf. Only the speed depends
   * on it (other lengths are compared one by one, to the same figure), so an index over part of
   * a population finds the same pools as one over all of it, whatever the part's usual length.
   */
  private readonly quizLength: number;

  constructor(users: readonly DiscoveryUser[]) {
    for (const user of users) {
      this.byId.set(user.id, user);
      this.vocabulary.add(user.attributes);
      this.vocabulary.add(user.wishes.dealbreakers);
    }
    this.words = this.vocabulary.words;
    this.quizLength = usualQuizLength(users);
    const grouped = new Map<string, Map<number, DiscoveryUser[]>>();
    for (const user of users) {
      for (const g of [user.gender, ...user.gendersSought]) this.bitOf(g);
      const byAge = grouped.get(user.gender) ?? new Map<number, DiscoveryUser[]>();
      grouped.set(user.gender, byAge);
      const list = byAge.get(user.age);
      if (list) list.push(user);
      else byAge.set(user.age, [user]);
    }
    for (const [gender, byAge] of grouped) {
      const ages = new Map<number, Shelf>();
      for (const [age, list] of byAge) ages.set(age, this.shelve(list));
      this.shelves.set(gender, ages);
    }
  }

  /** The viewer's candidates after every hard filter but blocks and reports (in no set order). */
  poolOf(viewer: DiscoveryUser): CandidatePool {
    const pool: Collected = { candidates: [], quizDistances: [], tested: 0 };
    const area = areaOf(viewer);
    const { minAge, maxAge } = viewer.wishes;
    const own = this.masksOf(viewer);
    // Compared by identity: comparing id strings per candidate costs more than the rest.
    const self = this.byId.get(viewer.id);
    for (const gender of new Set(viewer.gendersSought)) {
      const byAge = this.shelves.get(gender);
      if (!byAge) continue;
      for (const [age, shelf] of byAge) {
        if (age < minAge || age > maxAge) continue;
        if (area) {
          const start = lowerBound(shelf.latitudes.subarray(0, shelf.located), area.south);
          this.scan(viewer, own, self, shelf, start, shelf.located, area, pool);
          this.scan(viewer, own, self, shelf, shelf.located, shelf.users.length, null, pool);
        } else this.scan(viewer, own, self, shelf, 0, shelf.users.length, null, pool);
      }
    }
    return {
      candidates: pool.candidates,
      quizDistances: Float64Array.from(pool.quizDistances),
      tested: pool.tested,
    };
  }

  /**
   * Adds the shelf's users [from, to) who pass; with an area, stops past its north edge. The
   * shelf's age is in the viewer's range; here: the candidate seeks the viewer's gender and
   * accepts their age, neither has an attribute the other refuses, and the distance is within
   * both users' max distance.
   */
  private scan(
    viewer: DiscoveryUser,
    own: { attributes: Uint32Array; dealbreakers: Uint32Array },
    self: DiscoveryUser | undefined,
    shelf: Shelf,
    from: number,
    to: number,
    area: Area | null,
    pool: Collected,
  ): void {
    const { latitudes, longitudes, minAges, maxAges, maxDistances, seeks, users } = shelf;
    const { words } = this;
    const age = viewer.age;
    const viewerBit = this.bitOf(viewer.gender);
    let i = from;
    for (; i < to; i++) {
      if (area) {
        if ((latitudes[i] as number) > area.north) break;
        const lon = longitudes[i] as number;
        if (!area.anyLongitude && (lon < area.west || lon > area.east)) continue;
      }
      if (((seeks[i] as number) & viewerBit) === 0) continue;
      if (age < (minAges[i] as number) || age > (maxAges[i] as number)) continue;
      if (overlap(own.dealbreakers, 0, shelf.attributes, i * words, words)) continue;
      if (overlap(own.attributes, 0, shelf.dealbreakers, i * words, words)) continue;
      if (
        area &&
        haversineKm(
          area.latitude,
          area.longitude,
          area.cosLatitude,
          latitudes[i] as number,
          longitudes[i] as number,
        ) > Math.min(viewer.maxDistanceKm, maxDistances[i] as number)
      )
        continue;
      const candidate = users[i] as DiscoveryUser;
      if (candidate === self) continue;
      pool.candidates.push(candidate);
      pool.quizDistances.push(this.quizDistance(viewer, shelf, i));
    }
    pool.tested += i - from;
  }

  /** 1 − cosine of the viewer's quiz and the shelf's user `i`'s, NaN when they do not compare. */
  private quizDistance(viewer: DiscoveryUser, shelf: Shelf, i: number): number {
    const own = viewer.quiz;
    if (!own) return Number.NaN;
    if (own.unit.length === this.quizLength && shelf.hasQuiz[i] === 1)
      return 1 - unitCosine(own.unit, shelf.quizzes, i * this.quizLength);
    const other = (shelf.users[i] as DiscoveryUser).quiz;
    const cosine = other ? cosineSimilarity(own, other) : null;
    return cosine === null ? Number.NaN : 1 - cosine;
  }

  private masksOf(user: DiscoveryUser) {
    const attributes = new Uint32Array(this.words);
    const dealbreakers = new Uint32Array(this.words);
    this.vocabulary.write(user.attributes, attributes, 0);
    this.vocabulary.write(user.wishes.dealbreakers, dealbreakers, 0);
    return { attributes, dealbreakers };
  }

  private bitOf(gender: string): number {
    let bit = this.genderBits.get(gender);
    if (bit === undefined) {
      if (this.genderBits.size >= 32) throw new Error("more than 32 genders in one population");
      bit = 1 << this.genderBits.size;
      this.genderBits.set(gender, bit);
    }
    return bit;
  }

  private shelve(list: readonly DiscoveryUser[]): Shelf {
    const users = list
      .filter((u) => u.location !== null)
      .sort((a, b) => (a.location?.latitude ?? 0) - (b.location?.latitude ?? 0));
    const located = users.length;
    users.push(...list.filter((u) => u.location === null));
    const seeksOf = (u: DiscoveryUser) =>
      u.gendersSought.reduce((bits, g) => bits | this.bitOf(g), 0);
    return {
      users,
      located,
      latitudes: Float64Array.from(users, (u) => u.location?.latitude ?? Number.NaN),
      longitudes: Float64Array.from(users, (u) => u.location?.longitude ?? Number.NaN),
      minAges: Float64Array.from(users, (u) => u.wishes.minAge),
      maxAges: Float64Array.from(users, (u) => u.wishes.maxAge),
      maxDistances: Float64Array.from(users, (u) => u.maxDistanceKm),
      seeks: Uint32Array.from(users, seeksOf),
      attributes: this.masks(users, (u) => u.attributes),
      dealbreakers: this.masks(users, (u) => u.wishes.dealbreakers),
      ...this.quizMatrix(users),
    };
  }

  private quizMatrix(users: readonly DiscoveryUser[]) {
    const length = this.quizLength;
    const quizzes = new Float64Array(users.length * length);
    const hasQuiz = new Uint8Array(users.length);
    users.forEach((u, i) => {
      if (u.quiz?.unit.length !== length) return;
      quizzes.set(u.quiz.unit, i * length);
      hasQuiz[i] = 1;
    });
    return { quizzes, hasQuiz };
  }

  private masks(users: readonly DiscoveryUser[], values: (u: DiscoveryUser) => Iterable<string>) {
    const target = new Uint32Array(users.length * this.words);
    users.forEach((u, i) => {
      this.vocabulary.write(values(u), target, i * this.words);
    });
    return target;
  }
}
