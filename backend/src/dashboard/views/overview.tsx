/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Database } from "@feed-jobs/db";
import { declaredSchedules } from "../../cli/commands/schedule.ts";
import type { AnyJob } from "../../jobs/catalog.ts";
import { evaluateHealth } from "../../monitoring/health.ts";
import { outputTablesOf } from "../../monitoring/output-tables.ts";
import { lastFinishedRuns } from "../../monitoring/run-queries.ts";
import { computeStats } from "../../monitoring/stats.ts";
import { pausedJobs } from "../../scheduler/controls.ts";
import { recentActions } from "../audit.ts";
import { durationTrends, runningRuns } from "../queries.ts";
import { ActionButton, Status, Table, type Viewer, When } from "./components.tsx";
import { SuccessRate, TableHealth, Trend } from "./job-cells.tsx";
import { Page } from "./layout.tsx";

/** How many of a job's newest runs its duration trend shows. */
const TREND_RUNS = 30;

/** Overview: is anything failing, what is running, is a job getting slower, are scores drifting. */
export async function overviewPage(db: Database, jobs: readonly AnyJob[], viewer: Viewer) {
  const { now } = viewer;
  const report = await computeStats(db, {
    now,
    catalog: jobs,
    tables: outputTablesOf(jobs.map((job) => job.name)),
  });
  const lastRuns = await lastFinishedRuns(db);
  const running = await runningRuns(db);
  const paused = await pausedJobs(db);
  const trends = await durationTrends(db, TREND_RUNS);
  const actions = await recentActions(db, 10);
  const schedules = declaredSchedules(jobs);
  const firing = evaluateHealth(report).filter((check) => check.firing);
  return (
    <Page title="Overview" path="/" viewer={viewer}>
      <section class={firing.length > 0 ? "alerts firing" : "alerts"}>
        <h2>{firing.length > 0 ? `${firing.length} alert(s) firing` : "No alert firing"}</h2>
        <ul>
          {firing.map((check) => (
            <li>{check.message}</li>
          ))}
        </ul>
        <p class="muted">
          Queue: {report.queue.depth} waiting ({report.queue.counts.active} running,{" "}
          {report.queue.counts.failed} dead). Success rates and budget breaches over the last 24 h.
        </p>
      </section>
      <Table
        head={[
          "job",
          "state",
          "last run",
          "next fire",
          `duration, last ${TREND_RUNS} runs`,
          "success (24 h)",
          "over budget",
          "output table",
          "",
        ]}
      >
        {jobs.map((job) => {
          const last = lastRuns
            .filter((run) => run.jobName === job.name)
            .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())[0];
          const pause = paused.find((p) => p.jobName === job.name);
          const current = running.find((run) => run.jobName === job.name);
          const nextFire = schedules
            .filter((s) => s.job === job.name && s.nextRun)
            .map((s) => s.nextRun as Date)
            .sort((a, b) => a.getTime() - b.getTime())[0];
          const stats = report.jobs.filter((s) => s.job === job.name);
          const table = report.tables.find((t) => t.job === job.name);
          return (
            <tr id={`job-${job.name}`}>
              <td>
                <a href={`/runs?job=${encodeURIComponent(job.name)}`}>{job.name}</a>
              </td>
              <td>
                {pause ? <Status status="PAUSED" /> : null}
                {current ? (
                  <a href={`/runs/${current.id}`}>
                    <Status status="RUNNING" />
                  </a>
                ) : null}
                {!pause && !current ? <span class="muted">idle</span> : null}
                {pause?.reason ? <div class="muted">{pause.reason}</div> : null}
              </td>
              <td>
                {last ? (
                  <a href={`/runs/${last.id}`}>
                    <Status status={last.status} />
                  </a>
                ) : (
                  <span class="muted">never</span>
                )}{" "}
                {last ? <When at={last.startedAt} now={now} /> : null}
              </td>
              <td>
                {nextFire ? (
                  <When at={nextFire} now={now} />
                ) : (
                  <span class="muted">events only</span>
                )}
              </td>
              <td>
                <Trend points={trends.filter((point) => point.jobName === job.name)} />
              </td>
              <td>
                <SuccessRate stats={stats} />
              </td>
              <td>{stats.reduce((sum, s) => sum + s.budgetBreaches, 0)}</td>
              <td>{table ? <TableHealth table={table} /> : <span class="muted">–</span>}</td>
              <td class="actions">
                {pause ? (
                  <ActionButton
                    viewer={viewer}
                    action={`/jobs/${job.name}/resume`}
                    label="Resume"
                  />
                ) : (
                  <ActionButton
                    viewer={viewer}
                    action={`/jobs/${job.name}/pause`}
                    label="Pause"
                    fields={<input name="reason" placeholder="reason" aria-label="pause reason" />}
                  />
                )}
                <ActionButton
                  viewer={viewer}
                  action={`/jobs/${job.name}/run`}
                  label="Run now"
                  confirm={`Start a full run of ${job.name} now?`}
                />
              </td>
            </tr>
          );
        })}
      </Table>
      <h2>Recent operator actions</h2>
      {actions.length === 0 ? (
        <p class="muted">None yet.</p>
      ) : (
        <Table head={["when", "who", "action", "target", "outcome"]}>
          {actions.map((action) => (
            <tr>
              <td>
                <When at={action.at} now={now} />
              </td>
              <td>
                {action.actor} <span class="muted">({action.via})</span>
              </td>
              <td>{action.action}</td>
              <td>
                {action.runId ? (
                  <a href={`/runs/${action.runId}`}>{action.target}</a>
                ) : (
                  action.target
                )}
              </td>
              <td>{action.outcome}</td>
            </tr>
          ))}
        </Table>
      )}
    </Page>
  );
}
