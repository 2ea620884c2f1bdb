/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Database } from "@feed-jobs/db";
import { abandonment, scopeKey } from "@feed-jobs/jobs";
import { recentActions } from "../audit.ts";
import { duration } from "../format.ts";
import { type findRun, requestsOfRun } from "../queries.ts";
import { ActionButton, Json, Status, Table, type Viewer, When } from "./components.tsx";
import { Page } from "./layout.tsx";

type Run = NonNullable<Awaited<ReturnType<typeof findRun>>>;

/** What the run page shows live, and GET /runs/:id/progress answers. */
export interface Progress {
  status: string;
  done: number;
  failed: number;
  /** Unknown until the job declares it (and after the run). */
  total: number | null;
  /** When a running run last reported (its latest checkpoint). */
  reportedAt: string | null;
  elapsedMs: number;
  /** The counts in words, as the page shows them. */
  text: string;
}

interface RecordedProgress {
  done: number;
  failed: number;
  total: number | null;
  at: string;
}

/** A running run's progress as of its latest checkpoint; a finished run's final counts. */
export function progressOf(run: Run, now: Date): Progress {
  const metadata = (run.metadata ?? {}) as { progress?: RecordedProgress };
  const recorded = run.status === "RUNNING" ? metadata.progress : undefined;
  const counts = {
    done: recorded?.done ?? run.itemsProcessed ?? 0,
    failed: recorded?.failed ?? run.itemsFailed ?? 0,
    total: recorded?.total ?? null,
    elapsedMs: run.duration ?? now.getTime() - run.startedAt.getTime(),
  };
  const total = counts.total === null ? "" : ` of ${counts.total}`;
  const failed = counts.failed > 0 ? `, ${counts.failed} failed` : "";
  return {
    ...counts,
    status: run.status,
    reportedAt: recorded?.at ?? null,
    text: `${counts.done}${total} items${failed} in ${duration(counts.elapsedMs)}`,
  };
}

/** A run: its scope, config overrides, metadata, error, and its progress, live while it runs. */
export async function runPage(db: Database, run: Run, viewer: Viewer) {
  const { now } = viewer;
  const metadata = (run.metadata ?? {}) as Record<string, unknown>;
  const requests = await requestsOfRun(db, run.id);
  const actions = await recentActions(db, 20, run.id);
  const failures = (metadata.failures ?? []) as { item: string; error: string }[];
  // RUNNING, but its process is gone: it will never report again.
  const abandoned = run.status === "RUNNING" ? await abandonment(db, run) : null;
  return (
    <Page title={`${run.jobName} run ${run.id.slice(0, 8)}`} path="/runs" viewer={viewer}>
      <section class="run-head">
        <Status status={abandoned ? "ABANDONED" : run.status} />
        {run.status === "RUNNING" ? (
          <ActionButton
            viewer={viewer}
            action={`/runs/${run.id}/cancel`}
            label="Cancel run"
            confirm="Stop this run at its next batch boundary?"
          />
        ) : null}
      </section>
      {abandoned ? <p class="problem">{abandoned}</p> : <LiveProgress run={run} now={now} />}
      <dl class="facts">
        <dt>run</dt>
        <dd>
          <code>{run.id}</code>
        </dd>
        <dt>job</dt>
        <dd>
          <a href={`/runs?job=${encodeURIComponent(run.jobName)}`}>{run.jobName}</a>{" "}
          <span class="muted">{run.algorithmVersion}</span>
        </dd>
        <dt>trigger</dt>
        <dd>{run.trigger}</dd>
        <dt>started</dt>
        <dd>
          <When at={run.startedAt} now={now} />
        </dd>
        <dt>completed</dt>
        <dd>
          <When at={run.completedAt} now={now} />
        </dd>
        <dt>took</dt>
        <dd>{run.duration === null ? "–" : duration(run.duration)}</dd>
        <dt>as of</dt>
        <dd>
          <When at={run.asOf} now={now} />
        </dd>
        <dt>where</dt>
        <dd>
          {run.host ?? "?"} (pid {run.pid ?? "?"})
        </dd>
        {run.cancelRequestedAt ? (
          <>
            <dt>cancel requested</dt>
            <dd>
              <When at={run.cancelRequestedAt} now={now} />
            </dd>
          </>
        ) : null}
      </dl>
      {run.error ? (
        <>
          <h2>Error</h2>
          <pre class="error">{run.error}</pre>
        </>
      ) : null}
      <h2>Scope</h2>
      {run.scope ? <Json value={run.scope} /> : <p class="muted">The whole table (no scope).</p>}
      <h2>Config overrides</h2>
      {metadata.overrides && Object.keys(metadata.overrides).length > 0 ? (
        <Json value={metadata.overrides} />
      ) : (
        <p class="muted">None: the job's defaults.</p>
      )}
      {failures.length > 0 ? (
        <>
          <h2>Items that could not be scored (samples)</h2>
          <Table head={["item", "error"]}>
            {failures.map((failure) => (
              <tr>
                <td>
                  <code>{failure.item}</code>
                </td>
                <td class="error">{failure.error}</td>
              </tr>
            ))}
          </Table>
        </>
      ) : null}
      <h2>Metadata</h2>
      {run.metadata ? <Json value={run.metadata} /> : <p class="muted">None recorded yet.</p>}
      {requests.length > 0 ? (
        <>
          <h2>Requests it ran</h2>
          <ul>
            {requests.map((request) => (
              <li>
                <code>{request.id.slice(0, 8)}</code> {scopeKey(request.message.options)} —{" "}
                {request.state} <span class="muted">{request.message.reason}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {actions.length > 0 ? (
        <>
          <h2>Operator actions</h2>
          <ul>
            {actions.map((action) => (
              <li>
                <When at={action.at} now={now} /> {action.actor}: {action.action} — {action.outcome}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Page>
  );
}

/** Progress bar and counts; dashboard.js polls `data-progress-url` while the run is RUNNING. */
function LiveProgress({ run, now }: { run: Run; now: Date }) {
  const progress = progressOf(run, now);
  if (run.status !== "RUNNING") return <p class="progress-text">{progress.text}</p>;
  return (
    <section class="progress" data-progress-url={`/runs/${run.id}/progress`}>
      <progress
        max={progress.total ?? undefined}
        value={progress.total === null ? undefined : progress.done}
      />
      <span class="progress-text">{progress.text}</span>
    </section>
  );
}
