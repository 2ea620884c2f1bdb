import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { watchProcessTree } from "../../src/bench/processes.ts";
import { shardFigures } from "../../src/bench/scaling.ts";

const at = (second: number) => new Date(Date.UTC(2026, 10, 1, 12, 0, second)).toISOString();

describe("shardFigures", () => {
  it("says where a sharded run's time went", () => {
    // Two workers: pid 1 runs shards 0 and 2, pid 2 runs 1 and 3 (shard 3 on its second attempt).
    const shards = [
      {
        index: 0,
        host: "h",
        pid: 1,
        attempts: 1,
        startedAt: at(2),
        durationMs: 4000,
        rowsWritten: 400,
      },
      {
        index: 1,
        host: "h",
        pid: 2,
        attempts: 1,
        startedAt: at(3),
        durationMs: 2000,
        rowsWritten: 200,
      },
      {
        index: 2,
        host: "h",
        pid: 1,
        attempts: 1,
        startedAt: at(7),
        durationMs: 2000,
        rowsWritten: 200,
      },
      {
        index: 3,
        host: "h",
        pid: 2,
        attempts: 2,
        startedAt: at(6),
        durationMs: 4000,
        rowsWritten: 400,
      },
      // Withdrawn before it started: counted, not timed.
      { index: 4, host: null, pid: null, attempts: 0, startedAt: null, durationMs: null },
    ];
    const figures = shardFigures(shards, new Date(at(0)), 12_000);
    expect(figures).toEqual({
      count: 5,
      meanMs: 3000,
      maxMs: 4000,
      retries: 1,
      rowsPerShardSecond: 100,
      firstShardAfterMs: 2000,
      finishAfterLastShardMs: 2000,
      meanGapMs: 1000,
    });
  });
});

describe("watchProcessTree", () => {
  it("sees the peak memory and CPU of a process's children", async () => {
    // The child says when its work is done and lingers: one sample then must see it all, however
    // late the timer's samples come on a busy machine.
    const script =
      'const a = Buffer.alloc(200 * 1024 * 1024, 1); let x = 0; for (let i = 0; i < 5e7; i++) x += i; console.log("ready", process.pid, a.length); setTimeout(() => {}, 2000);';
    const parent = spawn("bash", [
      "-c",
      `${JSON.stringify(process.execPath)} -e '${script}'; true`,
    ]);
    const watch = watchProcessTree(parent.pid as number, 50);
    const exited = new Promise((done) => parent.on("exit", done));
    // The child names itself: found by its pid, not by its command line.
    const childPid = await new Promise<number>((ready) =>
      parent.stdout.on("data", (chunk: Buffer) => {
        const said = /ready (\d+)/.exec(chunk.toString());
        if (said) ready(Number(said[1]));
      }),
    );
    // Sampled until the child is seen at its peak (it lingers 2 s): a sample on a busy machine
    // may still catch it just after its exec, before it allocated.
    const nodeChild = () => watch.sample().find((p) => p.pid === childPid);
    while ((nodeChild()?.peakRssMb ?? 0) <= 200 && parent.exitCode === null) await sleep(20);
    await exited;
    const seen = watch.stop();
    const child = seen.find((p) => p.pid === childPid);
    expect(child?.peakRssMb, JSON.stringify(seen)).toBeGreaterThan(200);
    expect(child?.cpuSeconds).toBeGreaterThan(0.05);
    expect(seen.find((p) => p.pid === parent.pid)?.peakRssMb).toBeLessThan(100);
  });
});
