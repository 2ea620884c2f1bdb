import { migrate, openDatabase } from "@feed-jobs/db";
import type { TestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, useCliDatabase } from "../support/cli.ts";
import { fixtures, hoursBefore } from "../support/fixtures.ts";

const NOW = new Date("2026-03-01T12:00:00Z");
const AS_OF = ["--as-of", NOW.toISOString()];

let server: TestDatabase | undefined;
beforeAll(async () => {
  server = await useCliDatabase("feed-cli");
  // Closed again before the CLI runs: the embedded database allows one process at a time.
  const db = await openDatabase();
  try {
    await migrate(db);
    const f = fixtures(db, NOW);
    await f.user({ id: "viewer" });
    await f.user({ id: "author" });
    await f.user({ id: "minor", age: 17 });
    for (const [i, id] of ["post-new", "post-old"].entries()) {
      await f.post({
        id,
        authorId: "author",
        type: "PHOTO",
        createdAt: hoursBefore(NOW, 1 + 10 * i),
      });
      await db.prisma.postFeatures.create({
        data: {
          postId: id,
          topics: ["hiking"],
          quality: 0.8,
          inputHash: "t",
          algorithmVersion: "t",
        },
      });
    }
    await db.prisma.matchScore.create({
      data: {
        viewerUserId: "viewer",
        candidateUserId: "author",
        score: 0.72,
        reasons: ["shared_interest:hiking"],
        algorithmVersion: "t",
      },
    });
  } finally {
    await db.close();
  }
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  await server?.close();
});

describe("the feed command", () => {
  it("prints a ranked, explained page, its next cursor and the suggestions", async () => {
    const result = await cli("feed", "--user-id", "viewer", "--limit", "1", ...AS_OF);
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      "Feed for viewer as of 2026-03-01T12:00:00.000Z — weights feed-v1",
    );
    expect(result.out).toContain("cold start (no affinity profile), 2 candidates");
    expect(result.out).toMatch(/rank\s+post\s+author\s+type\s+age\s+score\s+creator\s+topics/);
    expect(result.out).toMatch(/^1\s+post-new\s+author\s+PHOTO\s+1\.0h\s+\d\.\d{3}/m);
    expect(result.out).toMatch(/author\s+0\.720\s+shared_interest:hiking/);
    const cursor = /next cursor: (\S+)/.exec(result.out)?.[1] ?? "";
    const next = await cli(
      "feed",
      "--user-id",
      "viewer",
      "--limit",
      "1",
      "--cursor",
      cursor,
      ...AS_OF,
    );
    expect(next.out).toMatch(/^2\s+post-old\s+author\s+PHOTO\s+11\.0h/m);
    expect(next.out).toContain("End of feed.");
  });

  it("shows the suggested profiles when there are no posts to show", async () => {
    // A month on, both posts are past the feed's 7-day window: no candidates.
    const later = new Date(NOW.getTime() + 30 * 86_400_000).toISOString();
    const result = await cli("feed", "--user-id", "viewer", "--as-of", later);
    expect(result.code).toBe(0);
    expect(result.out).toContain("No posts to show.");
    expect(result.out).toContain("Suggested profiles (top MatchScores):");
    expect(result.out).toMatch(/author\s+0\.720\s+shared_interest:hiking/);
  });

  it("serves a viewer who is not eligible nothing, and says why", async () => {
    const result = await cli("feed", "--user-id", "minor", ...AS_OF);
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      "No feed for minor as of 2026-03-01T12:00:00.000Z: not eligible (minor).",
    );
  });

  it("prints JSON for scripts", async () => {
    const result = await cli("feed", "--user-id", "viewer", "--json", ...AS_OF);
    const page = JSON.parse(result.out);
    expect(page.items.map((i: { postId: string }) => i.postId)).toEqual(["post-new", "post-old"]);
    expect(Object.keys(page.items[0].contributions)).toContain("freshness");
    expect(page.nextCursor).toBeNull();
  });

  it("exits 2 on an unknown user, a bad cursor or a page too large", async () => {
    const ghost = await cli("feed", "--user-id", "ghost");
    expect(ghost).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--user-id: user "ghost" does not exist/),
    });
    const badCursor = await cli("feed", "--user-id", "viewer", "--cursor", "nope!");
    expect(badCursor).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--cursor: invalid feed cursor/),
    });
    const large = await cli("feed", "--user-id", "viewer", "--limit", "101");
    expect(large).toMatchObject({
      code: 2,
      err: expect.stringMatching(/limit must be a whole number from 1 to 100/),
    });
    expect((await cli("feed")).code).toBe(2);
  });
});
