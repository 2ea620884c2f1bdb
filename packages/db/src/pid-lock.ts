import { randomUUID } from "node:crypto";
import { linkSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The embedded database folder is held by another live process (or already by this one). */
export class DatabaseInUse extends Error {
  constructor(
    readonly dir: string,
    readonly holder: number,
  ) {
    super(
      `The embedded database in ${dir} is in use by process ${holder}${holder === process.pid ? " (this process)" : ""}. ` +
        "Stop that process (for example the scheduler), or use PostgreSQL by setting DATABASE_URL.",
    );
    this.name = "DatabaseInUse";
  }
}

export interface LockOptions {
  /**
   * How long a lock file without a pid counts as being written (by an older version that
   * created the file first and wrote its pid after) before it is taken as abandoned.
   */
  graceMs?: number;
}

const DEFAULT_GRACE_MS = 2_000;
/** A takeover lasts microseconds; its guard is only this old when its process died inside it. */
const GUARD_EXPIRY_MS = 10_000;
const POLL_MS = 25;

/** Folders this process holds: a second open in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * Claims `dir` for this process with a pid file: PGlite must never be opened by two processes
 * at once (it would corrupt the folder). The file appears with the pid already in it (written
 * to a private file, then hard-linked into place, which fails if the lock exists), so no one
 * ever reads a half-written lock. A lock whose process is dead is taken over under a guard
 * (a hard link of that very lock file), so two processes never both remove it.
 */
export async function lockDataDir(dir: string, options: LockOptions = {}): Promise<() => void> {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const key = resolve(dir);
  const path = join(dir, "feed-jobs.pid");
  const mine = join(dir, `feed-jobs.pid.${process.pid}.${randomUUID()}.tmp`);
  writeFileSync(mine, String(process.pid));
  try {
    for (;;) {
      if (heldHere.has(key)) throw new DatabaseInUse(dir, process.pid);
      if (tryLink(mine, path)) {
        heldHere.add(key);
        return () => release(key, path);
      }
      const holder = readHolder(path);
      if (!holder) continue;
      if (holder.pid !== undefined && holder.pid !== process.pid && isProcessAlive(holder.pid)) {
        throw new DatabaseInUse(dir, holder.pid);
      }
      if (holder.pid === undefined && holder.ageMs < graceMs) {
        await sleep(POLL_MS);
        continue;
      }
      if (!removeAbandoned(path, holder.ino, graceMs)) await sleep(POLL_MS);
    }
  } finally {
    rmSync(mine, { force: true });
  }
}

interface Holder {
  /** Undefined while the file holds no whole pid. */
  pid: number | undefined;
  ino: number;
  ageMs: number;
}

/** The lock file's holder, or null when the file is gone. */
function readHolder(path: string): Holder | null {
  try {
    const stat = statSync(path);
    const text = readFileSync(path, "utf8").trim();
    const pid = /^\d+$/.test(text) ? Number(text) : undefined;
    return { pid, ino: stat.ino, ageMs: Date.now() - stat.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** A lock whose pid is this process's (without holding it: a previous life) or dead is abandoned. */
function isAbandoned(holder: Holder, graceMs: number): boolean {
  if (holder.pid === undefined) return holder.ageMs >= graceMs;
  return holder.pid === process.pid || !isProcessAlive(holder.pid);
}

/**
 * Removes the abandoned lock file `ino`, holding the guard: the guard is a hard link of the
 * lock file, so only one process at a time may remove it, and only the very file it judged.
 * False when another process is taking it over (try again shortly).
 */
function removeAbandoned(path: string, ino: number, graceMs: number): boolean {
  const guard = `${path}.takeover`;
  try {
    linkSync(path, guard);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return true;
    if (code !== "EEXIST") throw error;
    clearExpiredGuard(guard);
    return false;
  }
  try {
    const judged = readHolder(guard);
    if (judged && judged.ino === ino && isAbandoned(judged, graceMs)) unlinkSync(path);
    return true;
  } finally {
    rmSync(guard, { force: true });
  }
}

/** A guard left by a process that died in the middle of a takeover. */
function clearExpiredGuard(guard: string): void {
  try {
    if (Date.now() - statSync(guard).ctimeMs > GUARD_EXPIRY_MS) rmSync(guard, { force: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** Removes the lock file only while it is still this process's. */
function release(key: string, path: string): void {
  heldHere.delete(key);
  if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
}

/** Whether process `pid` runs on this host (a signal-0 probe). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
