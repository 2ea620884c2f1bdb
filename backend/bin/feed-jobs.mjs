#!/usr/bin/env node
// The job CLI in one process: `node backend/bin/feed-jobs.mjs <command>` (the package's
// `feed-jobs` bin). tsx's loader is registered in this process instead of wrapping it in a
// tsx parent, so SIGTERM and SIGINT reach the scheduler itself and no parent kills it while it
// stops gracefully: the way to run the scheduler under a service manager (README "Scheduler").
import { register } from "tsx/esm/api";

register();
await import("../scripts/runJob.ts");
