/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Database } from "@feed-jobs/db";
import { listRuns } from "../../cli/commands/runs.ts";
import type { AnyJob } from "../../jobs/catalog.ts";
import { RUN_STATUSES, type RunFilter, type RunFilterInput, TRIGGERS } from "../filters.ts";
import { duration } from "../format.ts";
import { Status, Table, type Viewer, When } from "./components.tsx";
import { Page } from "./layout.tsx";

/** How many runs one page lists. */
const LIMIT = 100;

/** Runs: what ran, when, how it ended; filtered by job, status, trigger and start time. */
export async function runsPage(
  db: Database,
  jobs: readonly AnyJob[],
  viewer: Viewer,
  filter: RunFilter,
  input: RunFilterInput,
) {
  const runs = await listRuns(db, { ...filter, limit: LIMIT });
  return (
    <Page title="Runs" path="/runs" viewer={viewer}>
      <form method="get" action="/runs" class="filters">
        <Select name="job" value={input.job} options={jobs.map((job) => job.name)} />
        <Select name="status" value={input.status} options={RUN_STATUSES} />
        <Select name="trigger" value={input.trigger} options={TRIGGERS} />
        <label>
          since (UTC) <input type="datetime-local" name="since" value={input.since ?? ""} />
        </label>
        <label>
          until (UTC) <input type="datetime-local" name="until" value={input.until ?? ""} />
        </label>
        <button type="submit">Filter</button>
      </form>
      {runs.length === 0 ? (
        <p class="muted">No runs match.</p>
      ) : (
        <Table
          head={["run", "job", "status", "trigger", "started", "took", "items", "failed", "error"]}
        >
          {runs.map((run) => (
            <tr>
              <td>
                <a href={`/runs/${run.id}`}>
                  <code>{run.id.slice(0, 8)}</code>
                </a>
              </td>
              <td>{run.jobName}</td>
              <td>
                <Status status={run.abandoned ? "ABANDONED" : run.status} />
              </td>
              <td>{run.trigger}</td>
              <td>
                <When at={run.startedAt} now={viewer.now} />
              </td>
              <td>{run.duration === null ? "–" : duration(run.duration)}</td>
              <td>{run.itemsProcessed ?? "–"}</td>
              <td>{run.itemsFailed ?? "–"}</td>
              <td class="error">{(run.abandoned ?? run.error ?? "").slice(0, 120)}</td>
            </tr>
          ))}
        </Table>
      )}
      {runs.length === LIMIT ? (
        <p class="muted">The newest {LIMIT} shown; narrow the filter.</p>
      ) : null}
    </Page>
  );
}

function Select(props: { name: string; value: string | undefined; options: readonly string[] }) {
  return (
    <label>
      {props.name}{" "}
      <select name={props.name}>
        <option value="">any</option>
        {props.options.map((option) => (
          <option value={option} selected={option === props.value}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}
