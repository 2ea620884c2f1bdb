import type { DiscoveryUser } from "./candidate-index.ts";
import { distanceKm } from "./geo.ts";
import type { MatchProfile } from "./types.ts";

/**
 * The hard filters that depend on both users' preferences: each one's age is inside the
 * other's range and neither has an attribute the other refuses. Symmetric. (Gender, eligibility,
 * blocks and reports are filtered by the job; distance by {@link withinEachOthersDistance}.)
 */
export function acceptEachOther(a: MatchProfile, b: MatchProfile): boolean {
  return accepts(a, b) && accepts(b, a);
}

function accepts(user: MatchProfile, other: MatchProfile): boolean {
  const { minAge, maxAge, dealbreakers } = user.wishes;
  if (other.age < minAge || other.age > maxAge) return false;
  for (const refused of dealbreakers) if (other.attributes.has(refused)) return false;
  return true;
}

/**
 * Distance both ways: when both locations are known, they are within both users' max distance
 * (an unknown location is never too far). Symmetric; the same figure the `CandidateIndex` tests.
 */
export function withinEachOthersDistance(a: DiscoveryUser, b: DiscoveryUser): boolean {
  if (!a.location || !b.location) return true;
  return distanceKm(a.location, b.location) <= Math.min(a.maxDistanceKm, b.maxDistanceKm);
}
