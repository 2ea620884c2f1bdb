import type { JobRequestStatus } from "@feed-jobs/db";
import {
  abbreviate,
  enqueue,
  findRequestsByIdPrefix,
  type JobRequest,
  listRequests,
  type RequestScope,
  retry,
} from "@feed-jobs/jobs";
import { type Command, Option } from "commander";
import { findJob } from "../../jobs/catalog.ts";
import { assertPostExists, assertUserExists, withDatabase } from "../database.ts";
import { uniqueByPrefix } from "../ids.ts";
import { type Cli, table, UsageError } from "../io.ts";
import { positiveInt } from "../parse.ts";

const STATUSES: JobRequestStatus[] = ["PENDING", "RUNNING", "RETRY", "DONE", "FAILED"];
/** Reasons and errors longer than this are cut in the table; `--json` shows them whole. */
const LISTED_TEXT_LENGTH = 100;

/** `enqueue`, `requests`, `retry`: the durable queue of event-triggered runs. */
export function registerRequestCommands(program: Command, { io }: Cli): void {
  program
    .command("enqueue <job>")
    .description("Queue an event-triggered run (a running scheduler handles it within seconds)")
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
          return enqueue(db, job, scope, { now: new Date(), reason: flags.reason });
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
    .description("Show event requests, newest first")
    .addOption(new Option("--status <status>", "only requests with this status").choices(STATUSES))
    .option("--job <name>", "only this job")
    .option("--limit <n>", "how many (default 20)", positiveInt, 20)
    .option("--json", "print JSON (with whole reasons and errors)")
    .action(
      async (flags: { status?: JobRequestStatus; job?: string; limit: number; json?: boolean }) => {
        const rows = await withDatabase((db) => listRequests(db, flags));
        io.out(flags.json ? JSON.stringify(rows, null, 2) : formatRequests(rows));
      },
    );

  program
    .command("retry <requestId>")
    .description(
      "Requeue a FAILED request now, with its attempts reset (an 8-character prefix will do)",
    )
    .action(async (prefix: string) => {
      const id = await withDatabase(async (db) => {
        const request = uniqueByPrefix("request", prefix, await findRequestsByIdPrefix(db, prefix));
        if (!(await retry(db, request.id, new Date()))) {
          throw new UsageError(
            `request ${request.id} is ${request.status}; only FAILED requests can be retried.`,
          );
        }
        return request.id;
      });
      io.out(`requeued request ${id}`);
    });
}

function formatRequests(rows: JobRequest[]): string {
  if (rows.length === 0) return "No requests.";
  const time = (at: Date | null) => (at ? at.toISOString().replace("T", " ").slice(0, 19) : "-");
  return table(
    [
      "request",
      "job",
      "scope",
      "status",
      "attempts",
      "created (UTC)",
      "run after",
      "run",
      "reason",
      "last error",
    ],
    rows.map((r) => [
      r.id.slice(0, 8),
      r.jobName,
      r.scopeKey,
      r.status,
      `${r.attempts}/${r.maxAttempts}`,
      time(r.createdAt),
      r.status === "PENDING" || r.status === "RETRY" ? time(r.runAfter) : "-",
      r.runId?.slice(0, 8) ?? "-",
      abbreviate(r.reason ?? "", LISTED_TEXT_LENGTH),
      abbreviate(r.lastError ?? "", LISTED_TEXT_LENGTH),
    ]),
  );
}
