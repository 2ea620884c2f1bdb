import {
  DEFAULT_DEMOGRAPHIC_PARAMS,
  type DemographicParams,
  type RelationshipGoal,
} from "./types.ts";

/** 1 for the same goal, `unsure` when either is unsure, table values for near goals, else 0. */
export function goalCompatibility(
  a: RelationshipGoal,
  b: RelationshipGoal,
  table: DemographicParams["goalCompatibility"] = DEFAULT_DEMOGRAPHIC_PARAMS.goalCompatibility,
): number {
  if (a === b) return 1;
  if (a === "UNSURE" || b === "UNSURE") return table.unsure;
  const pair = a < b ? `${a}|${b}` : `${b}|${a}`;
  if (pair === "CASUAL|SHORT_TERM") return table.casualShortTerm;
  if (pair === "LONG_TERM|SHORT_TERM") return table.longTermShortTerm;
  return 0;
}
