import type { Database } from "@feed-jobs/db";
import {
  abandonment,
  JobAlreadyRunning,
  markAbandoned,
  NotRetriable,
  requestCancel,
  retry,
  withQueue,
} from "@feed-jobs/jobs";
import type { AnyJob } from "../jobs/catalog.ts";
import { pauseJob, resumeJob } from "../scheduler/controls.ts";
import { type ActionName, recordAction } from "./audit.ts";
import type { Operator } from "./auth.ts";
import { launch, type StartRun } from "./launch.ts";
import { findRun } from "./queries.ts";

/** What an action did: where to go next, or why it was refused (with the HTTP status). */
export type Outcome =
  | { ok: true; location: string; note?: string; runId?: string }
  | { ok: false; status: 404 | 409; message: string; runId?: string };

export interface ActionDeps {
  db: Database;
  jobs: readonly AnyJob[];
  clock: () => Date;
  startRun: StartRun;
  log(line: string): void;
}

export interface ActionRequest {
  action: ActionName;
  /** Job name, run id or request id. */
  target: string;
  detail: Record<string, unknown> | null;
  operator: Operator;
  address: string | null;
}

/** Performs an operator action and records it (who, when, what, and how it ended). */
export async function performAction(deps: ActionDeps, request: ActionRequest): Promise<Outcome> {
  const outcome = await perform(deps, request);
  await recordAction(deps.db, {
    at: deps.clock(),
    actor: request.operator.name,
    via: request.operator.via,
    address: request.address,
    action: request.action,
    target: request.target,
    detail: request.detail,
    outcome: outcome.ok ? (outcome.note ?? "done") : outcome.message,
    runId: outcome.runId ?? null,
  });
  return outcome;
}

async function perform(deps: ActionDeps, request: ActionRequest): Promise<Outcome> {
  const { db, clock } = deps;
  const { target } = request;
  if (request.action === "cancel") {
    const run = await findRun(db, target);
    if (!run) return { ok: false, status: 404, message: `unknown run ${target}` };
    const abandoned = run.status === "RUNNING" ? await abandonment(db, run) : null;
    if (abandoned && (await markAbandoned(db, run.id, abandoned, clock()))) {
      const note = `${abandoned}: recorded FAILED`;
      return { ok: true, location: `/runs/${run.id}`, note, runId: run.id };
    }
    if (!(await requestCancel(db, run.id, clock()))) {
      return {
        ok: false,
        status: 409,
        message: `run is ${run.status}, not RUNNING`,
        runId: run.id,
      };
    }
    return { ok: true, location: `/runs/${run.id}`, note: "cancel requested", runId: run.id };
  }
  if (request.action === "retry") return retryRequest(deps, target);
  const job = deps.jobs.find((candidate) => candidate.name === target);
  if (!job) return { ok: false, status: 404, message: `unknown job ${target}` };
  return jobAction(deps, request, job);
}

/** Queues a dead request again, on a queue opened for the action. */
async function retryRequest(deps: ActionDeps, id: string): Promise<Outcome> {
  const names = deps.jobs.map((job) => job.name);
  try {
    const queued = await withQueue(deps.db, names, (queue) => retry(queue, id));
    if (!queued) return { ok: false, status: 404, message: `unknown request ${id}` };
    return { ok: true, location: "/queue", note: `queued again as request ${queued.id}` };
  } catch (error) {
    if (!(error instanceof NotRetriable)) throw error;
    return { ok: false, status: 409, message: error.message };
  }
}

async function jobAction(deps: ActionDeps, request: ActionRequest, job: AnyJob): Promise<Outcome> {
  const back = `/#job-${job.name}`;
  switch (request.action) {
    case "pause":
      await pauseJob(deps.db, {
        jobName: job.name,
        pausedAt: deps.clock(),
        pausedBy: request.operator.name,
        reason: (request.detail?.reason as string | undefined) ?? null,
      });
      return { ok: true, location: back };
    case "resume":
      return (await resumeJob(deps.db, job.name))
        ? { ok: true, location: back }
        : { ok: true, location: back, note: "was not paused" };
    default:
      try {
        const runId = await launch(deps.startRun, job, deps.log);
        return { ok: true, location: `/runs/${runId}`, note: "started", runId };
      } catch (error) {
        if (!(error instanceof JobAlreadyRunning)) throw error;
        return { ok: false, status: 409, message: error.message };
      }
  }
}
