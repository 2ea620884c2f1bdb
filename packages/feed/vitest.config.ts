import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each test file opens its own database; PGlite start-up and PostgreSQL round trips are slow-ish.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
