import type { MatchProfile } from "./types.ts";

/**
 * The hard filters that depend on both users' preferences: each one's age is inside the
 * other's range and neither has an attribute the other refuses. Symmetric. (Gender, distance,
 * eligibility, blocks and reports are filtered by the job before profiles are built.)
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
