/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Database, JobRequestStatus } from "@feed-jobs/db";
import { type JobRequest, listRequests, requestCounts } from "@feed-jobs/jobs";
import { ActionButton, Table, type Viewer, When } from "./components.tsx";
import { Page } from "./layout.tsx";

/** How many requests each section lists. */
const LIMIT = 50;

/** The queue's sections, in the operator's words: dead requests gave up after their last attempt. */
const SECTIONS: readonly { status: JobRequestStatus; title: string; hint: string }[] = [
  { status: "FAILED", title: "Dead", hint: "failed every attempt; retry requeues them" },
  { status: "RETRY", title: "Failed, retrying", hint: "failed; tried again at 'run after'" },
  { status: "RUNNING", title: "Running", hint: "claimed by a worker" },
  { status: "PENDING", title: "Pending", hint: "waiting for a worker" },
];

/** Queue: what waits, what runs, what failed and why, how many attempts each had. */
export async function queuePage(db: Database, viewer: Viewer, job: string | undefined) {
  const counts = await requestCounts(db);
  const sections = [];
  for (const section of SECTIONS) {
    sections.push({
      ...section,
      rows: await listRequests(db, { status: section.status, job, limit: LIMIT }),
    });
  }
  return (
    <Page title="Queue" path="/queue" viewer={viewer}>
      <p>
        {SECTIONS.map((s) => `${s.title}: ${counts[s.status]}`).join(" · ")} · Done: {counts.DONE}
        {job ? <span class="muted"> (lists: {job} only)</span> : null}
      </p>
      {sections.map((section) => (
        <section id={`queue-${section.status.toLowerCase()}`}>
          <h2>
            {section.title} <span class="muted">— {section.hint}</span>
          </h2>
          {section.rows.length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <Requests rows={section.rows} viewer={viewer} />
          )}
        </section>
      ))}
    </Page>
  );
}

function Requests({ rows, viewer }: { rows: JobRequest[]; viewer: Viewer }) {
  return (
    <Table
      head={[
        "request",
        "job",
        "scope",
        "reason",
        "attempts",
        "created",
        "run after",
        "run",
        "last error",
        "",
      ]}
    >
      {rows.map((request) => (
        <tr>
          <td>
            <code>{request.id.slice(0, 8)}</code>
          </td>
          <td>{request.jobName}</td>
          <td>
            <code>{request.scopeKey}</code>
          </td>
          <td>{(request.reason ?? "").slice(0, 120)}</td>
          <td>
            {request.attempts}/{request.maxAttempts}
          </td>
          <td>
            <When at={request.createdAt} now={viewer.now} />
          </td>
          <td>
            {request.status === "PENDING" || request.status === "RETRY" ? (
              <When at={request.runAfter} now={viewer.now} />
            ) : (
              "–"
            )}
          </td>
          <td>
            {request.runId ? (
              <a href={`/runs/${request.runId}`}>{request.runId.slice(0, 8)}</a>
            ) : (
              "–"
            )}
          </td>
          <td class="error">{request.lastError ?? ""}</td>
          <td class="actions">
            {request.status === "FAILED" ? (
              <ActionButton
                viewer={viewer}
                action={`/requests/${request.id}/retry`}
                label="Retry"
              />
            ) : null}
          </td>
        </tr>
      ))}
    </Table>
  );
}
