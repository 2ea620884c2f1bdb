import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "@feed-jobs/db";
import { createTestDatabase } from "@feed-jobs/db/testing";
import { runJob } from "@feed-jobs/jobs";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboard } from "../../src/dashboard/app.tsx";
import { standaloneRuns } from "../../src/dashboard/launch.ts";
import { type DashboardServer, serveDashboard } from "../../src/dashboard/server.ts";
import { seedDemoData } from "../../src/demo/seed.ts";
import { type AnyJob, catalog } from "../../src/jobs/catalog.ts";
import { contentFeaturesJob } from "../../src/jobs/contentFeatures/job.ts";
import { trendingJob } from "../../src/jobs/trending/job.ts";
import { aggregateDays, utcDay } from "../../src/monitoring/daily-queries.ts";
import { DEFAULT_HEALTH_LIMITS } from "../../src/monitoring/health.ts";
import { observeRun } from "../../src/monitoring/observe.ts";
import { isPaused } from "../../src/scheduler/controls.ts";
import { insertRun } from "../monitoring/support.ts";
import { markDead, queueRequest } from "../support/requests.ts";
import { slowJob, TOKEN } from "./support.ts";

/**
 * The dashboard in a real browser: Debian's chromium driven by playwright-core, against a
 * server on a seeded embedded database in this process. Screenshots go to
 * backend/test-output/dashboard/ (desktop and phone widths).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const OUTPUT = join(import.meta.dirname, "../../test-output/dashboard");
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const DAY = 86_400_000;
const XSS_ERROR = `caption <script>window.pwned = true</script> broke the tokenizer`;

const skipReason = process.env.TEST_DATABASE_URL
  ? "runs on the embedded database only (the route tests cover PostgreSQL)"
  : existsSync(CHROMIUM)
    ? null
    : `no Chromium at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH)`;
if (skipReason) console.warn(`dashboard browser test skipped: ${skipReason}`);

const slow = slowJob(40, 150);
const jobs: readonly AnyJob[] = [...catalog, slow];

let db: Database;
let server: DashboardServer;
let stopRuns: (timeoutMs: number) => Promise<boolean>;
let context: BrowserContext;
let profile: string;
let base: string;
const failedRunIds: string[] = [];

/** A demo population with real runs of two jobs, 28 days of history, and a run that failed on a hostile caption. */
async function seed(db: Database): Promise<void> {
  const now = new Date();
  await seedDemoData(db, { users: 150, seed: 3, now, log: () => undefined });
  for (const job of [contentFeaturesJob, trendingJob] as AnyJob[]) {
    const summary = await runJob(db, job, { trigger: "MANUAL" });
    await observeRun(
      db,
      { job, trigger: "MANUAL", summary, now, wholeTable: true },
      jobs,
      DEFAULT_HEALTH_LIMITS,
    );
  }
  for (let day = 27; day >= 1; day--) {
    for (const [job, base] of [
      ["trending", 800],
      ["match-scores", 20_000],
      ["slow-job", 6_000],
    ] as const) {
      await insertRun(db, {
        jobName: job,
        status: day % 9 === 0 && job === "trending" ? "FAILED" : "SUCCESS",
        startedAt: new Date(now.getTime() - day * DAY),
        duration: base * (1 + (27 - day) / 40 + (day % 3) / 10),
      });
    }
  }
  failedRunIds.push(
    await insertRun(db, {
      jobName: "compatibility",
      status: "FAILED",
      startedAt: new Date(now.getTime() - 3_600_000),
      error: XSS_ERROR,
      scope: { userId: "u000007" },
    }),
  );
  for (let quarter = 1; quarter <= 4; quarter++) {
    const slot = new Date(Math.floor(now.getTime() / 900_000 - quarter) * 900_000);
    await db.prisma.schedulerTick.create({
      data: {
        key: `trending/every-15-min:${slot.toISOString()}`,
        claimedBy: "scheduler-a:4242:1f2e3d4c",
        claimedAt: slot,
        completedAt: new Date(slot.getTime() + 900),
      },
    });
  }
  const dead = await queueRequest(
    db,
    contentFeaturesJob,
    { postId: "p0000042" },
    { now, reason: "post created" },
  );
  await markDead(db, dead.id, XSS_ERROR);
  await queueRequest(
    db,
    contentFeaturesJob,
    { postId: "p0000043" },
    { now, reason: "post created" },
  );
  await aggregateDays(db, {
    fromDay: utcDay(new Date(now.getTime() - 28 * DAY)),
    toDay: utcDay(now),
    now,
  });
}

