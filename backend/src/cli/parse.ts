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

export function isoTime(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(
      `expected an ISO 8601 time such as 2026-11-01T03:00:00Z, got "${value}".`,
    );
  }
  return date;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
