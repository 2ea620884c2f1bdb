import type { Database } from "@feed-jobs/db";
import { createTestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY } from "../../src/demo/constants.ts";
import { planMessages } from "../../src/demo/messages.ts";
import type { Person } from "../../src/demo/population.ts";
import { Rng } from "../../src/demo/random.ts";
import { generatePopulation, seedDemoData } from "../../src/demo/seed.ts";
import { tasteSimilarity, topicMatch } from "../../src/demo/tastes.ts";

// Statistics on generated populations; thresholds hold with a wide margin on every seed tried.
const now = new Date("2026-03-01T12:00:00.000Z");
const SEEDS = [1, 2, 3];
const USERS = 2000;

const populations = SEEDS.map((seed) => {
  const rng = new Rng(seed);
  const population = generatePopulation(rng, USERS, now.getTime());
  return { seed, rng, ...population };
});

/** Random pairs of distinct users, reproducibly. */
function* pairs(people: readonly Person[], n: number): Generator<[Person, Person]> {
  const rng = new Rng(7, "pairs");
  for (let k = 0; k < n; k++) {
    const a = people[rng.int(0, people.length - 1)] as Person;
    const b = people[rng.int(0, people.length - 1)] as Person;
    if (a !== b) yield [a, b];
  }
}

const couldMatch = (a: Person, b: Person) =>
  a.city === b.city && (a.seeks >> b.gender) & 1 && (b.seeks >> a.gender) & 1;

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  });
  return dot / Math.sqrt(na * nb);
}

