import type { Database, HeldLock } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { jobLockKey } from "@feed-jobs/jobs";
import { afterAll, describe, expect, it } from "vitest";
import { aggregateDays, recordDayCoverage, utcDay } from "../../src/monitoring/daily-queries.ts";
import { insertRun } from "../monitoring/support.ts";
import { useTestDatabase } from "../support/database.ts";
import { markDead, queueRequest } from "../support/requests.ts";
import { dashboardFor, logIn, quickJob, TOKEN } from "./support.ts";

const NOW = new Date();
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);
const XSS = `<script>alert("pwned")</script><img src=x onerror=alert(1)>`;

let db: Database;
let liveRunLock: HeldLock | null = null;
const ids: Record<string, string> = {};

useTestDatabase(NOW, "file", async (opened) => {
  db = opened;
  for (let i = 30; i >= 1; i--) {
    await insertRun(db, {
      jobName: "quick-job",
      status: "SUCCESS",
      startedAt: ago(i),
      duration: 1_000 + 100 * i,
    });
  }
  ids.failed = await insertRun(db, {
    jobName: "trending",
    status: "FAILED",
    startedAt: ago(0.5),
    error: `post caption broke it: ${XSS}`,
    scope: { postId: "p-1" },
    metadata: {
      overrides: { velocityWindowHours: 2 },
      failures: [{ item: "p-<b>9</b>", error: XSS }],
    },
  });
  // A live run holds its job's lock (else it shows as abandoned); this one for the whole file.
  liveRunLock = await db.tryLock(jobLockKey("slow-job"));
  ids.running = await insertRun(db, {
    jobName: "slow-job",
    status: "RUNNING",
    startedAt: ago(0.1),
    trigger: "MANUAL",
    metadata: { progress: { done: 7, failed: 1, total: 20, at: NOW.toISOString() } },
  });
  const queued = await queueRequest(db, quickJob, {}, { now: ago(2), reason: `webhook ${XSS}` });
  await markDead(db, queued.id, `gave up: ${XSS}`);
  ids.request = queued.id;
  await db.prisma.schedulerTick.create({
    data: {
      key: `quick-job/hourly:${ago(1).toISOString()}`,
      claimedBy: "host-a:1:abcd",
      claimedAt: ago(1),
      completedAt: ago(1),
    },
  });
  await aggregateDays(db, { fromDay: utcDay(ago(48)), toDay: utcDay(NOW), now: NOW });
  await recordDayCoverage(db, { jobName: "trending", coverage: 0.8, now: NOW });
});

