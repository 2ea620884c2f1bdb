#!/usr/bin/env tsx
// The job CLI: `tsx backend/scripts/runJob.ts <command>`, also `pnpm job <command>`.
import { main } from "../src/cli/program.ts";

process.exitCode = await main(process.argv.slice(2));
