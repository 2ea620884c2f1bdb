import type { QuizVector } from "./types.ts";

/**
 * Answers are on a 0–1 scale with 0.5 neutral. Vectors are compared centred on it, so two users
 * who both disagree agree with each other (raw 0–1 vectors all point the same way: their cosine
 * is high for everyone). The candidate query centres them the same way for pgvector.
 */
export const QUIZ_NEUTRAL_ANSWER = 0.5;

/**
 * A usable quiz vector, centred on the neutral answer and scaled to unit length, or null when
 * there is nothing to compare: no answers, a missing (null) or non-finite answer, or all
 * answers neutral (no direction, so no cosine).
 */
export function toQuizVector(answers: readonly (number | null)[] | null): QuizVector | null {
  if (!answers || answers.length === 0) return null;
  const unit = new Float64Array(answers.length);
  let norm = 0;
  for (let i = 0; i < answers.length; i++) {
    const x = answers[i];
    if (x === null || x === undefined || !Number.isFinite(x)) return null;
    const centred = x - QUIZ_NEUTRAL_ANSWER;
    unit[i] = centred;
    norm += centred * centred;
  }
  if (norm === 0) return null;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < unit.length; i++) unit[i] = (unit[i] as number) * scale;
  return { unit };
}

/** Cosine similarity in [-1, 1], or null when the vectors have different lengths. */
export function cosineSimilarity(a: QuizVector, b: QuizVector): number | null {
  if (a.unit.length !== b.unit.length) return null;
  return unitCosine(a.unit, b.unit, 0);
}

/**
 * The cosine of unit vector `x` and the unit vector of the same length stored in `y` from
 * `offset` (a row of a matrix of vectors), clamped into [-1, 1] against rounding.
 */
export function unitCosine(x: Float64Array, y: Float64Array, offset: number): number {
  let dot = 0;
  for (let i = 0; i < x.length; i++) dot += (x[i] as number) * (y[offset + i] as number);
  return Math.max(-1, Math.min(1, dot));
}
