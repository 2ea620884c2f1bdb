import { UsageError } from "./io.ts";

/**
 * The one record a (possibly shortened) id names, as `runs` and `requests` print 8-character
 * prefixes. `found` holds up to two records whose id starts with `prefix`.
 */
export function uniqueByPrefix<Row extends { id: string }>(
  kind: string,
  prefix: string,
  found: Row[],
): Row {
  const exact = found.find((row) => row.id === prefix);
  if (exact) return exact;
  if (found.length === 0) throw new UsageError(`unknown ${kind} id "${prefix}".`);
  if (found.length > 1)
    throw new UsageError(`${kind} id "${prefix}" is ambiguous: give more characters.`);
  return found[0] as Row;
}
