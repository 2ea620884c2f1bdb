import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { enqueue } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, openTestQueue, startTestScheduler } from "./support/in-process.ts";
import { eventJob, overBudgetJob, tickJob } from "./support/test-jobs.ts";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

/** A Slack-compatible webhook on 127.0.0.1 that keeps what it receives. */
async function webhookReceiver() {
  const received: { text: string }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push(JSON.parse(body));
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/alerts`, received, close: () => server.close() };
}

describe(`scheduler HTTP endpoints and alerts (${testDatabaseKind()})`, () => {
  it("serves /healthz and Prometheus metrics of runs, items, queue depth and last success", async () => {
    // Queued for a job this scheduler does not work on: it stays queued.
    const queue = await openTestQueue(db, [eventJob]);
    await enqueue(queue, eventJob, { postId: "queued" }, { now: new Date() });
    await queue.stop({ close: false });
    const scheduler = await startTestScheduler(db, [tickJob]);
    try {
      await eventually(async () =>
        (await db.prisma.jobRun.count({ where: { status: "SUCCESS" } })) > 0 ? true : undefined,
      );
      const health = await fetch(`http://127.0.0.1:${scheduler.port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        status: "running",
        database: "ok",
        owner: scheduler.owner,
      });
      const metrics = await (await fetch(`http://127.0.0.1:${scheduler.port}/metrics`)).text();
      expect(metrics).toMatch(
        /feed_jobs_runs_total\{job="tick-job",trigger="CRON",status="SUCCESS"\} [1-9]/,
      );
      expect(metrics).toMatch(
        /feed_jobs_run_duration_seconds_count\{job="tick-job",trigger="CRON"\} [1-9]/,
      );
      expect(metrics).toMatch(/feed_jobs_items_processed_total\{job="tick-job"\} [1-9]/);
      // The request queued above, and ticks not yet taken.
      expect(metrics).toMatch(/^feed_jobs_request_queue_depth [1-9]\d*$/m);
      expect(metrics).toMatch(/feed_jobs_last_success_timestamp_seconds\{job="tick-job"\} \d{10}/);
      expect(metrics).not.toContain('feed_jobs_last_success_timestamp_seconds{job="event-job"}');
      expect((await fetch(`http://127.0.0.1:${scheduler.port}/nothing`)).status).toBe(404);
    } finally {
      await scheduler.stop(5_000);
    }
  });

  it("keeps scheduling without HTTP when its port is in use, and says so", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as AddressInfo;
    const scheduler = await startTestScheduler(db, [tickJob], { port });
    try {
      expect(scheduler.port).toBeNull();
      expect(scheduler.lines).toContainEqual(
        expect.stringMatching(
          new RegExp(`^warning: port ${port} on 127.0.0.1 is in use .*does not serve /healthz`),
        ),
      );
      const before = await db.prisma.jobRun.count({ where: { jobName: "tick-job" } });
      await eventually(async () =>
        (await db.prisma.jobRun.count({ where: { jobName: "tick-job" } })) > before
          ? true
          : undefined,
      );
    } finally {
      await scheduler.stop(5_000);
      taken.close();
    }
  });

  it("posts an alert to the webhook when a run exceeds its SLA, once while it keeps firing", async () => {
    const webhook = await webhookReceiver();
    const scheduler = await startTestScheduler(db, [overBudgetJob], {
      alertWebhookUrl: webhook.url,
    });
    try {
      await eventually(async () =>
        (await db.prisma.jobRun.count({ where: { jobName: "over-budget-job" } })) >= 3
          ? true
          : undefined,
      );
      await eventually(async () => (webhook.received.length > 0 ? true : undefined));
    } finally {
      await scheduler.stop(5_000);
      webhook.close();
    }
    expect(webhook.received).toHaveLength(1);
    expect(webhook.received[0]?.text).toMatch(
      /^\[firing\] Job over-budget-job \(CRON\) took \d+ms \(SLA: 1ms\)$/,
    );
    expect(scheduler.lines.filter((line) => line.startsWith("ALERT [firing]"))).toHaveLength(1);
  });
});
