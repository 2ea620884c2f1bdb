import { openDatabase } from "@feed-jobs/db";
import type { TestDatabase } from "@feed-jobs/db/testing";
import { enqueue, withQueue } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog, findJob } from "../../src/jobs/catalog.ts";
import { cli, useCliDatabase } from "../support/cli.ts";

let server: TestDatabase | undefined;
beforeAll(async () => {
  server = await useCliDatabase("requests-list");
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  await server?.close();
});

describe("requests", () => {
  it("stores at most 2,000 characters of a reason, and lists at most 100 of it", async () => {
    expect((await cli("db", "migrate")).code).toBe(0);
    const reason = `post created ${"x".repeat(120_000)}`;
    const db = await openDatabase();
    try {
      const job = findJob("content-features");
      if (!job) throw new Error("content-features is not in the catalog");
      const names = catalog.map((entry) => entry.name);
      await withQueue(db, names, (queue) =>
        enqueue(queue, job, { postId: "p-long" }, { now: new Date(), reason }),
      );
    } finally {
      await db.close();
    }

    const [stored] = JSON.parse((await cli("requests", "--json")).out) as {
      message: { reason: string };
    }[];
    const kept = `${reason.slice(0, 2_000)}… (${reason.length - 2_000} more characters)`;
    expect(stored?.message.reason).toBe(kept);

    const listed = await cli("requests");
    expect(listed.code).toBe(0);
    expect(listed.out.length).toBeLessThan(1_000);
    expect(listed.out).toContain(`${reason.slice(0, 100)}… (${kept.length - 100} more characters)`);
  });

  it("enqueue opens the queue for the command: a second request collapses while the first waits", async () => {
    const first = await cli("enqueue", "cleanup");
    expect(first).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^queued request [0-9a-f-]{36}$/),
    });
    const id = first.out.split(" ").at(-1);
    expect((await cli("enqueue", "cleanup", "--reason", "again")).out).toBe(
      `already pending as request ${id}`,
    );
    const listed = await cli("requests", "--job", "cleanup");
    expect(listed.out).toMatch(/cleanup +\{\} +created +0\/3 .* manual/);
  });
});
