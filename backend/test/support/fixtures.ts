import type { Database, EngagementType, Gender, PostType, RelationshipGoal } from "@feed-jobs/db";

/** Hand-built inputs for integration tests: small, explicit, with sensible defaults. */

export const SAN_FRANCISCO = { latitude: 37.7749, longitude: -122.4194 };

export interface UserFixture {
  id: string;
  /** Age in whole years at `now` (default 30). */
  age?: number;
  gender?: Gender | null;
  gendersSought?: Gender[];
  relationshipGoal?: RelationshipGoal | null;
  attributes?: string[];
  latitude?: number | null;
  longitude?: number | null;
  lastActiveAt?: Date;
  deactivatedAt?: Date | null;
  deletedAt?: Date | null;
  profileUpdatedAt?: Date;
  quizUpdatedAt?: Date | null;
  locationUpdatedAt?: Date | null;
  /** null: no preferences row. Default: 18–99, 80 km. */
  preference?: {
    minAge?: number;
    maxAge?: number;
    maxDistanceKm?: number;
    dealbreakers?: string[];
    preferences?: string[];
  } | null;
  /** Quiz answers; default none. */
  quiz?: number[];
  interests?: string[];
}

export interface PostFixture {
  id: string;
  authorId: string;
  type?: PostType;
  caption?: string | null;
  mediaCount?: number;
  tags?: string[];
  createdAt: Date;
  updatedAt?: Date;
  deletedAt?: Date | null;
}

export interface EventFixture {
  actorId: string;
  type: EngagementType;
  at: Date;
  postId?: string;
  /** Default: the post's author for post events. */
  targetUserId?: string;
}

export function fixtures(db: Database, now: Date) {
  const prisma = db.prisma;
  return {
    async user(u: UserFixture) {
      const birthDate = new Date(now);
      birthDate.setUTCFullYear(birthDate.getUTCFullYear() - (u.age ?? 30));
      birthDate.setUTCDate(birthDate.getUTCDate() - 1);
      await prisma.user.create({
        data: {
          id: u.id,
          displayName: u.id,
          birthDate,
          gender: u.gender === undefined ? "WOMAN" : u.gender,
          gendersSought: u.gendersSought ?? ["MAN"],
          relationshipGoal: u.relationshipGoal === undefined ? "LONG_TERM" : u.relationshipGoal,
          attributes: u.attributes ?? [],
          latitude: u.latitude === undefined ? SAN_FRANCISCO.latitude : u.latitude,
          longitude: u.longitude === undefined ? SAN_FRANCISCO.longitude : u.longitude,
          lastActiveAt: u.lastActiveAt ?? now,
          createdAt: new Date(now.getTime() - 365 * 86_400_000),
          profileUpdatedAt: u.profileUpdatedAt ?? new Date(now.getTime() - 30 * 86_400_000),
          quizUpdatedAt: u.quizUpdatedAt ?? null,
          locationUpdatedAt: u.locationUpdatedAt ?? null,
          deactivatedAt: u.deactivatedAt ?? null,
          deletedAt: u.deletedAt ?? null,
        },
      });
      if (u.preference !== null) {
        await prisma.matchPreference.create({
          data: {
            userId: u.id,
            ...(u.preference ?? {}),
            updatedAt: new Date(now.getTime() - 30 * 86_400_000),
          },
        });
      }
      if (u.quiz) {
        await prisma.quizResponse.create({
          data: {
            userId: u.id,
            answers: u.quiz,
            updatedAt: new Date(now.getTime() - 30 * 86_400_000),
          },
        });
      }
      if (u.interests?.length) {
        await prisma.userInterest.createMany({
          data: u.interests.map((tag) => ({ userId: u.id, tag })),
        });
      }
    },
    async post(p: PostFixture) {
      await prisma.post.create({
        data: {
          id: p.id,
          authorId: p.authorId,
          type: p.type ?? "TEXT",
          caption: p.caption === undefined ? "A quiet walk by the ocean this morning" : p.caption,
          mediaCount: p.mediaCount ?? 0,
          tags: p.tags ?? [],
          createdAt: p.createdAt,
          updatedAt: p.updatedAt ?? p.createdAt,
          deletedAt: p.deletedAt ?? null,
        },
      });
    },
    async event(e: EventFixture) {
      let targetUserId = e.targetUserId;
      if (!targetUserId && e.postId) {
        const post = await prisma.post.findUniqueOrThrow({ where: { id: e.postId } });
        targetUserId = post.authorId;
      }
      if (!targetUserId) throw new Error("event fixture needs a postId or a targetUserId");
      await prisma.engagementEvent.create({
        data: {
          actorId: e.actorId,
          type: e.type,
          postId: e.postId ?? null,
          targetUserId,
          occurredAt: e.at,
        },
      });
    },
    /** `count` identical events (e.g. five likes from five users is better built explicitly). */
    async events(list: EventFixture[]) {
      for (const e of list) await this.event(e);
    },
    async message(m: { id: string; from: string; to: string; at: Date }) {
      await prisma.message.create({
        data: { id: m.id, senderId: m.from, recipientId: m.to, sentAt: m.at },
      });
    },
  };
}

export const hoursBefore = (now: Date, hours: number) =>
  new Date(now.getTime() - hours * 3_600_000);
export const daysBefore = (now: Date, days: number) => hoursBefore(now, days * 24);

/** PostFeatures rows as the content-features job writes them; only `topics` is set here. */
export async function insertPostFeatures(
  db: Database,
  rows: readonly { postId: string; topics: string[] }[],
) {
  await db.prisma.postFeatures.createMany({
    data: rows.map((r) => ({
      postId: r.postId,
      topics: r.topics,
      inputHash: "fixture",
      algorithmVersion: "fixture",
    })),
  });
}