async function page(path: string, init?: RequestInit, token?: string) {
  const response = await dashboardFor(db, { token }).request(path, init);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

// Before the database closes (after hooks run last-registered first).
afterAll(async () => {
  await liveRunLock?.release();
});

describe(`dashboard pages (${testDatabaseKind()})`, () => {
  it("overview: one row per job with last run, next fire time, duration trend, success rate and its table", async () => {
    const { status, body, headers } = await page("/");
    expect(status).toBe(200);
    expect(headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(body).toMatch(/^<!DOCTYPE html>/);
    expect(body).toContain('<meta name="viewport"');
    for (const job of ["quick-job", "slow-job", "trending"])
      expect(body).toContain(`id="job-${job}"`);
    expect(body).toContain("100.0%"); // quick-job succeeded every run of the last 24 h
    expect(body).toContain("trending_scores");
    expect(body).toContain("data-chart=");
    expect(body).toContain(`/runs/${ids.running}`); // running now
    expect(body).toContain("read-only (FEED_JOBS_ADMIN_TOKEN unset)");
    expect(body).not.toContain('<form method="post" action="/jobs/');
  });

  it("overview shows actions to a logged-in operator only", async () => {
    const app = dashboardFor(db, { token: TOKEN });
    const anonymous = await (await app.request("/")).text();
    expect(anonymous).toContain('href="/login"');
    expect(anonymous).not.toContain('action="/jobs/quick-job/pause"');
    const cookie = await logIn(app);
    const operator = await (await app.request("/", { headers: { cookie } })).text();
    expect(operator).toContain('action="/jobs/quick-job/pause"');
    expect(operator).toContain('action="/jobs/quick-job/run"');
  });

  it("runs: filters by job, status, trigger and time; refuses a bad filter naming it", async () => {
    const all = await page("/runs");
    expect(all.status).toBe(200);
    expect(all.body).toContain(ids.failed?.slice(0, 8));
    const failed = await page("/runs?status=FAILED");
    expect(failed.body).toContain(ids.failed?.slice(0, 8));
    expect(failed.body).not.toContain(ids.running?.slice(0, 8));
    const manual = await page("/runs?trigger=MANUAL&job=slow-job");
    expect(manual.body).toContain(ids.running?.slice(0, 8));
    expect(manual.body).not.toContain(ids.failed?.slice(0, 8));
    const since = ago(0.3).toISOString().slice(0, 16);
    const recent = await page(`/runs?since=${since}`);
    expect(recent.body).toContain(ids.running?.slice(0, 8));
    expect(recent.body).not.toContain(ids.failed?.slice(0, 8));
    const bad = await page("/runs?since=2026-02-30");
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("since: &quot;2026-02-30&quot; is not a date");
    expect((await page("/runs?status=DONE")).status).toBe(400);
  });

  it("a run's page shows scope, overrides, failures and its error, all as text", async () => {
    const { status, body } = await page(`/runs/${ids.failed}`);
    expect(status).toBe(200);
    expect(body).toContain("&quot;postId&quot;: &quot;p-1&quot;");
    expect(body).toContain("&quot;velocityWindowHours&quot;: 2");
    expect(body).toContain("p-&lt;b&gt;9&lt;/b&gt;");
    expect(body).toContain("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;");
    expect(body).not.toContain("<script>alert");
    expect(body).not.toContain("<img src=x");
    expect((await page("/runs/no-such-run")).status).toBe(404);
  });

  it("a running run's page polls its progress, recorded at its checkpoints", async () => {
    const { body } = await page(`/runs/${ids.running}`);
    expect(body).toContain(`data-progress-url="/runs/${ids.running}/progress"`);
    expect(body).toContain("7 of 20 items, 1 failed");
    const progress = await dashboardFor(db).request(`/runs/${ids.running}/progress`);
    expect(progress.status).toBe(200);
    expect(await progress.json()).toMatchObject({
      status: "RUNNING",
      done: 7,
      failed: 1,
      total: 20,
    });
    expect((await dashboardFor(db).request("/runs/nope/progress")).status).toBe(404);
  });

  it("queue: dead requests with their attempts and errors as text", async () => {
    const { status, body } = await page("/queue");
    expect(status).toBe(200);
    expect(body).toContain('id="queue-failed"');
    expect(body).toContain("3/3");
    expect(body).toContain("gave up: &lt;script&gt;");
    expect(body).not.toContain("<script>alert");
  });

  it("schedules: every declared schedule, its next fire times and last ticks", async () => {
    const { status, body } = await page("/schedules");
    expect(status).toBe(200);
    expect(body).toContain("0 * * * *");
    expect(body).toContain("0 3 * * *");
    expect(body).toContain("host-a:1:abcd");
    expect(body.match(/<time datetime=/g)?.length).toBeGreaterThanOrEqual(9);
  });

  it("trends: the daily aggregates as chart data over 28 days", async () => {
    const { status, body } = await page("/trends");
    expect(status).toBe(200);
    const charts = [...body.matchAll(/data-chart="([^"]*)"/g)].map((m) =>
      JSON.parse((m[1] as string).replaceAll("&quot;", '"')),
    );
    const coverage = charts.find((chart) => chart.title === "coverage of its table");
    expect(coverage.x).toHaveLength(28);
    expect(coverage.series[0].values.at(-1)).toBeCloseTo(80);
    const durations = charts.find((chart) => chart.title === "duration");
    expect(durations.series.map((s: { label: string }) => s.label)).toEqual(["p50", "p95"]);
  });

  it("serves uPlot and its own script and style from this process", async () => {
    for (const [path, type] of [
      ["/assets/uplot.iife.min.js", "text/javascript"],
      ["/assets/uplot.min.css", "text/css"],
      ["/assets/dashboard.js", "text/javascript"],
      ["/assets/dashboard.css", "text/css"],
    ] as const) {
      const response = await dashboardFor(db).request(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type")).toContain(type);
    }
    expect((await page("/assets/other.js")).status).toBe(404);
    expect((await page("/nowhere")).status).toBe(404);
  });

  it("login page: a form when a token is set, a read-only note otherwise", async () => {
    expect((await page("/login", undefined, TOKEN)).body).toContain('type="password"');
    expect((await page("/login")).body).toContain("read-only");
  });
});
