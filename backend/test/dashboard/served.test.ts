import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "@feed-jobs/db";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { describe, expect, it } from "vitest";
import { eventually, startTestScheduler } from "../scheduler/support/in-process.ts";
import { cliScript, startChild } from "../support/child.ts";
import { useTestDatabase } from "../support/database.ts";
import { quickJob, TOKEN } from "./support.ts";

let db: Database;
useTestDatabase(new Date(), "file", (opened) => {
  db = opened;
});

describe(`the dashboard where it is served (${testDatabaseKind()})`, () => {
  it("by the scheduler, next to /healthz and /metrics; its runs go through the scheduler's executor", async () => {
    const scheduler = await startTestScheduler(db, [quickJob], {
      worker: false,
      adminToken: TOKEN,
    });
    const base = `http://127.0.0.1:${scheduler.port}`;
    try {
      const overview = await fetch(`${base}/`);
      expect(overview.status).toBe(200);
      expect(await overview.text()).toContain('id="job-quick-job"');
      expect((await fetch(`${base}/healthz`)).headers.get("content-type")).toBe("application/json");
      const started = await fetch(`${base}/jobs/quick-job/run`, {
        method: "POST",
        redirect: "manual",
        headers: { authorization: `Bearer ${TOKEN}`, "x-operator": "ops-bot" },
      });
      expect(started.status).toBe(303);
      const runId = started.headers.get("location")?.replace("/runs/", "") as string;
      await eventually(async () => {
        const run = await db.prisma.jobRun.findUnique({ where: { id: runId } });
        return run?.status === "SUCCESS" ? true : undefined;
      });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(
        /feed_jobs_runs_total\{job="quick-job",trigger="MANUAL",status="SUCCESS"\} 1/,
      );
      expect(await db.prisma.operatorAction.findFirst()).toMatchObject({
        actor: "ops-bot",
        action: "run",
        runId,
      });
    } finally {
      await scheduler.stop(5_000);
    }
  });

  it("by `pnpm job dashboard` on its own, on 127.0.0.1, until SIGTERM", {
    timeout: 120_000,
  }, async () => {
    // The command opens the database itself: a folder of its own, or a fresh server database.
    const dataDir = mkdtempSync(join(tmpdir(), "feed-jobs-dashboard-cli-"));
    const server: TestDatabase | undefined = process.env.TEST_DATABASE_URL
      ? await createTestDatabase()
      : undefined;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FEED_JOBS_DATA_DIR: dataDir,
      FEED_JOBS_ADMIN_TOKEN: "",
    };
    if (server) env.DATABASE_URL = server.url;
    else delete env.DATABASE_URL;
    // Node with tsx's loader, not the tsx wrapper: the wrapper relays SIGTERM only once it has
    // heard (over IPC) that the command listens for it, which a loaded machine may not have yet.
    const { proc: child } = startChild(cliScript, ["dashboard", "--port", "0"], env);
    try {
      let output = "";
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk) => {
          output += chunk;
          const found = /dashboard on (http:\/\/127\.0\.0\.1:\d+\/) \(read-only/.exec(output);
          if (found) resolve(found[1] as string);
        });
        child.stderr.on("data", (chunk) => {
          output += chunk;
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("read-only (FEED_JOBS_ADMIN_TOKEN unset)");
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
      await server?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
