import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { jobLockKey, listRequests } from "@feed-jobs/jobs";
import { beforeEach, describe, expect, it } from "vitest";
import { isPaused } from "../../src/scheduler/controls.ts";
import { insertRun } from "../monitoring/support.ts";
import { useTestDatabase } from "../support/database.ts";
import { markDead, queueRequest } from "../support/requests.ts";
import { dashboardFor, logIn, quickJob, sameOrigin, slowJob, TOKEN } from "./support.ts";

let db: Database;
useTestDatabase(new Date(), "file", (opened) => {
  db = opened;
});
beforeEach(async () => {
  await db.prisma.jobControl.deleteMany();
  await db.prisma.operatorAction.deleteMany();
});

const post = (path: string, headers: Record<string, string>, body: Record<string, string> = {}) =>
  ({ path, init: { method: "POST", headers, body: new URLSearchParams(body) } }) as const;
const bearer = { ...sameOrigin, authorization: `Bearer ${TOKEN}`, "x-operator": "grace" };
const actions = () => db.prisma.operatorAction.findMany({ orderBy: { at: "asc" } });

describe(`dashboard actions (${testDatabaseKind()})`, () => {
  it("are refused while FEED_JOBS_ADMIN_TOKEN is unset: read-only", async () => {
    const app = dashboardFor(db);
    const { path, init } = post("/jobs/quick-job/pause", bearer);
    const response = await app.request(path, init);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("read-only");
    expect(await isPaused(db, "quick-job")).toBe(false);
    const login = post("/login", sameOrigin, { name: "ada", token: TOKEN });
    expect((await app.request(login.path, login.init)).status).toBe(403);
  });

  it("need the token: none, a wrong one, or one in the URL get 401", async () => {
    const app = dashboardFor(db, { token: TOKEN });
    for (const { path, init } of [
      post("/jobs/quick-job/pause", sameOrigin),
      post("/jobs/quick-job/pause", { ...bearer, authorization: "Bearer wrong" }),
      post(`/jobs/quick-job/pause?token=${TOKEN}`, sameOrigin, { token: TOKEN }),
    ]) {
      expect((await app.request(path, init)).status).toBe(401);
    }
    expect(await isPaused(db, "quick-job")).toBe(false);
    expect(await actions()).toEqual([]);
  });

  it("pause and resume with the token in a header, recorded with who, when and what", async () => {
    const app = dashboardFor(db, { token: TOKEN });
    const pause = post("/jobs/quick-job/pause", bearer, { reason: "too slow" });
    const paused = await app.request(pause.path, pause.init);
    expect(paused.status).toBe(303);
    expect(paused.headers.get("location")).toBe("/#job-quick-job");
    const control = await db.prisma.jobControl.findUniqueOrThrow({
      where: { jobName: "quick-job" },
    });
    expect(control).toMatchObject({ pausedBy: "grace", reason: "too slow" });
    const resume = post("/jobs/quick-job/resume", bearer);
    expect((await app.request(resume.path, resume.init)).status).toBe(303);
    expect(await isPaused(db, "quick-job")).toBe(false);
    const recorded = await actions();
    expect(recorded).toMatchObject([
      {
        actor: "grace",
        via: "header",
        action: "pause",
        target: "quick-job",
        detail: { reason: "too slow" },
        outcome: "done",
      },
      { actor: "grace", via: "header", action: "resume", target: "quick-job", outcome: "done" },
    ]);
    expect(recorded[0]?.at.getTime()).toBeGreaterThan(Date.now() - 60_000);
    const unknown = post("/jobs/no-such-job/pause", bearer);
    expect((await app.request(unknown.path, unknown.init)).status).toBe(404);
  });

  it("log in through the form: a signed HttpOnly SameSite=Strict cookie, never the token itself", async () => {
    const app = dashboardFor(db, { token: TOKEN });
    const wrong = post("/login", sameOrigin, { name: "ada", token: "guess" });
    expect((await app.request(wrong.path, wrong.init)).status).toBe(401);
    const right = post("/login", sameOrigin, { name: "ada", token: TOKEN });
    const response = await app.request(right.path, right.init);
    expect(response.status).toBe(303);
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(";")[0] as string;
    const pause = post("/jobs/quick-job/pause", { ...sameOrigin, cookie });
    expect((await app.request(pause.path, pause.init)).status).toBe(303);
    expect(await actions()).toMatchObject([{ actor: "ada", via: "cookie", action: "pause" }]);
    // A cookie signed with another token is worth nothing.
    const other = dashboardFor(db, { token: `${TOKEN}-rotated` });
    const again = post("/jobs/quick-job/resume", { ...sameOrigin, cookie });
    expect((await other.request(again.path, again.init)).status).toBe(401);
  });

  it("refuse cross-site POSTs (CSRF), whatever credentials they carry", async () => {
    const app = dashboardFor(db, { token: TOKEN });
    const cookie = await logIn(app);
    const form = { "content-type": "application/x-www-form-urlencoded", cookie };
    for (const headers of [
      { ...form, "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      { ...form, "sec-fetch-site": "same-site" },
      { ...form, origin: "https://evil.example" },
      form, // neither header: not a browser we can trust with a cookie
      { ...bearer, "sec-fetch-site": "cross-site" },
    ]) {
      const { path, init } = post("/jobs/quick-job/pause", headers);
      const response = await app.request(path, init);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain("Cross-site request refused");
    }
    const crossLogin = post(
      "/login",
      { ...sameOrigin, "sec-fetch-site": "cross-site" },
      { name: "x", token: TOKEN },
    );
    expect((await app.request(crossLogin.path, crossLogin.init)).status).toBe(403);
    expect(await isPaused(db, "quick-job")).toBe(false);
    // A script with the token in a header is no browser: no Origin needed.
    const script = post("/jobs/quick-job/pause", { authorization: `Bearer ${TOKEN}` });
    expect((await app.request(script.path, script.init)).status).toBe(303);
    expect(await actions()).toMatchObject([{ actor: "admin token", via: "header" }]);
  });

  it("cancel a running run; a finished one is refused with 409, both recorded", async () => {
    const app = dashboardFor(db, { token: TOKEN });
    const lock = await db.tryLock(jobLockKey("slow-job")); // the run is alive: it holds the lock
    const running = await insertRun(db, {
      jobName: "slow-job",
      status: "RUNNING",
      startedAt: new Date(),
    });
    const done = await insertRun(db, {
      jobName: "quick-job",
      status: "SUCCESS",
      startedAt: new Date(),
    });
    const cancel = post(`/runs/${running}/cancel`, bearer);
    const response = await app.request(cancel.path, cancel.init);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/runs/${running}`);
    const row = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: running } });
    expect(row.cancelRequestedAt).not.toBeNull();
    const refused = post(`/runs/${done}/cancel`, bearer);
    const conflict = await app.request(refused.path, refused.init);
    expect(conflict.status).toBe(409);
    expect(await conflict.text()).toContain("run is SUCCESS, not RUNNING");
    expect(await actions()).toMatchObject([
      { action: "cancel", target: running, runId: running, outcome: "cancel requested" },
      { action: "cancel", target: done, outcome: "run is SUCCESS, not RUNNING" },
    ]);
    const unknown = post("/runs/nope/cancel", bearer);
    expect((await app.request(unknown.path, unknown.init)).status).toBe(404);
    await lock?.release();
  });

  it("cancel an abandoned run (RUNNING, nobody holds its lock): recorded FAILED at once", async () => {
    const app = dashboardFor(db, { token: TOKEN });
    const running = await insertRun(db, {
      jobName: "quick-job",
      status: "RUNNING",
      startedAt: new Date(),
    });
    const page = await (await app.request(`/runs/${running}`)).text();
    expect(page).toContain("ABANDONED");
    expect(page).not.toContain("data-progress-url");
    const cancel = post(`/runs/${running}/cancel`, bearer);
    expect((await app.request(cancel.path, cancel.init)).status).toBe(303);
    const row = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: running } });
    expect(row.status).toBe("FAILED");
    expect(row.error).toMatch(/^abandoned: nobody holds quick-job's lock/);
    expect((await actions())[0]?.outcome).toMatch(/: recorded FAILED$/);
  });

  it("retry a dead request (queued again as a new one); one waiting to run is refused with 409", async () => {
    const app = dashboardFor(db, { token: TOKEN });
    const dead = await queueRequest(db, quickJob, {}, { now: new Date(), reason: "dead" });
    await markDead(db, dead.id, "boom");
    const retry = post(`/requests/${dead.id}/retry`, bearer);
    const response = await app.request(retry.path, retry.init);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/queue");
    const [again] = await listRequests(db, { job: quickJob.name });
    expect(again).toMatchObject({ state: "created", attempts: 0 });
    expect(again?.message.reason).toBe("dead");
    const waiting = post(`/requests/${again?.id}/retry`, bearer);
    expect((await app.request(waiting.path, waiting.init)).status).toBe(409);
    const unknown = await app.request(retry.path, { ...retry.init, body: new URLSearchParams() });
    expect(unknown.status).toBe(404);
    expect(await actions()).toMatchObject([
      { action: "retry", target: dead.id, outcome: `queued again as request ${again?.id}` },
      {
        action: "retry",
        target: again?.id,
        outcome: `request ${again?.id} is created; only failed requests can be retried.`,
      },
      { action: "retry", target: dead.id, outcome: `unknown request ${dead.id}` },
    ]);
  });

  it("run a job now: answers at once with its run page while it runs in the background", async () => {
    const slow = slowJob(40, 50);
    const app = dashboardFor(db, { token: TOKEN, jobs: [quickJob, slow] });
    const run = post("/jobs/slow-job/run", bearer);
    const started = Date.now();
    const response = await app.request(run.path, run.init);
    expect(Date.now() - started).toBeLessThan(1_500); // the run takes 2 s and more
    expect(response.status).toBe(303);
    const location = response.headers.get("location") ?? "";
    const runId = /^\/runs\/([0-9a-f-]{36})$/.exec(location)?.[1] as string;
    expect((await db.prisma.jobRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe(
      "RUNNING",
    );
    // A second start while it runs is refused: the job's lock.
    const twice = await app.request(run.path, { ...run.init, body: new URLSearchParams() });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain("slow-job is already running");
    // Its page reports progress while it runs.
    let done = 0;
    for (let i = 0; i < 100 && done === 0; i++) {
      await sleep(50);
      done = ((await (await app.request(`/runs/${runId}/progress`)).json()) as { done: number })
        .done;
    }
    expect(done).toBeGreaterThan(0);
    const cancel = post(`/runs/${runId}/cancel`, bearer);
    expect((await app.request(cancel.path, cancel.init)).status).toBe(303);
    for (let i = 0; i < 100; i++) {
      const row = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: runId } });
      if (row.status !== "RUNNING") break;
      await sleep(50);
    }
    expect((await db.prisma.jobRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe(
      "CANCELLED",
    );
    expect((await actions()).map((a) => [a.action, a.runId === runId])).toEqual([
      ["run", true],
      ["run", false],
      ["cancel", true],
    ]);
  });
});
