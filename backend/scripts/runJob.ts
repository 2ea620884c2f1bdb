#!/usr/bin/env tsx
// The job CLI, loaded by `node backend/bin/feed-jobs.mjs <command>` (also `pnpm job <command>`).
import { main } from "../src/cli/program.ts";

process.exitCode = await main(process.argv.slice(2));
