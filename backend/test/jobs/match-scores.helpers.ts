import type { Database } from "@feed-jobs/db";
import { type fixtures, SAN_FRANCISCO, type UserFixture } from "../support/fixtures.ts";

/** Shared by the match-scores integration tests. */

export const now = new Date("2026-06-01T12:00:00Z");
export const hoursAfter = (at: Date, hours: number) => new Date(at.getTime() + hours * 3_600_000);

type Fixtures = ReturnType<typeof fixtures>;

/** A woman seeking men (the fixture default). */
export const woman = (f: Fixtures, id: string, u: Partial<UserFixture> = {}) =>
  f.user({ id, ...u });
/** A man seeking women. */
export const man = (f: Fixtures, id: string, u: Partial<UserFixture> = {}) =>
  f.user({ id, gender: "MAN", gendersSought: ["WOMAN"], ...u });

/** A point `km` north of San Francisco (1° of latitude ≈ 111.195 km). */
export const kmNorth = (km: number) => ({
  latitude: SAN_FRANCISCO.latitude + km / 111.195,
  longitude: SAN_FRANCISCO.longitude,
});

/** A 16-answer quiz (the demo's length): `lead` first, then a fixed pattern shifted by `tilt`. */
export const quiz16 = (lead: number, tilt = 0) =>
  Array.from({ length: 16 }, (_, i) =>
    i === 0 ? lead : Math.min(1, Math.max(0, 0.5 + 0.4 * Math.sin(i + tilt))),
  );

export interface ListedCandidate {
  candidate: string;
  score: number;
  reasons: string[];
}

/** A viewer's MatchScore list, best first. */
export async function listOf(db: Database, viewer: string): Promise<ListedCandidate[]> {
  const rows = await db.prisma.matchScore.findMany({
    where: { viewerUserId: viewer },
    orderBy: [{ score: "desc" }, { candidateUserId: "asc" }],
  });
  return rows.map((r) => ({
    candidate: r.candidateUserId,
    score: r.score,
    reasons: r.reasons as string[],
  }));
}

export const candidatesOf = async (db: Database, viewer: string) =>
  (await listOf(db, viewer)).map((r) => r.candidate);

/** When each viewer's list was computed (bookkeeping), by viewer id. */
export async function computedAtByViewer(db: Database): Promise<Record<string, string>> {
  const rows = await db.prisma.matchScoreViewer.findMany({ orderBy: { viewerUserId: "asc" } });
  return Object.fromEntries(rows.map((r) => [r.viewerUserId, r.computedAt.toISOString()]));
}
