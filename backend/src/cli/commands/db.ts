import { migrate } from "@feed-jobs/db";
import type { Command } from "commander";
import { seedDemoData } from "../../demo/seed.ts";
import { withDatabase } from "../database.ts";
import type { Cli } from "../io.ts";
import { isoTime, positiveInt } from "../parse.ts";
import {
  addPopulationOptions,
  type PopulationFlags,
  populationLayout,
} from "../population-options.ts";

interface SeedFlags extends PopulationFlags {
  users: number;
  seed: number;
  now?: Date;
  reset?: boolean;
  ifEmpty?: boolean;
}

/** `db migrate` and `db seed`. */
export function registerDbCommands(program: Command, { io }: Cli): void {
  const db = program.command("db").description("Database maintenance");
  db.command("migrate")
    .description("Apply pending migrations (recorded in _prisma_migrations)")
    .action(async () => {
      const result = await withDatabase((database) => migrate(database), { autoMigrate: false });
      for (const name of result.applied) io.out(`applied ${name}`);
      if (result.applied.length === 0) {
        io.out(`up to date (${result.alreadyApplied.length} migrations applied)`);
      }
      for (const name of result.unknown) {
        io.err(`warning: ${name} is recorded in the database but missing from prisma/migrations`);
      }
    });
  const seed = db
    .command("seed")
    .description("Fill an empty database with a deterministic demo population")
    .option("--users <n>", "how many users (default 2000)", positiveInt, 2000)
    .option("--seed <n>", "random seed (default 42)", positiveInt, 42)
    .option("--now <time>", "the population's present (default: now)", isoTime)
    .option("--reset", "delete all existing data first")
    .option("--if-empty", "do nothing when the database already has users");
  addPopulationOptions(seed).action(async (flags: SeedFlags) => {
    const summary = await withDatabase(async (database) => {
      if (flags.ifEmpty && (await database.prisma.user.count()) > 0) return null;
      return seedDemoData(database, {
        users: flags.users,
        seed: flags.seed,
        now: flags.now ?? new Date(),
        reset: flags.reset === true,
        ...populationLayout(flags),
        log: (line) => io.err(line),
      });
    });
    io.out(
      summary ? JSON.stringify(summary, null, 2) : "The database already has users; not seeding.",
    );
  });
}
