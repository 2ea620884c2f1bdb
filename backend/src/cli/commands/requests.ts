import {
  abbreviate,
  enqueue,
  findRequestsByIdPrefix,
  listRequests,
  NotRetriable,
  type QueuedRequest,
  REQUEST_STATES,
  type RequestScope,
  type RequestState,
  retry,
  scopeKey,
  withQueue,
} from "@feed-jobs/jobs";
import { type Command, Option } from "commander";
import { catalog, findJob } from "../../jobs/catalog.ts";
import { assertPostExists, assertUserExists, withDatabase } from "../database.ts";
import { uniqueByPrefix } from "../ids.ts";
import { type Cli, table, UsageError } from "../io.ts";
import { positiveInt } from "../parse.ts";

/** Reasons and errors longer than this are cut in the table; `--json` shows them whole. */
const LISTED_TEXT_LENGTH = 100;
const jobNames = catalog.map((job) => job.name);

/** `enqueue`, `requests`, `retry`: event-triggered runs on the job queue (pg-boss). */
export function registerRequestCommands(program: Command, { io }: Cli): void {
  program
    .command("enqueue <job>")
    .description("Queue an event-triggered run (a running worker takes it within seconds)")
    .option("--post-id <id>", "the post the event is about (content-features)")
    .option("--user-id <id>", "the user the event is about (match-scores, compatibility, affinity)")
    .option("--reason <text>", "what happened, shown by `requests` (default: manual)", "manual")
    .action(
      async (jobName: string, flags: { postId?: string; userId?: string; reason: string }) => {
        const job = findJob(jobName);
        if (!job) throw new UsageError(`unknown job "${jobName}".`);
        const scope: RequestScope = {
          ...(flags.postId ? { postId: flags.postId } : {}),
          ...(flags.userId ? { userId: flags.userId } : {}),
        };
        const refused = Object.keys(scope).filter(
          (key) => !(job.accepts as string[]).includes(key),
        );
        if (refused.length > 0)
          throw new UsageError(`${job.name} does not take ${refused.join(", ")}.`);
        const queued = await withDatabase(async (db) => {
          if (flags.postId) await assertPostExists(db, flags.postId);
          if (flags.userId) await assertUserExists(db, flags.userId);
          return withQueue(db, jobNames, (queue) =>
            enqueue(queue, job, scope, { now: new Date(), reason: flags.reason }),
          );
        });
        io.out(
          queued.created
            ? `queued request ${queued.id}`
            : `already pending as request ${queued.id}`,
        );
      },
    );

  program
    .command("requests")
    .description(
      "Show queued runs (event requests and ticks), newest first; failed = dead: every attempt failed",
    )
    .addOption(new Option("--state <state>", "only requests in this state").choices(REQUEST_STATES))
    .option("--job <name>", "only this job")
    .option("--limit <n>", "how many (default 20)", positiveInt, 20)
    .option("--json", "print JSON (with whole reasons and errors)")
    .action(
      async (flags: { state?: RequestState; job?: string; limit: number; json?: boolean }) => {
        const rows = await withDatabase((db) => listRequests(db, flags));
        io.out(flags.json ? JSON.stringify(rows, null, 2) : formatRequests(rows));
      },
    );

  program
    .command("retry <requestId>")
    .description(
      "Queue a dead (failed) request again now, with all its attempts, as a new request (an 8-character prefix will do)",
    )
    .action(async (prefix: string) => {
      const { dead, queued } = await withDatabase(async (db) => {
        const request = uniqueByPrefix("request", prefix, await findRequestsByIdPrefix(db, prefix));
        try {
          return {
            dead: request.id,
            queued: await withQueue(db, jobNames, (queue) => retry(queue, request.id)),
          };
        } catch (error) {
          if (error instanceof NotRetriable) throw new UsageError(error.message);
          throw error;
        }
      });
      if (!queued) throw new UsageError(`unknown request id "${prefix}".`);
      io.out(`requeued request ${dead} as request ${queued.id}`);
    });
}

/** How `requests` shows a state: a failed request has spent its attempts. */
const stateLabel = (state: RequestState) => (state === "failed" ? "dead" : state);

function formatRequests(rows: QueuedRequest[]): string {
  if (rows.length === 0) return "No requests.";
  const time = (at: Date | null) => (at ? at.toISOString().replace("T", " ").slice(0, 19) : "-");
  return table(
    [
      "request",
      "job",
      "scope",
      "state",
      "attempts",
      "created (UTC)",
      "run after",
      "run",
      "reason",
      "last error",
    ],
    rows.map((r) => [
      r.id.slice(0, 8),
      r.job,
      scopeKey(r.message.options),
      stateLabel(r.state),
      `${r.attempts}/${r.maxAttempts}`,
      time(r.createdAt),
      r.state === "created" || r.state === "retry" ? time(r.startAfter) : "-",
      r.runId?.slice(0, 8) ?? "-",
      abbreviate(r.message.reason ?? "", LISTED_TEXT_LENGTH),
      abbreviate(r.lastError ?? "", LISTED_TEXT_LENGTH),
    ]),
  );
}
