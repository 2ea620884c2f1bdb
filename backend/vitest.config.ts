import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each test file opens its own database (PGlite from a shared migrated template, or a new
    // PostgreSQL database). On a busy machine that is only waiting for the CPU: generous limits.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    // A worker process runs many test files, importing the code once (Prisma's generated client
    // alone took ~1 s per file); each file still opens its own database, and what it sets in
    // process.env is undone after it (support/restore-env.ts).
    isolate: false,
    setupFiles: ["test/support/restore-env.ts"],
    // Vitest's default is one worker fewer than the cores: on a 2-core machine the database
    // tests (CPU-bound) would run one file at a time with a core idle.
    maxWorkers: 2,
  },
});
