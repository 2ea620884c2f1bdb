import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** What one process of a measured run used, as last seen in /proc (Linux). */
export interface ProcessUsage {
  pid: number;
  /** Its command line, e.g. `node …/feed-jobs.mjs worker --concurrency 1`. */
  command: string[];
  /** VmHWM: its peak resident memory. */
  peakRssMb: number;
  /** User plus system CPU time. */
  cpuSeconds: number;
}

/** Clock ticks per second of /proc's CPU times. */
const TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

interface Stat {
  ppid: number;
  /** utime, stime, cutime, cstime in ticks. */
  times: [number, number, number, number];
}

/** /proc/<pid>/stat's parent and CPU times; undefined once the process is gone. */
function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces: fields count from after it.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const at = (field: number) => Number(fields[field - 3]);
    return { ppid: at(4), times: [at(14), at(15), at(16), at(17)] };
  } catch {
    return undefined;
  }
}

function readPeakRssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

function readCommand(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return [];
  }
}

/** `root` and every process below it, now. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}

/**
 * Samples the memory and CPU of `root` and its descendants every `intervalMs` until stopped.
 * Peak RSS is the kernel's high-water mark, so a sample misses at most the growth of a
 * process's last interval; CPU time likewise.
 */
export function watchProcessTree(root: number, intervalMs = 250) {
  const seen = new Map<number, ProcessUsage>();
  const sample = () => {
    for (const pid of processTree(root)) {
      const stat = readStat(pid);
      const peak = readPeakRssMb(pid);
      if (!stat || peak === undefined) continue;
      const usage = seen.get(pid) ?? { pid, command: [], peakRssMb: 0, cpuSeconds: 0 };
      // Read again each time: a process seen between fork and exec still shows its parent's.
      const command = readCommand(pid);
      if (command.length > 0) usage.command = command;
      usage.peakRssMb = Math.max(usage.peakRssMb, peak);
      usage.cpuSeconds = (stat.times[0] + stat.times[1]) / TICKS;
      seen.set(pid, usage);
    }
    return [...seen.values()];
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    sample,
    stop(): ProcessUsage[] {
      clearInterval(timer);
      return [...seen.values()];
    },
  };
}

/**
 * CPU seconds a server has used so far: the postmaster's own, its exited children's (reaped
 * by it: every backend that closed) and its live children's. The difference over a run is the
 * database's CPU for it (and anything else the server did meanwhile).
 */
export function serverCpuSeconds(postmasterPid: number): number {
  const own = readStat(postmasterPid);
  if (!own) throw new Error(`no postmaster with pid ${postmasterPid} in /proc`);
  let ticks = own.times.reduce((s, t) => s + t, 0);
  for (const pid of processTree(postmasterPid).slice(1)) {
    const stat = readStat(pid);
    if (stat) ticks += stat.times[0] + stat.times[1];
  }
  return ticks / TICKS;
}
