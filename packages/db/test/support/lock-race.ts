// Child process for pid-lock.test.ts: waits for the start signal, then takes the folder's pid
// lock `rounds` times. While it holds the lock it claims a marker file exclusively: a marker
// that already exists means two processes held the lock at once. Every `abandonEvery`-th hold
// is left behind as a dead process would leave it (the lock file naming a dead pid).
import { closeSync, existsSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lockDataDir } from "../../src/pid-lock.ts";

const [dir, roundsArg, abandonEveryArg, deadPidArg] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
const rounds = Number(roundsArg);
const abandonEvery = Number(abandonEveryArg);
const marker = join(dir, "holder");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

process.stdout.write("ready\n");
while (!existsSync(join(dir, "go"))) await sleep(5);
let held = 0;
let refused = 0;
let overlaps = 0;
while (held < rounds) {
  let release: () => void;
  try {
    release = await lockDataDir(dir);
  } catch (error) {
    if (!/in use by process/.test(String(error))) throw error;
    refused += 1;
    await sleep(Math.random() * 2);
    continue;
  }
  held += 1;
  try {
    closeSync(openSync(marker, "wx"));
  } catch {
    overlaps += 1;
  }
  await sleep(Math.random() * 2);
  rmSync(marker, { force: true });
  if (held % abandonEvery === 0) {
    // Atomically, as a crash leaves it: the lock file names a dead process.
    const dead = join(dir, `dead-${process.pid}.tmp`);
    writeFileSync(dead, deadPidArg);
    renameSync(dead, join(dir, "feed-jobs.pid"));
  }
  release();
  await sleep(Math.random() * 2);
}
process.stdout.write(`${JSON.stringify({ held, refused, overlaps })}\n`);
