import type { GeoPoint } from "./types.ts";

/** Mean Earth radius (IUGG), the same constant the candidate query uses. */
export const EARTH_RADIUS_KM = 6371.0088;
export const KM_PER_MILE = 1.609344;

const RAD = Math.PI / 180;

/** Haversine great-circle distance in km (the same formula as the SQL distance filter). */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  return haversineKm(a.latitude, a.longitude, cosLatitude(a.latitude), b.latitude, b.longitude);
}

/** The cosine of a latitude in degrees, as {@link haversineKm} takes it for its first point. */
export const cosLatitude = (latitude: number) => Math.cos(latitude * RAD);

/** {@link distanceKm} on plain numbers, with the first point's `cosLatitude` computed once. */
export function haversineKm(
  lat1: number,
  lon1: number,
  cosLat1: number,
  lat2: number,
  lon2: number,
): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + cosLat1 * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1, h)));
}
