const DAY_MS = 86_400_000;

/** 1 - e^(-amount/scale): 0 at 0, about 0.63 at `scale`, approaching 1 (diminishing returns). */
export function saturate(amount: number, scale: number): number {
  return 1 - Math.exp(-amount / scale);
}

/** 0.5^(age/halfLife): 1 when fresh, 0.5 at one half-life. */
export function halfLifeDecay(age: number, halfLife: number): number {
  return 0.5 ** (age / halfLife);
}

/** Whole and fractional days from `then` to `now`. */
export function daysBetween(then: Date, now: Date): number {
  return (now.getTime() - then.getTime()) / DAY_MS;
}

/** Rounds for the `factors` explanation (the score itself is never rounded). */
export function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
