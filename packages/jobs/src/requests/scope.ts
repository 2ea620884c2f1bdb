import type { JobDefinition, JobOptionName, JobOptions } from "../definition.ts";

/** What an event request runs: a job's scope options, e.g. one post or one user. */
export type RequestScope = Partial<Pick<JobOptions, JobOptionName>>;

/** The job an event asks for: its name, and the scope options it accepts. */
export type RequestedJob = Pick<JobDefinition, "name" | "accepts">;

/** Canonical text of a scope (keys sorted, unset keys dropped): equal scopes, equal keys. */
export function scopeKey(scope: RequestScope): string {
  const entries = Object.entries(scope)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

/** Throws when `scope` names an option the job does not accept. */
export function assertScopeAccepted(job: RequestedJob, scope: RequestScope): void {
  const accepted = new Set<string>(job.accepts);
  const refused = Object.keys(scope).filter((key) => !accepted.has(key));
  if (refused.length > 0) {
    throw new TypeError(
      `${job.name} does not accept ${refused.join(", ")} (it accepts: ${job.accepts.join(", ") || "nothing"})`,
    );
  }
}
