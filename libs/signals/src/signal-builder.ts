import { type MeasureUnit, type ReportKind, type Signal, type SignalRule, stableId } from '#domain';
import { addWorkingDays, dateOf } from './dates.js';
import type { Prepared, PupilContext } from './prepare.js';
import { unitMinutes } from './prepare.js';
import type { RuleConfig } from './rulepack.js';

export interface SignalDraft {
  readonly reportKind: ReportKind | null;
  readonly mandatory: boolean;
  readonly begin: number;
  readonly end: number;
  readonly evidence: readonly Prepared[];
  readonly threshold: number;
  /** Working days after `end` (or after `deadlineFrom`); null: no deadline. */
  readonly deadlineWorkingDays: number | null;
  readonly deadlineFrom?: number;
  readonly unit?: MeasureUnit;
  readonly detail?: Record<string, unknown>;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** One signal: measured from the counted unauthorised records of its evidence; id from rule, pupil, dates, evidence. */
export function buildSignal<K extends SignalRule>(
  ctx: PupilContext,
  rule: K,
  cfg: RuleConfig<K>,
  unitBySector: Readonly<Record<string, MeasureUnit>>,
  draft: SignalDraft,
): Signal {
  const unit = draft.unit ?? unitBySector[ctx.pupil.sector] ?? 'CLOCK_HOUR';
  let minutes = 0;
  let lessons = 0;
  let units = 0;
  const ids: string[] = [];
  for (const p of draft.evidence) {
    ids.push(p.r.recordId);
    if (!p.counted) continue;
    minutes += p.minutes;
    lessons += p.lessons;
    units += unitMinutes(p, unit, 60);
  }
  const beginDate = dateOf(draft.begin);
  const endDate = dateOf(draft.end);
  const signalId = stableId('sig', rule, ctx.pupil.localId, beginDate, endDate, ...ids);
  return {
    signalId,
    rule,
    reportKind: draft.reportKind,
    mandatory: draft.mandatory,
    pupil: { localId: ctx.pupil.localId },
    beginDate,
    endDate,
    measured: { unauthorisedMinutes: minutes, unauthorisedLessons: lessons, unit, hours: round2(units / 60) },
    threshold: draft.threshold,
    deadline:
      draft.deadlineWorkingDays === null
        ? null
        : dateOf(addWorkingDays(draft.deadlineFrom ?? draft.end, draft.deadlineWorkingDays)),
    evidence: ids,
    rulepack: { id: cfg.source.id, version: cfg.source.version },
    legalBasis: cfg.legalBasis,
    ...(draft.detail ? { detail: draft.detail } : {}),
  };
}
