import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "@feed-jobs/db";
import type { TestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, useCliDatabase } from "../support/cli.ts";

let server: TestDatabase | undefined;
beforeAll(async () => {
  server = await useCliDatabase("refusals");
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  await server?.close();
});

describe("the CLI refuses what it cannot do, with a message and no stack trace", () => {
  it.skipIf(process.env.TEST_DATABASE_URL)(
    "exits 3 naming the process that holds the embedded database",
    async () => {
      const lock = join(process.env.FEED_JOBS_DATA_DIR ?? "", "feed-jobs.pid");
      // A live process that is not this one: vitest's parent.
      writeFileSync(lock, String(process.ppid));
      try {
        const result = await cli("trending");
        expect(result.code).toBe(3);
        expect(result.err).toContain(`is in use by process ${process.ppid}`);
        expect(result.err).not.toMatch(/\n\s+at /);
      } finally {
        rmSync(lock, { force: true });
      }
    },
  );

  it("refuses an --as-of date that does not exist, naming the option and the value", async () => {
    const result = await cli("trending", "--as-of", "2026-02-30");
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--as-of <time>.*"2026-02-30" is not a valid date and time/);
    expect((await cli("trending", "--as-of", "2026-02-29T10:00:00Z")).code).toBe(2);
  });

  it("refuses an --as-of time without a zone, and takes a date alone as midnight UTC", async () => {
    const noZone = await cli("trending", "--as-of", "2026-03-01T10:00:00");
    expect(noZone.code).toBe(2);
    expect(noZone.err).toMatch(
      /"2026-03-01T10:00:00" has no time zone: add Z for UTC or an offset/,
    );
    const dateOnly = await cli("trending", "--as-of", "2026-03-01", "--json");
    expect(dateOnly.code).toBe(0);
    const runId = JSON.parse(dateOnly.out).runId as string;
    const runs = JSON.parse((await cli("runs", "--json")).out) as { id: string; asOf: string }[];
    expect(runs.find((run) => run.id === runId)?.asOf).toBe("2026-03-01T00:00:00.000Z");
  });

  it("refuses a queue setting that is not a positive number, naming the variable (exit 2)", async () => {
    process.env.FEED_JOBS_SHARD_EXPIRE_SECONDS = "soon";
    try {
      const result = await cli("enqueue", "trending");
      expect(result.code).toBe(2);
      expect(result.err).toContain(
        'FEED_JOBS_SHARD_EXPIRE_SECONDS="soon" is not a positive number.',
      );
      expect(result.err).not.toMatch(/\n\s+at /);
    } finally {
      delete process.env.FEED_JOBS_SHARD_EXPIRE_SECONDS;
    }
  });

  it("refuses to run jobs when an applied migration's file changed, naming it", async () => {
    expect((await cli("db", "migrate")).code).toBe(0);
    const db = await openDatabase();
    const [first] = await db.prisma.$queryRaw<{ name: string; checksum: string }[]>`
      SELECT migration_name AS name, checksum FROM "_prisma_migrations" ORDER BY migration_name LIMIT 1`;
    if (!first) throw new Error("no migration applied");
    const setChecksum = (checksum: string) =>
      db.prisma
        .$executeRaw`UPDATE "_prisma_migrations" SET checksum = ${checksum} WHERE migration_name = ${first.name}`;
    await setChecksum("0".repeat(64));
    await db.close();
    try {
      const result = await cli("trending");
      expect(result.code).toBe(2);
      expect(result.err).toContain(`Migration ${first.name} was changed after it was applied`);
      expect(result.err).not.toMatch(/\n\s+at /);
    } finally {
      const restore = await openDatabase();
      await restore.prisma
        .$executeRaw`UPDATE "_prisma_migrations" SET checksum = ${first.checksum} WHERE migration_name = ${first.name}`;
      await restore.close();
    }
  });
});
