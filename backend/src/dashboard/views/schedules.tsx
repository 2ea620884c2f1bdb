/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Database } from "@feed-jobs/db";
import { declaredSchedules } from "../../cli/commands/schedule.ts";
import type { AnyJob } from "../../jobs/catalog.ts";
import { pausedJobs } from "../../scheduler/controls.ts";
import { utc } from "../format.ts";
import { lastTicks } from "../queries.ts";
import { Status, Table, type Viewer, When } from "./components.tsx";
import { Page } from "./layout.tsx";

const NEXT_FIRES = 3;
const LAST_TICKS = 5;

/** Schedules: what fires when, and whether the last ticks were claimed and finished. */
export async function schedulesPage(db: Database, jobs: readonly AnyJob[], viewer: Viewer) {
  const paused = new Set((await pausedJobs(db)).map((pause) => pause.jobName));
  const rows = [];
  for (const schedule of declaredSchedules(jobs, NEXT_FIRES)) {
    rows.push({
      ...schedule,
      ticks: await lastTicks(db, `${schedule.job}/${schedule.label}`, LAST_TICKS),
    });
  }
  return (
    <Page title="Schedules" path="/schedules" viewer={viewer}>
      <p class="muted">
        Times in UTC. A tick is claimed by one scheduler (its owner shown) and completed when its
        run ended; a paused job's ticks are claimed and skipped.
      </p>
      <Table
        head={["job", "schedule", "cron", "options", "next fire times", "last ticks (claimed by)"]}
      >
        {rows.map((row) => (
          <tr>
            <td>
              {row.job} {paused.has(row.job) ? <Status status="PAUSED" /> : null}
            </td>
            <td>{row.label}</td>
            <td>
              <code>{row.cron}</code> <span class="muted">{row.timezone}</span>
            </td>
            <td>
              <code>{JSON.stringify(row.options)}</code>
            </td>
            <td>
              <ul class="plain">
                {row.nextRuns.map((at) => (
                  <li>
                    <When at={at} now={viewer.now} />
                  </li>
                ))}
              </ul>
            </td>
            <td>
              {row.ticks.length === 0 ? (
                <span class="muted">none claimed</span>
              ) : (
                <ul class="plain">
                  {row.ticks.map((tick) => (
                    <li>
                      {utc(tick.slot)}{" "}
                      <span class="muted">
                        ({tick.claimedBy}
                        {tick.completedAt ? "" : ", not completed"})
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </Page>
  );
}
