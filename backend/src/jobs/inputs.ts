import { Prisma } from "@feed-jobs/db";

/**
 * Inputs that every job reading them validates the same way, in one place. The schema lets
 * through what no job can use; content-features never writes it, but a row edited by hand or
 * by another writer may hold it.
 */

/**
 * The topics of post_features row `alias` (a text[]), without NULL or empty elements: neither
 * is a topic. A row without topics reads as an empty array.
 */
export function topicsOf(alias: string): Prisma.Sql {
  const topics = Prisma.raw(`${alias}.topics`);
  return Prisma.sql`coalesce(array_remove(array_remove(${topics}, NULL), ''), ARRAY[]::text[])`;
}
