import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../support/cli.ts";

/**
 * Every way of not reaching the database is reported by its cause, with exit code 4, never as
 * pending migrations and never with the password. (The in-process CLI reads DATABASE_URL.)
 */
const PASSWORD = "s3cret-Pa55";
const saved = {
  url: process.env.DATABASE_URL,
  timeout: process.env.FEED_JOBS_STATEMENT_TIMEOUT_MS,
};
afterEach(() => {
  process.env.DATABASE_URL = saved.url;
  process.env.FEED_JOBS_STATEMENT_TIMEOUT_MS = saved.timeout;
  if (saved.url === undefined) delete process.env.DATABASE_URL;
  if (saved.timeout === undefined) delete process.env.FEED_JOBS_STATEMENT_TIMEOUT_MS;
});

async function runsOn(url: string) {
  process.env.DATABASE_URL = url;
  const result = await cli("runs", "--limit", "1");
  expect(`${result.out}\n${result.err}`).not.toContain(PASSWORD);
  return result;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("the CLI when the database cannot be used", () => {
  it("a closed port: connection refused at host:port, exit 4", async () => {
    const port = await closedPort();
    const { code, err } = await runsOn(`postgres://feed:${PASSWORD}@127.0.0.1:${port}/feed`);
    expect(err).toBe(
      `error: postgres://feed:***@127.0.0.1:${port}/feed: connection refused at 127.0.0.1:${port} (is the server running?)`,
    );
    expect(code).toBe(4);
  });

  it("an unparseable DATABASE_URL: says so without echoing it, exit 4", async () => {
    const { code, err } = await runsOn(`feed:${PASSWORD}@db:5432`);
    expect(err).toMatch(/^error: DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//);
    expect(code).toBe(4);
    const garbled = await runsOn(`:${PASSWORD}`);
    expect(garbled.err).toBe(
      "error: DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database).",
    );
    expect(garbled.code).toBe(4);
  });

  it("an invalid timeout setting: names the variable, exit 2", async () => {
    process.env.FEED_JOBS_STATEMENT_TIMEOUT_MS = "soon";
    const port = await closedPort();
    const { code, err } = await runsOn(`postgres://feed@127.0.0.1:${port}/feed`);
    expect(err).toBe(
      'error: FEED_JOBS_STATEMENT_TIMEOUT_MS="soon" is not a positive whole number.',
    );
    expect(code).toBe(2);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)("an unknown database: names it, exit 4", async () => {
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    url.pathname = "/feedjobs_no_such_database";
    const { code, err } = await runsOn(url.toString());
    expect(err).toMatch(/: database "feedjobs_no_such_database" does not exist$/);
    expect(code).toBe(4);
  });
});

/** A wrong password needs a server that asks for one: a throwaway one of this file's own. */
describe.skipIf(!process.env.TEST_DATABASE_URL)("the CLI with a wrong password", () => {
  const script = fileURLToPath(new URL("../../../scripts/pg-server.sh", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "feed-jobs-auth-"));
  const port = 54411;

  beforeAll(() => {
    execFileSync("bash", [script, "start", dir, String(port)], {
      env: { ...process.env, PG_PASSWORD: PASSWORD },
    });
  }, 60_000);
  afterAll(() => {
    execFileSync("bash", [script, "stop", dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("authentication failed for the user, exit 4", async () => {
    const { code, err } = await runsOn(
      `postgres://postgres:wrong-${PASSWORD}@127.0.0.1:${port}/postgres`,
    );
    expect(err).toBe(
      `error: postgres://postgres:***@127.0.0.1:${port}/postgres: password authentication failed for user "postgres"`,
    );
    expect(code).toBe(4);
  });
});
