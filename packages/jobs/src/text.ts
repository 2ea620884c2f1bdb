/**
 * `text` cut to its first `max` characters, saying how many were left out, so that a long
 * reason or error never floods a listing; unchanged when it fits.
 */
export function abbreviate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
