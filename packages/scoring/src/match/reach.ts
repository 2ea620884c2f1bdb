import { EARTH_RADIUS_KM } from "./geo.ts";
import type { GeoPoint } from "./types.ts";

/** Kilometres per degree of latitude. */
const KM_PER_DEGREE = (Math.PI / 180) * EARTH_RADIUS_KM;
const DEGREES_PER_RADIAN = 180 / Math.PI;
/** Added to every edge (≈ 1 cm): rounding never puts a reachable user just outside. */
const MARGIN_DEGREES = 1e-7;

/** Where some viewers may meet located users (a user without a location is never too far). */
export interface Reach {
  readonly south: number;
  readonly north: number;
  /** A longitude range, or null for every longitude (near a pole, or across the ±180° meridian). */
  readonly longitudes: { readonly west: number; readonly east: number } | null;
}

/** What the reach of a viewer depends on. */
export interface Reaching {
  readonly location: GeoPoint | null;
  readonly maxDistanceKm: number;
}

/** A viewer with a location. */
interface Placed extends Reaching {
  readonly location: GeoPoint;
}

function allPlaced(viewers: readonly Reaching[]): viewers is readonly Placed[] {
  if (viewers.length === 0) throw new Error("reach: no viewers (a reach needs at least one)");
  return viewers.every((v) => v.location !== null);
}

/**
 * The latitude/longitude box around `viewers` (at least one) widened by the largest max
 * distance among them, or null (anywhere) when one has no location (they see candidates
 * anywhere). Every located user within a viewer's max distance lies inside, and so does every
 * user in the viewer's `CandidateIndex` search box: a shard that loads only these users finds
 * the same pools as an index over the whole population. The longitudes are widened by the
 * widest the viewers' circles get, at the most poleward viewer, asin(sin r / cos φ) (wider than
 * the index's r / cos φ); a circle around a pole, or a box across ±180°, takes every longitude.
 */
export function reachOf(viewers: readonly Reaching[]): Reach | null {
  return allPlaced(viewers) ? boxAround(viewers) : null;
}

/** Most boxes {@link reachesOf} splits viewers into: each is one more condition on a query. */
export const MAX_REACH_BOXES = 16;

/**
 * {@link reachOf} as a few boxes (at most {@link MAX_REACH_BOXES}) around runs of viewers close
 * in latitude, so that viewers in distant places (a shard's last viewers in one city and the
 * next city's first) do not reach everyone between them: sorted by latitude, the viewers are
 * split at the widest gaps between neighbours whose bands cannot touch. Null: anywhere.
 */
export function reachesOf(viewers: readonly Reaching[]): Reach[] | null {
  if (!allPlaced(viewers)) return null;
  const sorted = [...viewers].sort((a, b) => a.location.latitude - b.location.latitude);
  const maxKm = Math.max(...sorted.map((v) => v.maxDistanceKm));
  const apart = (2 * maxKm) / KM_PER_DEGREE;
  const latitude = (i: number) => (sorted[i] as Placed).location.latitude;
  const splits = sorted
    .map((_, i) => ({ at: i, gap: i === 0 ? 0 : latitude(i) - latitude(i - 1) }))
    .filter((g) => g.gap > apart)
    .sort((a, b) => b.gap - a.gap)
    .slice(0, MAX_REACH_BOXES - 1)
    .map((g) => g.at)
    .sort((a, b) => a - b);
  const bounds = [0, ...splits, sorted.length];
  return bounds.slice(1).map((end, i) => boxAround(sorted.slice(bounds[i], end)));
}

function boxAround(viewers: readonly Placed[]): Reach {
  let south = Number.POSITIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  let west = Number.POSITIVE_INFINITY;
  let east = Number.NEGATIVE_INFINITY;
  let poleward = 0;
  let maxKm = 0;
  for (const { location, maxDistanceKm } of viewers) {
    south = Math.min(south, location.latitude);
    north = Math.max(north, location.latitude);
    west = Math.min(west, location.longitude);
    east = Math.max(east, location.longitude);
    poleward = Math.max(poleward, Math.abs(location.latitude));
    maxKm = Math.max(maxKm, maxDistanceKm);
  }
  const band = maxKm / KM_PER_DEGREE + MARGIN_DEGREES;
  const halfWidth = longitudeHalfWidth(poleward, maxKm);
  const widened = halfWidth === null ? null : { west: west - halfWidth, east: east + halfWidth };
  return {
    south: south - band,
    north: north + band,
    longitudes: widened && widened.west >= -180 && widened.east <= 180 ? widened : null,
  };
}

/**
 * The widest longitude difference, in degrees, of a point within `km` of a point at latitude
 * ±`latitude`, or null when the circle holds a pole (every longitude is that close).
 */
function longitudeHalfWidth(latitude: number, km: number): number | null {
  const radius = km / EARTH_RADIUS_KM;
  const cos = Math.cos(latitude / DEGREES_PER_RADIAN);
  if (radius >= Math.PI / 2 || Math.sin(radius) >= cos) return null;
  return Math.asin(Math.sin(radius) / cos) * DEGREES_PER_RADIAN + MARGIN_DEGREES;
}