function pearson(xs: readonly number[], ys: readonly number[]): number {
  const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const [mx, my] = [mean(xs), mean(ys)];
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    const y = ys[i] ?? 0;
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

describe("latent tastes (in memory, seeds 1–3)", () => {
  it.each(populations)(
    "close tastes are into each other both ways far more often (seed $seed)",
    ({ people, graph }) => {
      const rate = { close: [0, 0], far: [0, 0] };
      for (const [a, b] of pairs(people, 150_000)) {
        if (!couldMatch(a, b)) continue;
        const s = tasteSimilarity(a.taste, b.taste);
        const bucket = s > 0.6 ? rate.close : s < 0.2 ? rate.far : null;
        if (!bucket) continue;
        const both =
          graph.follows[a.index]?.includes(b.index) && graph.follows[b.index]?.includes(a.index);
        bucket[0] = (bucket[0] ?? 0) + 1;
        bucket[1] = (bucket[1] ?? 0) + (both ? 1 : 0);
      }
      const [closeN = 0, closeHits = 0] = rate.close;
      const [farN = 0, farHits = 0] = rate.far;
      expect(closeN).toBeGreaterThan(200);
      expect(closeHits).toBeGreaterThan(5);
      expect(closeHits / closeN).toBeGreaterThan((4 * (farHits + 1)) / farN);
    },
  );

  it.each(populations)("the quiz reveals tastes only partly (seed $seed)", ({ people }) => {
    const quiz: number[] = [];
    const taste: number[] = [];
    for (const [a, b] of pairs(people, 20_000)) {
      if (!a.quiz || !b.quiz) continue;
      quiz.push(cosine(a.quiz, b.quiz));
      taste.push(tasteSimilarity(a.taste, b.taste));
    }
    const r = pearson(quiz, taste);
    expect(r).toBeGreaterThan(0.25);
    expect(r).toBeLessThan(0.85);
    // Missing inputs stay common.
    expect(people.filter((p) => p.quiz === null).length / people.length).toBeGreaterThan(0.05);
  });

  it.each(populations)(
    "a recent message predicts the next week's conversation (seed $seed)",
    ({ rng, people, graph }) => {
      const asOf = now.getTime() - 7 * DAY;
      const last = new Map<string, number>();
      const later = new Set<string>();
      for (const m of planMessages(rng.fork("messages"), people, graph, now.getTime())) {
        const key = [m.sender, m.recipient].sort((x, y) => x - y).join("-");
        if (m.sentAt <= asOf) last.set(key, m.sentAt);
        else later.add(key);
      }
      const rate = { recent: [0, 0], stale: [0, 0] };
      for (const [key, at] of last) {
        const bucket = asOf - at < 3 * DAY ? rate.recent : asOf - at > 14 * DAY ? rate.stale : null;
        if (!bucket) continue;
        bucket[0] = (bucket[0] ?? 0) + 1;
        bucket[1] = (bucket[1] ?? 0) + (later.has(key) ? 1 : 0);
      }
      const [recentN = 0, recentHits = 0] = rate.recent;
      const [staleN = 0, staleHits = 0] = rate.stale;
      expect(recentN).toBeGreaterThan(30);
      expect(recentHits / recentN).toBeGreaterThan(2 * ((staleHits + 1) / staleN));
    },
  );
});

describe("latent tastes drive the seeded engagement", () => {
  let db: Database;
  const seed = 42;
  const users = 600;
  const { people, posts } = generatePopulation(new Rng(seed), users, now.getTime());
  const byId = new Map(people.map((p) => [p.id, p]));
  const postTag = new Map(posts.map((p) => [p.id, p.tag]));

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db, { users, seed, now });
  }, 120_000);

  afterAll(async () => {
    await db?.close();
  });

  it("viewers like posts that match their topic taste more often", async () => {
    const rows = await db.prisma.$queryRaw<{ actor: string; post: string; liked: boolean }[]>`
      SELECT s.actor_id AS actor, s.post_id AS post,
             EXISTS (SELECT 1 FROM engagement_events l WHERE l.type = 'LIKE'
                     AND l.actor_id = s.actor_id AND l.post_id = s.post_id) AS liked
      FROM engagement_events s
      JOIN posts p ON p.id = s.post_id
      WHERE s.type = 'SEEN'
        AND NOT EXISTS (SELECT 1 FROM engagement_events f WHERE f.post_id IS NULL
                        AND f.type = 'LIKE' AND f.actor_id = s.actor_id
                        AND f.target_user_id = p.author_id)`;
    const rate = { match: [0, 0], miss: [0, 0] };
    for (const row of rows) {
      const viewer = byId.get(row.actor);
      const tag = postTag.get(row.post) ?? -1;
      if (!viewer || tag < 0) continue;
      const m = topicMatch(viewer.taste, tag);
      const bucket = m >= 0.8 ? rate.match : m <= 0.3 ? rate.miss : null;
      if (!bucket) continue;
      bucket[0] = (bucket[0] ?? 0) + 1;
      bucket[1] = (bucket[1] ?? 0) + (row.liked ? 1 : 0);
    }
    const [matchN = 0, matchHits = 0] = rate.match;
    const [missN = 0, missHits = 0] = rate.miss;
    expect(matchN).toBeGreaterThan(300);
    expect(missN).toBeGreaterThan(300);
    expect(matchHits / matchN).toBeGreaterThan(1.4 * (missHits / missN));
  });

  it("profile likes are mutual far more often between close tastes", async () => {
    const rows = await db.prisma.$queryRaw<{ a: string; b: string; mutual: boolean }[]>`
      SELECT l.actor_id AS a, l.target_user_id AS b,
             EXISTS (SELECT 1 FROM engagement_events r WHERE r.type = 'LIKE' AND r.post_id IS NULL
                     AND r.actor_id = l.target_user_id AND r.target_user_id = l.actor_id) AS mutual
      FROM engagement_events l WHERE l.type = 'LIKE' AND l.post_id IS NULL`;
    expect(rows.length).toBeGreaterThan(users);
    const liked = rows.map((r) => {
      const a = byId.get(r.a) as Person;
      const b = byId.get(r.b) as Person;
      return { s: tasteSimilarity(a.taste, b.taste), mutual: r.mutual };
    });
    const mutualSim = liked.filter((r) => r.mutual).map((r) => r.s);
    const oneWaySim = liked.filter((r) => !r.mutual).map((r) => r.s);
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(mutualSim.length).toBeGreaterThan(50);
    // Pairs who liked each other share more taste than one-sided likes, and both far more
    // than random pairs.
    expect(mean(mutualSim)).toBeGreaterThan(mean(oneWaySim));
    const random = [...pairs(people, 5000)].map(([a, b]) => tasteSimilarity(a.taste, b.taste));
    expect(mean(oneWaySim)).toBeGreaterThan(mean(random) + 0.1);
  });
});
