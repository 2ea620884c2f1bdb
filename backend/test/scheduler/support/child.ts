import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

// node itself with tsx's loader (not the tsx wrapper), so signals reach the scheduler process.
const tsxLoader = new URL("../../../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
const script = fileURLToPath(new URL("./scheduler-child.ts", import.meta.url));

export interface SchedulerChild {
  proc: ChildProcessWithoutNullStreams;
  output(): string;
  /** Resolves once the output contains `text` (rejects if the child exits first). */
  waitFor(text: string): Promise<void>;
  /** The exit code and when the child exited. */
  exited: Promise<{ code: number | null; at: number }>;
}

export function startSchedulerChild(env: NodeJS.ProcessEnv, dataDir?: string): SchedulerChild {
  const proc = spawn(
    process.execPath,
    ["--import", tsxLoader, script, ...(dataDir ? [dataDir] : [])],
    { env },
  );
  let output = "";
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  proc.stdout.on("data", collect);
  proc.stderr.on("data", collect);
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    proc.on("exit", (code) => resolve({ code, at: Date.now() })),
  );
  return {
    proc,
    output: () => output,
    exited,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (output.includes(text)) {
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        check();
        void exited.then(({ code }) =>
          reject(new Error(`child exited ${code} before "${text}":\n${output}`)),
        );
      }),
  };
}
