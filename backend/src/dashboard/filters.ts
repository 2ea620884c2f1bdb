import type { JobStatus, JobTrigger } from "@feed-jobs/db";

/** A query parameter the dashboard cannot use: answered 400 with this message. */
export class BadInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadInput";
  }
}

export const RUN_STATUSES: readonly JobStatus[] = ["RUNNING", "SUCCESS", "FAILED", "CANCELLED"];
export const TRIGGERS: readonly JobTrigger[] = ["CRON", "EVENT", "MANUAL"];

export interface RunFilter {
  job?: string;
  status?: JobStatus;
  trigger?: JobTrigger;
  since?: Date;
  until?: Date;
}

/** The filter as typed in the form, kept to fill the form again. */
export type RunFilterInput = Partial<Record<keyof RunFilter, string>>;

/** One of `allowed`, or undefined when blank. */
export function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (!value) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new BadInput(`${name}: "${value}" is not one of ${allowed.join(", ")}.`);
}

/** "2026-12-01" or "2026-12-01T03:00" (a datetime-local field), read as UTC. */
function utcTime(name: string, value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const match = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.exec(value);
  const at = match ? new Date(`${value}${match[1] ? "" : "T00:00"}Z`) : null;
  // Date rolls 2026-02-30 over to March: refuse a date that does not come back unchanged.
  if (!at || Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== value.slice(0, 10)) {
    throw new BadInput(
      `${name}: "${value}" is not a date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC).`,
    );
  }
  return at;
}

/** The runs page's filter from its query parameters. */
export function runFilter(input: RunFilterInput): RunFilter {
  const filter: RunFilter = {
    job: input.job || undefined,
    status: oneOf("status", input.status, RUN_STATUSES),
    trigger: oneOf("trigger", input.trigger, TRIGGERS),
    since: utcTime("since", input.since),
    until: utcTime("until", input.until),
  };
  if (filter.since && filter.until && filter.since >= filter.until) {
    throw new BadInput(`since (${input.since}) must be before until (${input.until}).`);
  }
  return filter;
}
