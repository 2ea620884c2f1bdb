/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Database } from "@feed-jobs/db";
import type { HttpBindings } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { AnyJob } from "../jobs/catalog.ts";
import { type ActionDeps, performAction } from "./actions.ts";
import { serveAssets } from "./assets.ts";
import type { ActionName } from "./audit.ts";
import { createAuth, crossSiteRefusal } from "./auth.ts";
import { BadInput, type RunFilterInput, runFilter } from "./filters.ts";
import type { StartRun } from "./launch.ts";
import { findRun } from "./queries.ts";
import type { Viewer } from "./views/components.tsx";
import { Problem } from "./views/layout.tsx";
import { loginPage } from "./views/login.tsx";
import { overviewPage } from "./views/overview.tsx";
import { queuePage } from "./views/queue.tsx";
import { progressOf, runPage } from "./views/run.tsx";
import { runsPage } from "./views/runs.tsx";
import { schedulesPage } from "./views/schedules.tsx";
import { trendsPage } from "./views/trends.tsx";

export interface DashboardOptions {
  db: Database;
  /** The jobs shown and run (the catalog). */
  jobs: readonly AnyJob[];
  /** FEED_JOBS_ADMIN_TOKEN; unset or empty: read-only. */
  adminToken: string | undefined;
  /** How "run now" starts a run in this process. */
  startRun: StartRun;
  log(line: string): void;
  /** Default: () => new Date(). */
  clock?: () => Date;
}

/** In the Node server the socket is known (for the audit trail); in app.request() it is not. */
export type Dashboard = Hono<Env>;

type Env = { Bindings: Partial<HttpBindings>; Variables: { viewer: Viewer } };

/**
 * The operator's dashboard as a Hono app: pages (GET) and actions (POST, admin token only,
 * same-origin only). Every page escapes what it shows (JSX), and scripts come from /assets only.
 */
export function createDashboard(options: DashboardOptions): Dashboard {
  const { db, jobs } = options;
  const clock = options.clock ?? (() => new Date());
  const auth = createAuth(options.adminToken || undefined, clock);
  const app = new Hono<Env>();

  app.use(async (c, next) => {
    securityHeaders(c);
    const operator = auth.operatorOf(c);
    c.set("viewer", { adminEnabled: auth.enabled, operator, now: clock() });
    if (c.req.method === "POST") {
      const refusal = crossSiteRefusal(c, operator);
      if (refusal) return problem(c, 403, "Cross-site request refused", refusal);
    }
    await next();
  });
  app.onError((error, c) => {
    if (error instanceof BadInput) return problem(c, 400, "Bad request", error.message);
    options.log(`dashboard: ${c.req.method} ${c.req.path} failed: ${error.stack ?? error.message}`);
    return problem(c, 500, "Something went wrong", error.message);
  });
  app.notFound((c) => problem(c, 404, "Not found", `Nothing at ${c.req.path}.`));

  serveAssets(app);

  app.get("/", async (c) => c.html(await overviewPage(db, jobs, c.var.viewer)));
  app.get("/runs", async (c) => {
    const input = c.req.query() as RunFilterInput;
    return c.html(await runsPage(db, jobs, c.var.viewer, runFilter(input), input));
  });
  app.get("/runs/:id", async (c) => {
    const run = await findRun(db, c.req.param("id"));
    if (!run) return problem(c, 404, "Unknown run", `No run ${c.req.param("id")}.`);
    return c.html(await runPage(db, run, c.var.viewer));
  });
  app.get("/runs/:id/progress", async (c) => {
    const run = await findRun(db, c.req.param("id"));
    if (!run) return c.json({ error: `no run ${c.req.param("id")}` }, 404);
    return c.json(progressOf(run, clock()));
  });
  app.get("/queue", async (c) =>
    c.html(await queuePage(db, c.var.viewer, c.req.query("job") || undefined)),
  );
  app.get("/schedules", async (c) => c.html(await schedulesPage(db, jobs, c.var.viewer)));
  app.get("/trends", async (c) => c.html(await trendsPage(db, jobs, c.var.viewer)));

  app.get("/login", (c) => c.html(loginPage(c.var.viewer)));
  app.post("/login", async (c) => {
    if (!auth.enabled) return problem(c, 403, "Read-only", READ_ONLY);
    const form = await c.req.parseBody();
    if (!auth.logIn(c, String(form.name ?? ""), String(form.token ?? ""))) {
      return c.html(loginPage(c.var.viewer, "Wrong token, or no name given."), 401);
    }
    return c.redirect("/", 303);
  });
  app.post("/logout", (c) => {
    auth.logOut(c);
    return c.redirect("/", 303);
  });

  const actions: ActionDeps = { db, jobs, clock, startRun: options.startRun, log: options.log };
  const operatorOnly = createMiddleware<Env>(async (c, next) => {
    if (!auth.enabled) return problem(c, 403, "Read-only", READ_ONLY);
    if (!c.var.viewer.operator) return problem(c, 401, "Log in first", LOG_IN);
    await next();
  });
  const act = (action: ActionName, param: string) => async (c: Context<Env>) => {
    const form = await c.req.parseBody();
    const reason =
      typeof form.reason === "string" && form.reason.trim() ? form.reason.trim() : null;
    const outcome = await performAction(actions, {
      action,
      target: c.req.param(param) ?? "",
      detail: reason ? { reason } : null,
      operator: c.var.viewer.operator as NonNullable<Viewer["operator"]>,
      address: c.env?.incoming?.socket?.remoteAddress ?? null,
    });
    if (!outcome.ok) return problem(c, outcome.status, `${action} refused`, outcome.message);
    return c.redirect(outcome.location, 303);
  };
  app.post("/jobs/:job/pause", operatorOnly, act("pause", "job"));
  app.post("/jobs/:job/resume", operatorOnly, act("resume", "job"));
  app.post("/jobs/:job/run", operatorOnly, act("run", "job"));
  app.post("/runs/:id/cancel", operatorOnly, act("cancel", "id"));
  app.post("/requests/:id/retry", operatorOnly, act("retry", "id"));
  return app;
}

const READ_ONLY =
  "The dashboard is read-only: set FEED_JOBS_ADMIN_TOKEN where it runs to allow actions.";
const LOG_IN =
  "Actions need the admin token: log in (the form sets a session cookie), or send it in an Authorization: Bearer header.";

function problem(
  c: Context<Env>,
  status: 400 | 401 | 403 | 404 | 409 | 500,
  title: string,
  message: string,
) {
  // Before the viewer is known (an error while reading the session), show no session.
  const viewer = c.get("viewer") ?? { adminEnabled: false, operator: null, now: new Date() };
  return c.html(<Problem title={title} message={message} viewer={viewer} />, status);
}

/** Only this site's scripts and styles run; the pages are never framed. */
function securityHeaders(c: Context): void {
  c.header(
    "Content-Security-Policy",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  );
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "same-origin");
}
