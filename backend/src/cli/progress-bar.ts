import {
  describeProgress,
  lineProgress,
  type ProgressReporter,
  type ProgressSink,
} from "@feed-jobs/jobs";
import cliProgress from "cli-progress";
import type { CliIO } from "./io.ts";

/** A live bar with done/total and items/s on a terminal; plain log lines otherwise. */
export function progressFor(io: CliIO): ProgressSink {
  if (!io.isTTY) return lineProgress((line) => io.err(line));
  return { start: (job) => barFor(job, io) };
}

function barFor(job: string, io: CliIO): ProgressReporter {
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(state) {
      if (state.total === undefined) return;
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            format: `${job} [{bar}] {value}/{total} {percentage}% | {rate} items/s | {failed} failed | eta {eta_formatted}`,
            stream: process.stderr,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(state.total, 0, { rate: "0.0", failed: 0 });
      }
      bar.setTotal(state.total);
      const rate = state.elapsedMs > 0 ? (state.done * 1000) / state.elapsedMs : 0;
      bar.update(state.done, { rate: rate.toFixed(1), failed: state.failed });
    },
    log(message) {
      if (bar) bar.stop();
      bar = undefined;
      io.err(`[${job}] ${message}`);
    },
    finish(state) {
      bar?.stop();
      bar = undefined;
      io.err(`[${job}] done: ${describeProgress(state)}`);
    },
  };
}
