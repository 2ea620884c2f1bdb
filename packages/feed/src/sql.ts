import type { Prisma } from "@feed-jobs/db";

/** The client or an interactive transaction: repository functions work with either. */
export type Sql = Pick<Prisma.TransactionClient, "$queryRaw">;
