import type { CanonicalRecord, SchoolCalendar, Signal, SignalPupil } from '#domain';
import { dayNumber } from './dates.js';
import { preparePupil } from './prepare.js';
import type { Rulepack } from './rulepack.js';
import { runRules } from './rules.js';

export interface EvaluatePupilInput {
  readonly pupil: SignalPupil;
  readonly records: readonly CanonicalRecord[];
  readonly calendar: SchoolCalendar;
  readonly rulepack: Rulepack;
  /** YYYY-MM-DD: evaluate as if today were that date; records after it are left out. */
  readonly asOf: string;
}

export interface EvaluateInput {
  readonly pupils: readonly SignalPupil[];
  readonly records: readonly CanonicalRecord[];
  readonly calendar: SchoolCalendar;
  readonly rulepack: Rulepack;
  readonly asOf: string;
}

export interface EvaluateOutcome {
  readonly signals: Signal[];
  /** Records whose pupil is not in `pupils`: skipped, counted. */
  readonly unknownPupilRecords: number;
  readonly unknownPupils: number;
}

/** Signal order: pupil, begin date, rule, end date, id. */
export function compareSignals(a: Signal, b: Signal): number {
  return (
    cmp(a.pupil.localId, b.pupil.localId) ||
    cmp(a.beginDate, b.beginDate) ||
    cmp(a.rule, b.rule) ||
    cmp(a.endDate, b.endDate) ||
    cmp(a.signalId, b.signalId)
  );
}
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** @internal the signals of one pupil and the day its result may change without new records. */
export function evaluatePupilWithWake(input: EvaluatePupilInput): { signals: Signal[]; wake: number } {
  const ctx = preparePupil(input.pupil, input.records, input.calendar, asOfDay(input.asOf));
  const signals = runRules(ctx, input.rulepack).sort(compareSignals);
  return { signals, wake: ctx.wake };
}

/** Pure and deterministic: the same inputs give the same signals (same ids) in the same order. */
export function evaluatePupil(input: EvaluatePupilInput): Signal[] {
  return evaluatePupilWithWake(input).signals;
}

export function asOfDay(asOf: string): number {
  const day = dayNumber(asOf);
  if (Number.isNaN(day)) throw new RangeError('asOf must be a date YYYY-MM-DD');
  return day;
}

/** Groups the records by pupil once, evaluates each pupil; records of unknown pupils are skipped and counted. */
export function evaluateDetailed(input: EvaluateInput): EvaluateOutcome {
  const byPupil = new Map<string, CanonicalRecord[]>();
  for (const pupil of input.pupils) byPupil.set(pupil.localId, []);
  let unknown = 0;
  const unknownIds = new Set<string>();
  for (const record of input.records) {
    const list = byPupil.get(record.pupil.localId);
    if (list) list.push(record);
    else {
      unknown++;
      unknownIds.add(record.pupil.localId);
    }
  }
  const pupils = [...input.pupils].sort((a, b) => cmp(a.localId, b.localId));
  const signals: Signal[] = [];
  let previous: string | null = null;
  for (const pupil of pupils) {
    if (pupil.localId === previous) continue;
    previous = pupil.localId;
    const records = byPupil.get(pupil.localId) ?? [];
    const own = evaluatePupil({ ...input, pupil, records });
    for (const s of own) signals.push(s);
  }
  return { signals, unknownPupilRecords: unknown, unknownPupils: unknownIds.size };
}

export function evaluate(input: EvaluateInput): Signal[] {
  return evaluateDetailed(input).signals;
}
