import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

// node itself with tsx's loader (not the tsx wrapper), so signals reach the process under test.
const tsxLoader = new URL("../../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

/** The CLI's entry point, for tests that run `pnpm job …` as a process of its own. */
export const cliScript = fileURLToPath(new URL("../../scripts/runJob.ts", import.meta.url));

export interface Child {
  proc: ChildProcessWithoutNullStreams;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
  /**
   * Resolves once the output contains `text`; rejects with the output so far if the child exits
   * first or, when given, after `timeoutMs` (a child stuck at startup then shows why).
   */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** The exit code (null when killed by a signal) and when the child exited. */
  exited: Promise<{ code: number | null; at: number }>;
}

/** Runs the TypeScript file `script` with `args` in a child process. */
export function startChild(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Child {
  return watchChild(spawn(process.execPath, ["--import", tsxLoader, script, ...args], { env }));
}

/** Collects what `proc` writes, and tells when it shows a text and when it exits. */
export function watchChild(proc: ChildProcessWithoutNullStreams): Child {
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
    waitFor: (text, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const timer =
          timeoutMs === undefined
            ? undefined
            : setTimeout(
                () => reject(new Error(`no "${text}" within ${timeoutMs} ms:\n${output}`)),
                timeoutMs,
              );
        const check = () => {
          if (output.includes(text)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        listeners.add(check);
        check();
        void exited.then(({ code }) => {
          clearTimeout(timer);
          reject(new Error(`child exited ${code} before "${text}":\n${output}`));
        });
      }),
  };
}
