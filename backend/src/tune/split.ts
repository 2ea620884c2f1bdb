import type { ActivitySpan } from "../eval/history.ts";
import { evalPoints, type HistoryNeeds, ShortHistory } from "../eval/points.ts";
import type { EvalPoint } from "../eval/types.ts";

const HOUR_MS = 3_600_000;
/** Points a default split holds out for the test, and trains on before them. */
const DEFAULT_TEST_POINTS = 2;
const DEFAULT_TRAIN_POINTS = 4;

export interface Period {
  readonly from: Date;
  readonly to: Date;
}

/**
 * Training and test points. Asked periods are used as given; by default the test is the last
 * two points whose outcomes are known, and training the four points before them whose outcome
 * windows end before the test begins (nothing the test scores is seen while fitting).
 */
export function trainTestSplit(
  span: ActivitySpan | null,
  asked: { train?: Period; test?: Period; everyMs: number },
  needs: HistoryNeeds,
): { train: EvalPoint[]; test: EvalPoint[] } {
  const horizonMs = needs.horizonHours * HOUR_MS;
  const testPeriod = asked.test ?? lastPoints(span, needs, DEFAULT_TEST_POINTS, asked.everyMs);
  const test = evalPoints(span, { ...testPeriod, everyMs: asked.everyMs }, needs);
  const firstTest = test[0]?.asOf.getTime() ?? 0;
  const trainTo = new Date(floorHour(firstTest - horizonMs));
  const trainPeriod = asked.train ?? {
    from: new Date(trainTo.getTime() - (DEFAULT_TRAIN_POINTS - 1) * asked.everyMs),
    to: trainTo,
  };
  const train = evalPoints(span, { ...trainPeriod, everyMs: asked.everyMs }, needs);
  const lastTrain = train[train.length - 1];
  if (lastTrain && lastTrain.until.getTime() > firstTest) {
    throw new ShortHistory(
      `${needs.job}: the training period's outcomes (until ${lastTrain.until.toISOString()}) overlap the test period (from ${new Date(firstTest).toISOString()}): end --train at least ${needs.horizonHours} h before --test begins`,
    );
  }
  return { train, test };
}

function lastPoints(
  span: ActivitySpan | null,
  needs: HistoryNeeds,
  points: number,
  everyMs: number,
): { from?: Date; to?: Date } {
  if (!span) return {};
  const to = floorHour(span.last.getTime() - needs.horizonHours * HOUR_MS);
  return { from: new Date(to - (points - 1) * everyMs), to: new Date(to) };
}

/** `T0..T1` (two ISO times) as a period. */
export function parsePeriod(value: string, parseTime: (s: string) => Date): Period {
  const [from, to, extra] = value.split("..");
  if (!from || !to || extra !== undefined) {
    throw new Error(`expected T0..T1 (two ISO times), got "${value}".`);
  }
  const period = { from: parseTime(from), to: parseTime(to) };
  if (period.from > period.to) throw new Error(`"${value}" ends before it begins.`);
  return period;
}

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
