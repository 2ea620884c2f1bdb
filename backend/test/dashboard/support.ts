import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "@feed-jobs/db";
import { defineJob, type JobContext, runJob } from "@feed-jobs/jobs";
import { z } from "zod";
import { createDashboard, type Dashboard } from "../../src/dashboard/app.tsx";
import type { StartRun } from "../../src/dashboard/launch.ts";
import type { AnyJob } from "../../src/jobs/catalog.ts";
import { trendingJob } from "../../src/jobs/trending/job.ts";

/** Jobs for dashboard tests: quick and slow ones of their own, and trending for its output table. */

const budget = { maxRowsScanned: 1_000, maxRowsWritten: 1_000, maxRuntimeMs: 60_000 };

function testJob(
  name: string,
  schedule: { label: string; cron: string },
  run: (ctx: JobContext<Record<string, never>>) => Promise<unknown>,
) {
  return defineJob({
    name,
    description: `${name}, for dashboard tests`,
    algorithmVersion: "t1",
    schedules: [schedule],
    config: z.strictObject({}),
    budget,
    accepts: [],
    run,
  });
}

export const quickJob = testJob("quick-job", { label: "hourly", cron: "0 * * * *" }, async (ctx) =>
  ctx.processed(1),
);

/** `items` items, one per `itemMs`, a checkpoint before each (where progress is recorded). */
export function slowJob(items: number, itemMs: number) {
  return testJob("slow-job", { label: "nightly", cron: "0 3 * * *" }, async (ctx) => {
    ctx.setTotal(items);
    for (let item = 0; item < items; item++) {
      await ctx.checkpoint();
      await sleep(itemMs);
      ctx.processed(1);
    }
  });
}

export const TOKEN = "s3cret-admin-token-for-tests";

/** Runs in this process, as the stand-alone dashboard does (without the executor's metrics). */
export const startInProcess =
  (db: Database): StartRun =>
  (job, onStart) =>
    runJob(db, job, { trigger: "MANUAL", onStart });

export function dashboardFor(
  db: Database,
  options: { token?: string; jobs?: readonly AnyJob[]; log?: string[] } = {},
): Dashboard {
  return createDashboard({
    db,
    jobs: options.jobs ?? [quickJob, slowJob(3, 10), trendingJob],
    adminToken: options.token,
    startRun: startInProcess(db),
    log: (line) => options.log?.push(line),
  });
}

/** Headers of a same-origin form POST from a browser (the app is requested as http://localhost). */
export const sameOrigin = {
  "content-type": "application/x-www-form-urlencoded",
  origin: "http://localhost",
  "sec-fetch-site": "same-origin",
};

/** Logs in through the form; returns the session cookie ("name=value"). */
export async function logIn(app: Dashboard, name = "ada"): Promise<string> {
  const response = await app.request("/login", {
    method: "POST",
    headers: sameOrigin,
    body: new URLSearchParams({ name, token: TOKEN }),
  });
  const cookie = response.headers.get("set-cookie");
  if (response.status !== 303 || !cookie) throw new Error(`login failed: ${response.status}`);
  return cookie.split(";")[0] as string;
}
