/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Database } from "@feed-jobs/db";
import {
  listRequests,
  type QueuedRequest,
  type RequestState,
  requestCounts,
  scopeKey,
} from "@feed-jobs/jobs";
import { ActionButton, Table, type Viewer, When } from "./components.tsx";
import { Page } from "./layout.tsx";

/** How many requests each section lists. */
const LIMIT = 50;

/** The queue's sections, in the operator's words: dead requests gave up after their last attempt. */
const SECTIONS: readonly { state: RequestState; title: string; hint: string }[] = [
  { state: "failed", title: "Dead", hint: "failed every attempt; retry queues them again" },
  { state: "retry", title: "Failed, retrying", hint: "failed; tried again at 'run after'" },
  { state: "active", title: "Running", hint: "taken by a worker" },
  { state: "created", title: "Pending", hint: "waiting for a worker" },
];

/** Queue: what waits, what runs, what failed and why, how many attempts each had. */
export async function queuePage(db: Database, viewer: Viewer, job: string | undefined) {
  const counts = await requestCounts(db);
  const sections = [];
  for (const section of SECTIONS) {
    sections.push({
      ...section,
      rows: await listRequests(db, { state: section.state, job, limit: LIMIT }),
    });
  }
  return (
    <Page title="Queue" path="/queue" viewer={viewer}>
      <p>
        {SECTIONS.map((s) => `${s.title}: ${counts[s.state]}`).join(" · ")} · Done:{" "}
        {counts.completed} · Cancelled: {counts.cancelled}
        {job ? <span class="muted"> (lists: {job} only)</span> : null}
      </p>
      {sections.map((section) => (
        <section id={`queue-${section.state}`}>
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

function Requests({ rows, viewer }: { rows: QueuedRequest[]; viewer: Viewer }) {
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
          <td>{request.job}</td>
          <td>
            <code>{scopeKey(request.message.options)}</code>
          </td>
          <td>{(request.message.reason ?? "").slice(0, 120)}</td>
          <td>
            {request.attempts}/{request.maxAttempts}
          </td>
          <td>
            <When at={request.createdAt} now={viewer.now} />
          </td>
          <td>
            {request.state === "created" || request.state === "retry" ? (
              <When at={request.startAfter} now={viewer.now} />
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
            {request.state === "failed" ? (
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
