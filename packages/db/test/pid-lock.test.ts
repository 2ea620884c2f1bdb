import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DatabaseInUse, lockDataDir } from "../src/pid-lock.ts";

// node itself with tsx's loader, as in the jobs package's overlap test.
const tsxLoader = new URL("../../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
const racer = fileURLToPath(new URL("./support/lock-race.ts", import.meta.url));

const freshDir = () => mkdtempSync(join(tmpdir(), "feed-jobs-pid-lock-"));
const lockFile = (dir: string) => join(dir, "feed-jobs.pid");

/** The pid of a process that has exited. */
function deadPid(): number {
  const done = spawnSync(process.execPath, ["-e", ""]);
  if (done.pid === undefined) throw new Error("could not start a process");
  return done.pid;
}

/** A racer: `ready` once it is loaded and waiting for the start signal, then its tally. */
function race(dir: string, rounds: number, abandonEvery: number, dead: number) {
  const proc = spawn(process.execPath, [
    "--import",
    tsxLoader,
    racer,
    dir,
    String(rounds),
    String(abandonEvery),
    String(dead),
  ]);
  let out = "";
  let err = "";
  proc.stdout.on("data", (chunk) => {
    out += chunk;
  });
  proc.stderr.on("data", (chunk) => {
    err += chunk;
  });
  const ready = new Promise<void>((resolve) => {
    proc.stdout.on("data", () => out.startsWith("ready\n") && resolve());
  });
  const tally = new Promise<{ held: number; refused: number; overlaps: number }>(
    (resolve, reject) => {
      proc.on("exit", (code) =>
        code === 0
          ? resolve(JSON.parse(out.slice("ready\n".length)))
          : reject(new Error(`racer exited ${code}: ${err}`)),
      );
    },
  );
  return { ready: Promise.race([ready, tally]), tally };
}

describe("the embedded database's pid lock", () => {
  it("is held by one process at a time when several race for it, stale locks included", async () => {
    const dir = freshDir();
    const racers = 5;
    const rounds = 40;
    const started = Array.from({ length: racers }, () => race(dir, rounds, 7, deadPid()));
    await Promise.all(started.map((r) => r.ready));
    writeFileSync(join(dir, "go"), "");
    const done = await Promise.all(started.map((r) => r.tally));
    expect(done.map((r) => r.overlaps)).toEqual(Array(racers).fill(0));
    expect(done.map((r) => r.held)).toEqual(Array(racers).fill(rounds));
    expect(done.some((r) => r.refused > 0)).toBe(true);
  }, 180_000);

  it("refuses a folder held by a live process, naming it", async () => {
    const dir = freshDir();
    writeFileSync(lockFile(dir), String(process.ppid));
    const refused = await lockDataDir(dir).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DatabaseInUse);
    expect((refused as DatabaseInUse).holder).toBe(process.ppid);
    expect(String(refused)).toContain(`in use by process ${process.ppid}`);
  });

  it("refuses a second lock of the same folder in the same process", async () => {
    const dir = freshDir();
    const release = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DatabaseInUse);
    release();
    (await lockDataDir(dir))();
  });

  it("takes over a lock left by a dead process, and removes only its own on release", async () => {
    const dir = freshDir();
    writeFileSync(lockFile(dir), String(deadPid()));
    const release = await lockDataDir(dir);
    expect(readFileSync(lockFile(dir), "utf8")).toBe(String(process.pid));
    release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("treats an empty lock file as being written until its grace period passes", async () => {
    const dir = freshDir();
    writeFileSync(lockFile(dir), "");
    const startedAt = Date.now();
    const attempt = lockDataDir(dir, { graceMs: 1_000 }).catch((error: unknown) => error);
    // The writer finishes within the grace period: the lock is theirs.
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeFileSync(lockFile(dir), String(process.ppid));
    expect(await attempt).toBeInstanceOf(DatabaseInUse);

    writeFileSync(lockFile(dir), "");
    const release = await lockDataDir(dir, { graceMs: 1_000 });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_000);
    release();
  });
});
