// Generates the Prisma client offline. `prisma generate` needs no engine binary to do its
// work, but it looks for one first; pointing it at any existing file stops the download
// attempt, which fails on machines without network access.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
execFileSync("pnpm", ["exec", "prisma", "generate", "--schema", "prisma/schema.prisma"], {
  cwd: root,
  env,
  stdio: "inherit",
});
