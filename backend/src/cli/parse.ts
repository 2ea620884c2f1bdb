import { InvalidArgumentError } from "commander";

/** Option value parsers: each names what is wrong, so commander can say which option. */

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a positive whole number, got "${value}".`);
  }
  return n;
}

export function share(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new InvalidArgumentError(`expected a number from 0 to 1, got "${value}".`);
  }
  return n;
}

/** `YYYY-MM-DD`, optionally `THH:MM[:SS[.fff]]` with a zone (`Z` or `±HH:MM`). */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/i;

/**
 * An ISO 8601 time with an explicit zone, or a date alone (midnight UTC). A time without a
 * zone is refused (which zone was meant?), and so is a date that does not exist (2026-02-30),
 * which `new Date` would roll over into the next month.
 */
export function isoTime(value: string): Date {
  const match = ISO_TIME.exec(value.trim());
  if (!match) {
    throw new InvalidArgumentError(
      `expected an ISO 8601 time such as 2026-11-01T03:00:00Z, got "${value}".`,
    );
  }
  const [, year, month, day, hour, minute, second, zone] = match;
  if (hour !== undefined && zone === undefined) {
    throw new InvalidArgumentError(
      `"${value}" has no time zone: add Z for UTC or an offset such as +02:00.`,
    );
  }
  const fields = [year, month, day, hour ?? "0", minute ?? "0", second ?? "0"].map(Number);
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = fields;
  const wall = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const exists =
    wall.getUTCFullYear() === y &&
    wall.getUTCMonth() === mo - 1 &&
    wall.getUTCDate() === d &&
    wall.getUTCHours() === h &&
    wall.getUTCMinutes() === mi &&
    wall.getUTCSeconds() === s;
  if (!exists || !validOffset(zone)) {
    throw new InvalidArgumentError(`"${value}" is not a valid date and time.`);
  }
  return new Date(hour === undefined ? `${value.trim()}T00:00:00Z` : value.trim());
}

function validOffset(zone: string | undefined): boolean {
  if (zone === undefined || zone.toUpperCase() === "Z") return true;
  const [hours = 99, minutes = 99] = zone.slice(1).split(":").map(Number);
  return hours <= 14 && minutes < 60;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
