import { fileURLToPath } from "node:url";
import { type Child, startChild } from "../../support/child.ts";

const script = fileURLToPath(new URL("./scheduler-child.ts", import.meta.url));

export type SchedulerChild = Child;

/** One scheduler process (see scheduler-child.ts), on DATABASE_URL or the embedded `dataDir`. */
export function startSchedulerChild(env: NodeJS.ProcessEnv, dataDir?: string): SchedulerChild {
  return startChild(script, dataDir ? [dataDir] : [], env);
}
