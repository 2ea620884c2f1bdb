import { Prisma } from "@feed-jobs/db";
import { GENDERS } from "./constants.ts";
import { caption, cityOf, postTags } from "./content.ts";
import type { Person } from "./population.ts";
import type { PostPlan } from "./posts.ts";
import type { Rng } from "./random.ts";
import { TAGS } from "./vocabulary.ts";

export type Tx = Prisma.TransactionClient;

/** Rows per INSERT … SELECT FROM unnest(…) statement. */
export const CHUNK = 20_000;

/** A Postgres array literal ('{"a","b"}'), cast per row in SQL (`x::text[]`). */
export function arrayLiteral(values: readonly (string | number)[]): string {
  const items = values.map((v) =>
    typeof v === "number" ? String(v) : `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`,
  );
  return `{${items.join(",")}}`;
}

async function inChunks<T>(rows: readonly T[], write: (chunk: readonly T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

/** Epoch milliseconds (float8, null-preserving) → timestamp(3) in UTC, whatever the session zone. */
export const ts = (column: string) =>
  Prisma.raw(`(timestamp '1970-01-01' + ${column} * interval '1 millisecond')`);

const seeksList = (seeks: number) => GENDERS.filter((_, g) => (seeks >> g) & 1);

export async function insertUsers(tx: Tx, people: readonly Person[]): Promise<void> {
  await inChunks(people, async (rows) => {
    const col = <V>(f: (p: Person) => V) => rows.map(f);
    await tx.$executeRaw`
      INSERT INTO users (id, display_name, birth_date, gender, genders_sought, relationship_goal,
        attributes, latitude, longitude, last_active_at, created_at, profile_updated_at,
        quiz_updated_at, location_updated_at, deactivated_at, deleted_at)
      SELECT id, name, bd::date, g::"Gender", gs::"Gender"[], rg::"RelationshipGoal", attrs::text[],
        lat, lon, ${ts("la")}, ${ts("ca")}, ${ts("pu")}, ${ts("qu")}, ${ts("lu")}, ${ts("da")}, ${ts("de")}
      FROM unnest(${col((p) => p.id)}::text[], ${col((p) => p.displayName)}::text[],
        ${col((p) => p.birthDate)}::text[], ${col((p) => GENDERS[p.gender])}::text[],
        ${col((p) => arrayLiteral(seeksList(p.seeks)))}::text[], ${col((p) => p.goal)}::text[],
        ${col((p) => arrayLiteral(p.attributes))}::text[], ${col((p) => p.lat)}::float8[],
        ${col((p) => p.lon)}::float8[], ${col((p) => p.lastActiveAt)}::float8[],
        ${col((p) => p.createdAt)}::float8[], ${col((p) => p.profileUpdatedAt)}::float8[],
        ${col((p) => p.quizUpdatedAt)}::float8[], ${col((p) => p.locationUpdatedAt)}::float8[],
        ${col((p) => p.deactivatedAt)}::float8[], ${col((p) => p.deletedAt)}::float8[])
        AS x(id, name, bd, g, gs, rg, attrs, lat, lon, la, ca, pu, qu, lu, da, de)`;
  });
}

export async function insertProfiles(tx: Tx, people: readonly Person[]): Promise<void> {
  const withPref = people.filter((p) => p.pref !== null);
  await inChunks(withPref, async (rows) => {
    const prefs = rows.map((p) => p.pref as NonNullable<Person["pref"]>);
    await tx.$executeRaw`
      INSERT INTO match_preferences (user_id, min_age, max_age, max_distance_km, dealbreakers,
        preferences, updated_at)
      SELECT id, lo, hi, km, db::text[], pr::text[], ${ts("up")}
      FROM unnest(${rows.map((p) => p.id)}::text[], ${prefs.map((p) => p.minAge)}::int[],
        ${prefs.map((p) => p.maxAge)}::int[], ${prefs.map((p) => p.maxDistanceKm)}::float8[],
        ${prefs.map((p) => arrayLiteral(p.dealbreakers))}::text[],
        ${prefs.map((p) => arrayLiteral(p.preferences))}::text[],
        ${prefs.map((p) => p.updatedAt)}::float8[]) AS x(id, lo, hi, km, db, pr, up)`;
  });
  const withQuiz = people.filter((p) => p.quiz !== null);
  await inChunks(withQuiz, async (rows) => {
    await tx.$executeRaw`
      INSERT INTO quiz_responses (user_id, answers, updated_at)
      SELECT id, a::float8[], ${ts("up")}
      FROM unnest(${rows.map((p) => p.id)}::text[], ${rows.map((p) => arrayLiteral(p.quiz ?? []))}::text[],
        ${rows.map((p) => p.quizUpdatedAt ?? p.createdAt)}::float8[]) AS x(id, a, up)`;
  });
  const interests = people.flatMap((p) => p.interests.map((t) => [p.id, TAGS[t] ?? ""] as const));
  await inChunks(interests, async (rows) => {
    await tx.$executeRaw`
      INSERT INTO user_interests (user_id, tag)
      SELECT * FROM unnest(${rows.map((r) => r[0])}::text[], ${rows.map((r) => r[1])}::text[])`;
  });
}

const POST_TYPE_NAMES = ["PHOTO", "TEXT", "POLL", "VIDEO"];

/** Writes the posts, their captions and tags generated chunk by chunk. */
export async function insertPosts(
  tx: Tx,
  plans: readonly PostPlan[],
  people: readonly Person[],
  rng: Rng,
): Promise<void> {
  await inChunks(plans, async (rows) => {
    const authors = rows.map((p) => people[p.author] as Person);
    const captions = rows.map((p, i) => caption(rng, p, cityOf(authors[i]?.city ?? 0)));
    const tags = rows.map((p) => arrayLiteral(postTags(rng, p)));
    await tx.$executeRaw`
      INSERT INTO posts (id, author_id, type, caption, media_count, tags, created_at, updated_at,
        deleted_at)
      SELECT id, au, ty::"PostType", cap, mc, tg::text[], ${ts("ca")}, ${ts("up")}, ${ts("de")}
      FROM unnest(${rows.map((p) => p.id)}::text[], ${authors.map((a) => a.id)}::text[],
        ${rows.map((p) => POST_TYPE_NAMES[p.type])}::text[], ${captions}::text[],
        ${rows.map((p) => p.mediaCount)}::int[], ${tags}::text[],
        ${rows.map((p) => p.createdAt)}::float8[], ${rows.map((p) => p.updatedAt)}::float8[],
        ${rows.map((p) => p.deletedAt)}::float8[]) AS x(id, au, ty, cap, mc, tg, ca, up, de)`;
  });
}

export interface MessageRow {
  sender: number;
  recipient: number;
  sentAt: number;
}

export async function insertMessages(
  tx: Tx,
  rows: readonly MessageRow[],
  people: readonly Person[],
): Promise<void> {
  const width = Math.max(8, String(rows.length).length);
  await inChunks(
    rows.map((m, i) => ({ ...m, id: `m${String(i + 1).padStart(width, "0")}` })),
    async (chunk) => {
      await tx.$executeRaw`
        INSERT INTO messages (id, sender_id, recipient_id, sent_at)
        SELECT id, s, r, ${ts("at")}
        FROM unnest(${chunk.map((m) => m.id)}::text[],
          ${chunk.map((m) => people[m.sender]?.id ?? "")}::text[],
          ${chunk.map((m) => people[m.recipient]?.id ?? "")}::text[],
          ${chunk.map((m) => m.sentAt)}::float8[]) AS x(id, s, r, at)`;
    },
  );
}
