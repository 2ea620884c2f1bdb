/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import type { Operator } from "../auth.ts";
import { relative, utc } from "../format.ts";

/** What a page knows about the viewer: whether actions exist at all, and who is logged in. */
export interface Viewer {
  adminEnabled: boolean;
  operator: Operator | null;
  now: Date;
}

/** A status word with its colour (RUNNING, SUCCESS, FAILED, …, PAUSED). */
export function Status({ status }: { status: string }) {
  return <span class={`status status-${status.toLowerCase()}`}>{status}</span>;
}

/** A UTC time, with how long ago (or until) it is. */
export function When({ at, now }: { at: Date | null; now: Date }) {
  if (!at) return <span class="muted">–</span>;
  return (
    <time datetime={at.toISOString()} title={`${utc(at)} UTC`}>
      {utc(at)} <span class="muted">({relative(at, now)})</span>
    </time>
  );
}

/** A table that scrolls sideways on a narrow screen instead of squeezing its columns. */
export function Table({ head, children }: { head: string[]; children: Child }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            {head.map((h) => (
              <th>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** Pretty JSON as escaped text. */
export function Json({ value }: { value: unknown }) {
  return <pre class="json">{JSON.stringify(value, null, 2)}</pre>;
}

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** CSS colour. */
  color: string;
}

/** A uPlot chart drawn by dashboard.js from this element's data (times in Unix seconds). */
export function Chart(props: {
  title?: string;
  x: number[];
  series: ChartSeries[];
  unit: string;
  small?: boolean;
}) {
  const spec = { title: props.title, x: props.x, series: props.series, unit: props.unit };
  return (
    <div
      class={props.small ? "chart chart-small" : "chart"}
      data-chart={JSON.stringify(spec)}
      data-small={props.small ? "1" : undefined}
    />
  );
}

/**
 * A button that POSTs to `action`, shown only to a logged-in operator. `confirm` asks first
 * (dashboard.js); `fields` are extra form inputs (e.g. a pause reason).
 */
export function ActionButton(props: {
  viewer: Viewer;
  action: string;
  label: string;
  confirm?: string;
  fields?: Child;
}) {
  if (!props.viewer.operator) return null;
  return (
    <form method="post" action={props.action} class="action" data-confirm={props.confirm}>
      {props.fields}
      <button type="submit">{props.label}</button>
    </form>
  );
}