describe.skipIf(skipReason !== null)("the dashboard in Chromium", () => {
  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    db = await createTestDatabase();
    await seed(db);
    const runs = standaloneRuns(db, jobs, () => undefined);
    stopRuns = runs.stop;
    const app = createDashboard({
      db,
      jobs,
      adminToken: TOKEN,
      startRun: runs.start,
      log: () => undefined,
    });
    server = await serveDashboard(app, { host: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${server.port}`;
    profile = mkdtempSync(join(tmpdir(), "feed-jobs-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1280, height: 900 },
    });
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await server?.close();
    await stopRuns?.(10_000);
    await db?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });

  it("loads the overview, follows a run, pauses and resumes with the token, and watches a run live", async () => {
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));

    // The overview, charts drawn by uPlot (served by the dashboard itself).
    await page.goto(`${base}/`);
    await expect.poll(() => page.locator("tr[id^=job-]").count()).toBe(jobs.length);
    await page.locator("#job-trending .chart-small canvas").waitFor();
    expect(await page.locator("#job-trending").textContent()).toContain("trending_scores");
    await shot(page, "overview-desktop");

    // Follow a run: the failed compatibility run, whose error is shown as text.
    await page.locator("#job-compatibility a[href^='/runs/']").first().click();
    await page.waitForURL(`${base}/runs/${failedRunIds[0]}`);
    expect(await page.locator("pre.error").textContent()).toBe(XSS_ERROR);
    expect(await page.evaluate("typeof window.pwned")).toBe("undefined");
    await shot(page, "run-failed-desktop");

    // Log in with the token, pause and resume trending.
    await page.goto(`${base}/login`);
    await page.fill("input[name=name]", "ada");
    await page.fill("input[name=token]", TOKEN);
    await page.click("form.login button");
    await page.waitForURL(`${base}/`);
    const trending = page.locator("#job-trending");
    await trending.locator("input[name=reason]").fill("investigating a spike");
    await trending.locator("button", { hasText: "Pause" }).click();
    await expect.poll(() => trending.textContent()).toContain("PAUSED");
    expect(await isPaused(db, "trending")).toBe(true);
    await shot(page, "overview-paused-desktop");
    await trending.locator("button", { hasText: "Resume" }).click();
    await expect.poll(() => trending.textContent()).not.toContain("PAUSED");
    expect(await isPaused(db, "trending")).toBe(false);

    // Run the slow job now: its page shows progress moving without a reload.
    await page.locator("#job-slow-job button", { hasText: "Run now" }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    expect(dialogs).toContain("Start a full run of slow-job now?");
    // Marks this page: a reload would lose the mark.
    await page.evaluate("window.samePage = true");
    const text = page.locator(".progress-text");
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          seen.add((await text.textContent()) ?? "");
          return seen.size;
        },
        { timeout: 20_000, interval: 300 },
      )
      .toBeGreaterThanOrEqual(3);
    expect(await page.evaluate("window.samePage")).toBe(true);
    expect([...seen].join(" | ")).toMatch(/of 40 items/);
    await shot(page, "run-live-desktop");

    // Cancel it from its page; it ends CANCELLED and the page shows it.
    await page.locator("button", { hasText: "Cancel run" }).click();
    await expect
      .poll(() => page.locator(".status").first().textContent(), { timeout: 20_000 })
      .toBe("CANCELLED");

    for (const path of ["queue", "schedules", "trends"]) {
      await page.goto(`${base}/${path}`);
      if (path === "trends") await page.locator("#trend-trending canvas").first().waitFor();
      await shot(page, `${path}-desktop`);
    }
    expect(pageErrors).toEqual([]);
    const recorded = await db.prisma.operatorAction.findMany({ orderBy: { at: "asc" } });
    expect(recorded.map((a) => `${a.actor} ${a.action} ${a.target}`)).toEqual([
      "ada pause trending",
      "ada resume trending",
      "ada run slow-job",
      expect.stringMatching(/^ada cancel [0-9a-f-]{36}$/),
    ]);
  });

  it("is readable on a phone: nothing wider than the screen but tables that scroll", async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [name, path] of [
      ["overview", ""],
      ["run-failed", `runs/${failedRunIds[0]}`],
      ["queue", "queue"],
      ["trends", "trends"],
    ]) {
      await page.goto(`${base}/${path}`);
      const overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
      );
      expect(overflow, path).toBeLessThanOrEqual(1);
      await shot(page, `${name}-phone`);
    }
  });
});
