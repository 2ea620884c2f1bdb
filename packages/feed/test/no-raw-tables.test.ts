import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scene } from "./support.ts";

const RAW_TABLES = ["engagement_events", "messages"] as const;

/**
 * Replaces a raw table with a view over a function that raises, keeping its rows aside: any
 * statement that reads it — raw SQL or the typed client — fails, on PGlite and PostgreSQL alike.
 */
async function trap(db: Database, table: (typeof RAW_TABLES)[number]): Promise<void> {
  await db.prisma.$executeRawUnsafe(`ALTER TABLE "${table}" RENAME TO "${table}_trapped"`);
  await db.prisma.$executeRawUnsafe(`
    CREATE FUNCTION "forbid_${table}"() RETURNS SETOF "${table}_trapped" LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the feed read the raw table ${table}'; END $$`);
  await db.prisma.$executeRawUnsafe(`CREATE VIEW "${table}" AS SELECT * FROM "forbid_${table}"()`);
}

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe(`the feed reads no raw table (${testDatabaseKind()})`, () => {
  it("ranks a fully personalised feed while engagement_events and messages fail on any read", async () => {
    const s = scene(db);
    const viewer = await s.user("viewer");
    const [fav, blocked, match] = [
      await s.user("fav"),
      await s.user("blocked"),
      await s.user("match"),
    ];
    const seen = await s.post("seen", { author: fav, topics: ["hiking"] });
    const fresh = await s.post("fresh", { author: fav, topics: ["hiking"], hoursAgo: 1 });
    const hot = await s.post("hot", { author: match, type: "PHOTO" });
    await s.post("by-blocked", { author: blocked });
    await s.trending(hot, 50, { trending: true });
    await s.affinity(viewer, { creators: { [fav]: 1 }, topics: { hiking: 1 } });
    await s.compatibility(viewer, fav, 0.7);
    await s.match(viewer, match, 0.8, ["nearby_km:2"]);
    await s.state(viewer, { excluded: [blocked], seen: [seen] });
    await db.prisma.engagementEvent.create({
      data: {
        actorId: viewer,
        type: "LIKE",
        postId: fresh,
        targetUserId: fav,
        occurredAt: s.hoursAgo(1),
      },
    });
    await db.prisma.message.create({
      data: { id: s.id("m"), senderId: viewer, recipientId: fav, sentAt: s.hoursAgo(1) },
    });
    for (const table of RAW_TABLES) await trap(db, table);

    await expect(
      db.prisma.$queryRawUnsafe("SELECT count(*) FROM engagement_events"),
    ).rejects.toThrow(/raw table engagement_events/);
    await expect(db.prisma.message.count()).rejects.toThrow(/raw table messages/);
    const first = await s.feed(viewer, { limit: 2 });
    expect(first.suggestions.map((x) => x.userId)).toEqual([match]);
    const rest = await s.feed(viewer, { cursor: first.nextCursor ?? "" });
    const items = [...first.items, ...rest.items];
    expect(items.map((i) => i.postId).sort()).toEqual([fresh, hot, seen].sort());
    expect(items.find((i) => i.postId === seen)?.factors.seen).toBe(1);
    expect(items.find((i) => i.postId === fresh)?.factors.compatibility).toBe(0.7);
  });
});

const SRC = join(import.meta.dirname, "../src");
const sources = readdirSync(SRC, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".ts"))
  .map((file) => ({ file, text: readFileSync(join(SRC, file), "utf8") }));

describe("packages/feed/src, statically", () => {
  it("imports only its own files, @feed-jobs/db and @feed-jobs/scoring", () => {
    expect(sources.length).toBeGreaterThan(3);
    for (const { file, text } of sources) {
      const specifiers = [...text.matchAll(/\bfrom\s+"([^"]+)"|\bimport\(\s*"([^"]+)"/g)].map(
        (m) => m[1] ?? m[2] ?? "",
      );
      for (const specifier of specifiers) {
        const allowed =
          /^\.\/[\w.-]+\.ts$/.test(specifier) ||
          specifier === "@feed-jobs/db" ||
          specifier.startsWith("@feed-jobs/scoring/");
        expect(allowed, `${file} imports ${specifier}`).toBe(true);
      }
    }
    const manifest = JSON.parse(readFileSync(join(SRC, "../package.json"), "utf8"));
    expect(Object.keys(manifest.dependencies).sort()).toEqual([
      "@feed-jobs/db",
      "@feed-jobs/scoring",
    ]);
  });

  it("never names a raw table or its model", () => {
    const raw =
      /engagement_?events?|\bmessages?\b\s*(?:\w+\s+)?(?:ON|WHERE|JOIN)|prisma\.message\b/i;
    for (const { file, text } of sources) expect(raw.test(text), file).toBe(false);
  });
});
