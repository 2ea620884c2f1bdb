import type { Database } from "@feed-jobs/db";
import { withoutIndexes } from "./bulk.ts";
import { EVENT_TYPES } from "./constants.ts";
import { generateEngagement } from "./engagement.ts";
import { buildGraph, type SocialGraph } from "./graph.ts";
import { insertMessages, insertPosts, insertProfiles, insertUsers } from "./insert.ts";
import { planMessages } from "./messages.ts";
import { makePerson, type Person } from "./population.ts";
import { type PostPlan, planPosts, type RecentPosts } from "./posts.ts";
import { Rng } from "./random.ts";
import { cityWeights, type PopulationShape } from "./shape.ts";
import { EventSink } from "./sink.ts";
import { makeArchetypes } from "./traits.ts";

export interface SeedOptions {
  /** How many users to create (ids u000001…); everything else scales with it. */
  users: number;
  /** PRNG seed (default 42): same seed and `now` → identical rows, ids included. */
  seed?: number;
  /** The clock of the data: every timestamp lies before it. */
  now: Date;
  /** Where users live (default `spread`; see shape.ts). */
  shape?: PopulationShape;
  /** More posts in the last hours (default none): e.g. a trending window under load. */
  recentPosts?: RecentPosts;
  /** Delete all app data and computed results first instead of refusing a non-empty database. */
  reset?: boolean;
  log?: (message: string) => void;
}

/** Tables the seed writes. */
export const SEEDED_TABLES = [
  "users",
  "match_preferences",
  "quiz_responses",
  "user_interests",
  "posts",
  "engagement_events",
  "messages",
] as const;
export type SeededTable = (typeof SEEDED_TABLES)[number];

/** The job outputs derived from the seeded tables. */
export const DERIVED_TABLES = [
  "match_scores",
  "match_score_viewers",
  "user_compatibility",
  "post_features",
  "trending_scores",
  "user_affinity_profiles",
  "viewer_feed_state",
];

/**
 * Tables emptied by `reset` (those that exist): the inputs above and the job outputs derived
 * from them; CASCADE also empties any other table whose foreign keys point at users or posts.
 */
const RESET_TABLES = [...SEEDED_TABLES, ...DERIVED_TABLES];

export interface SeedSummary {
  seed: number;
  now: Date;
  counts: Record<SeededTable, number>;
  /** Engagement events per type. */
  eventsByType: Record<string, number>;
  ms: number;
}

export class DatabaseNotEmptyError extends Error {
  constructor(users: number, location: string) {
    super(
      `Refusing to seed ${location}: it already has ${users} users. Seed an empty database, ` +
        "or pass reset: true (CLI: --reset) to delete all users, posts, events, messages and " +
        "computed scores first.",
    );
    this.name = "DatabaseNotEmptyError";
  }
}

/** The population's layout: where users live and how busy the last hours are. */
export type PopulationLayout = Pick<SeedOptions, "shape" | "recentPosts">;

/** The population with its hidden tastes, who is into whom, and the posts: no database. */
export function generatePopulation(
  rng: Rng,
  users: number,
  now: number,
  layout: PopulationLayout = {},
): { people: Person[]; graph: SocialGraph; posts: PostPlan[] } {
  const archetypes = makeArchetypes(rng.fork("archetypes"));
  const peopleRng = rng.fork("people");
  const cities = cityWeights(layout.shape ?? "spread");
  const people: Person[] = [];
  for (let i = 0; i < users; i++) people.push(makePerson(peopleRng, i, now, archetypes, cities));
  const graph = buildGraph(rng.fork("graph"), people);
  const posts = planPosts(rng.fork("posts"), people, now, layout.recentPosts);
  return { people, graph, posts };
}

/**
 * Fills the database with a deterministic, realistic demo population: users, preferences,
 * quiz answers, interests, posts, an engagement log and messages, in one transaction.
 */
export async function seedDemoData(db: Database, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 42;
  const now = options.now.getTime();
  if (!Number.isInteger(options.users) || options.users < 1 || options.users > 999_999) {
    throw new RangeError(`users must be an integer from 1 to 999999, got ${options.users}`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Number.isFinite(now)) throw new RangeError("now must be a valid date");
  const recent = options.recentPosts;
  if (recent && !(Number.isInteger(recent.posts) && recent.posts >= 0 && recent.hours > 0)) {
    throw new RangeError(
      `recentPosts must be a whole number of posts over a positive number of hours, got ${JSON.stringify(recent)}`,
    );
  }

  const refuseIfNotEmpty = async (client: Pick<Database["prisma"], "$queryRaw">) => {
    if (options.reset) return;
    const [row] = await client.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM users`;
    if ((row?.n ?? 0) > 0) throw new DatabaseNotEmptyError(row?.n ?? 0, db.location);
  };
  await refuseIfNotEmpty(db.prisma);

  const rng = new Rng(seed);
  const { people, graph, posts } = generatePopulation(rng, options.users, now, options);
  log(
    `generated ${people.length} users and ${posts.length} posts (seed ${seed}, ${options.shape ?? "spread"})`,
  );

  const counts = await db.prisma.$transaction(
    async (tx) => {
      await refuseIfNotEmpty(tx); // again, in the transaction that writes
      if (options.reset) {
        const present = await tx.$queryRaw<{ name: string }[]>`
          SELECT name FROM unnest(${RESET_TABLES}::text[]) AS t(name)
          WHERE to_regclass(quote_ident(name)) IS NOT NULL`;
        const names = present.map((t) => t.name);
        const list = names.map((t) => `"${t}"`).join(", ");
        await tx.$executeRawUnsafe(`TRUNCATE ${list} RESTART IDENTITY CASCADE`);
        log(`reset: emptied ${names.join(", ")} (and what references them)`);
      }
      const sink = new EventSink(tx, people, posts);
      const messages = planMessages(rng.fork("messages"), people, graph, now);
      await withoutIndexes(
        tx,
        SEEDED_TABLES,
        async () => {
          await insertUsers(tx, people);
          await insertProfiles(tx, people);
          log("inserted users, preferences, quiz responses and interests");
          await insertPosts(tx, posts, people, rng.fork("content"));
          log(`inserted ${posts.length} posts`);
          await generateEngagement({
            rng: rng.fork("engagement"),
            people,
            graph,
            posts,
            now,
            sink,
            log,
          });
          log(`inserted ${sink.written} engagement events`);
          await insertMessages(tx, messages, people);
          log(`inserted ${messages.length} messages`);
        },
        log,
      );
      return { messages: messages.length, events: sink.written, byType: sink.counts };
    },
    { maxWait: 60_000, timeout: 6 * 60 * 60 * 1000 },
  );
  await db.prisma.$executeRawUnsafe(`ANALYZE ${SEEDED_TABLES.map((t) => `"${t}"`).join(", ")}`);

  const summary: SeedSummary = {
    seed,
    now: options.now,
    counts: {
      users: people.length,
      match_preferences: people.filter((p) => p.pref !== null).length,
      quiz_responses: people.filter((p) => p.quiz !== null).length,
      user_interests: people.reduce((s, p) => s + p.interests.length, 0),
      posts: posts.length,
      engagement_events: counts.events,
      messages: counts.messages,
    },
    eventsByType: Object.fromEntries(EVENT_TYPES.map((t, i) => [t, counts.byType[i] ?? 0])),
    ms: Math.round(performance.now() - started),
  };
  log(`seeded in ${summary.ms} ms: ${JSON.stringify(summary.counts)}`);
  return summary;
}
