/**
 * Where runs report progress; the runner calls it, the CLI chooses how it is shown. `start`
 * gives each run a reporter of its own, so runs that overlap (the scheduler) never mix names.
 */
export interface ProgressSink {
  start(jobName: string): ProgressReporter;
}

/** One run's progress. */
export interface ProgressReporter {
  update(state: ProgressState): void;
  log(message: string): void;
  finish(state: ProgressState): void;
}

export interface ProgressState {
  done: number;
  failed: number;
  /** Unknown until the job calls setTotal. */
  total: number | undefined;
  elapsedMs: number;
}

export const silentProgress: ProgressSink = {
  start: () => ({ update: () => undefined, log: () => undefined, finish: () => undefined }),
};

export function itemsPerSecond(state: ProgressState): number {
  return state.elapsedMs > 0 ? (state.done * 1000) / state.elapsedMs : 0;
}

export function describeProgress(state: ProgressState): string {
  const total = state.total === undefined ? "" : `/${state.total}`;
  const pct =
    state.total && state.total > 0 ? ` (${Math.floor((100 * state.done) / state.total)}%)` : "";
  const failed = state.failed > 0 ? `, ${state.failed} failed` : "";
  return `${state.done}${total}${pct} items, ${itemsPerSecond(state).toFixed(1)} items/s${failed}`;
}

/**
 * Plain log lines, for pipes, CI and the scheduler: one every `intervalMs`, and the last.
 */
export function lineProgress(write: (line: string) => void, intervalMs = 5_000): ProgressSink {
  return {
    start(job) {
      let lastAt = 0;
      return {
        update(state) {
          if (state.elapsedMs - lastAt < intervalMs) return;
          lastAt = state.elapsedMs;
          write(`[${job}] ${describeProgress(state)}`);
        },
        log: (message) => write(`[${job}] ${message}`),
        finish: (state) => write(`[${job}] done: ${describeProgress(state)}`),
      };
    },
  };
}
