import { afterAll } from "vitest";

// Test files share their worker process (isolate: false in vitest.config.ts): what one file
// sets in process.env ends with it.
const saved = { ...process.env };
afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});
