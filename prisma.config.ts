// Prisma CLI configuration. The project applies migrations itself (see packages/db/src/migrate.ts);
// this file lets `prisma migrate status/deploy` agree with it on a machine that has the engines.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
