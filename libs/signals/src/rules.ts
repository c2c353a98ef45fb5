import type { Category, MeasureUnit, Signal, SignalPupil } from '#domain';
import type { CalendarIndex } from './calendar-index.js';
import { ageOn, dateOf, dayNumber } from './dates.js';
import type { Prepared, PupilContext } from './prepare.js';
import { unitMinutes } from './prepare.js';
import { RULE_DEFAULTS, type Rulepack, ruleConfig } from './rulepack.js';
import { buildSignal } from './signal-builder.js';

type Units = Readonly<Record<string, MeasureUnit>>;

/** Leerplicht starts on the first day of the month after the 5th birthday (LPW art. 3). */
function leerplichtStart(birthDate: string): number {
  const y = Number(birthDate.slice(0, 4)) + 5;
  const m = Number(birthDate.slice(5, 7));
  return dayNumber(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`);
}

function hasStartkwalificatie(pupil: SignalPupil, day: number): boolean {
  if (pupil.startkwalificatieSince !== undefined) return day >= dayNumber(pupil.startkwalificatieSince);
  return pupil.startkwalificatie === true;
}

/** Runs of school days that follow each other in the calendar (holidays and weekends do not break a run). */
function schoolDayRuns(cal: CalendarIndex, days: readonly number[]): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  let lastOrd = -2;
  for (const day of days) {
    const ord = cal.schoolDayOrdinal(day);
    if (ord < 0) continue;
    if (ord !== lastOrd + 1 && run.length > 0) {
      runs.push(run);
      run = [];
    }
    run.push(day);
    lastOrd = ord;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function recordsOn(
  recs: readonly Prepared[],
  from: number,
  to: number,
  keep: (p: Prepared) => boolean,
): Prepared[] {
  const out: Prepared[] = [];
  for (const p of recs) if (p.day >= from && p.day <= to && keep(p)) out.push(p);
  return out;
}

const isCounted = (p: Prepared): boolean => p.counted;
const NONE: readonly Prepared[] = [];
/** A category's records, without teacher checks a report explains (bucketed once in preparePupil). */
const ofCategory = (ctx: PupilContext, category: Category): readonly Prepared[] =>
  ctx.byCategory.get(category) ?? NONE;

/** LPW_16H_4W: the 16-hour rule of LPW 21/21a (absence-law.md §2.1). */
function lpw16(ctx: PupilContext, pack: Rulepack, out: Signal[]): void {
  const cfg = ruleConfig(pack, 'LPW_16H_4W');
  if (!cfg) return;
  const { cal, pupil } = ctx;
  const unit = cfg.unitBySector[pupil.sector] ?? 'CLOCK_HOUR';
  const need = cfg.threshold * 60;
  const start = leerplichtStart(pupil.birthDate);
  const window: Prepared[] = [];
  let head = 0;
  let sum = 0;
  let lastEnd = Number.NaN;
  const recs = ctx.recs;
  for (let i = 0; i < recs.length; i++) {
    const p = recs[i];
    if (!p.counted) continue;
    const week = cal.schoolWeek(p.day);
    if (week < 0 || !cal.isSchoolDay(p.day) || p.day <= lastEnd) continue;
    window.push(p);
    sum += unitMinutes(p, unit, cfg.lessonHourMaxMinutes);
    while (head < window.length && cal.schoolWeek(window[head].day) <= week - cfg.windowSchoolWeeks) {
      sum -= unitMinutes(window[head], unit, cfg.lessonHourMaxMinutes);
      head++;
    }
    // Check once all records of this day are in.
    let nextDay = Number.NaN;
    for (let j = i + 1; j < recs.length; j++)
      if (recs[j].counted) {
        nextDay = recs[j].day;
        break;
      }
    if (nextDay === p.day || sum < need || p.day < start) continue;
    // At most one report per N calendar days while the absence is continuous.
    if (
      !Number.isNaN(lastEnd) &&
      p.day - lastEnd < cfg.continuousMinIntervalDays &&
      continuous(ctx, lastEnd, p.day)
    )
      continue;
    const evidence = window.slice(head);
    const adult = ageOn(pupil.birthDate, dateOf(p.day)) >= cfg.adultAge;
    out.push(
      buildSignal(ctx, 'LPW_16H_4W', cfg, cfg.unitBySector, {
        reportKind: adult ? '16U_MEERDERJARIG' : '16U_MINDERJARIG',
        mandatory: !adult,
        begin: evidence[0].day,
        end: p.day,
        evidence,
        threshold: cfg.threshold,
        deadlineWorkingDays: cfg.deadlineWorkingDays,
        unit,
        detail: {
          duty: adult ? cfg.adultReport : 'MANDATORY',
          followUp: !Number.isNaN(lastEnd),
        },
      }),
    );
    lastEnd = p.day;
    window.length = 0;
    head = 0;
    sum = 0;
  }
}

/** Every school day after `from` up to `to` has unauthorised absence. */
function continuous(ctx: PupilContext, from: number, to: number): boolean {
  const a = ctx.cal.schoolDayOrdinal(from);
  const b = ctx.cal.schoolDayOrdinal(to);
  if (a < 0 || b < 0) return false;
  for (let o = a + 1; o <= b; o++) if (!ctx.unauthorisedDays.has(ctx.cal.schoolDays[o])) return false;
  return true;
}

/** School days that count as absent days (whole-day record or at least `minMinutes` unauthorised). */
function absentDays(ctx: PupilContext, minMinutes: number): number[] {
  const days: number[] = [];
  for (const [day, v] of ctx.unauthorisedDays) if (v.wholeDay || v.minutes >= minMinutes) days.push(day);
  return days.sort((a, b) => a - b);
}

/** LPW_LRV (> weeks of continuous absence, under 18) and WEB_DOORSTROOMPUNT (≥ weeks, 18–22 without startkwalificatie). */
function continuousRules(ctx: PupilContext, pack: Rulepack, units: Units, out: Signal[]): void {
  const lrv = ruleConfig(pack, 'LPW_LRV');
  const dsp = ruleConfig(pack, 'WEB_DOORSTROOMPUNT');
  const { pupil, cal } = ctx;
  if (lrv) {
    for (const run of schoolDayRuns(cal, absentDays(ctx, lrv.absentDayMinMinutes))) {
      const first = run[0];
      const hit = run.find((d) => d - first + 1 > lrv.weeks * 7);
      if (hit === undefined || ageOn(pupil.birthDate, dateOf(hit)) >= lrv.maxAge) continue;
      out.push(
        buildSignal(ctx, 'LPW_LRV', lrv, units, {
          reportKind: 'LRV',
          mandatory: true,
          begin: first,
          end: hit,
          evidence: recordsOn(ctx.recs, first, hit, isCounted),
          threshold: lrv.weeks,
          deadlineWorkingDays: lrv.deadlineWorkingDays,
          detail: { lastAbsentDay: dateOf(run[run.length - 1]), absentSchoolDays: run.length },
        }),
      );
    }
  }
  if (dsp) {
    for (const run of schoolDayRuns(cal, absentDays(ctx, dsp.absentDayMinMinutes))) {
      const first = run[0];
      const hit = run.find((d) => d - first + 1 >= dsp.weeks * 7);
      if (hit === undefined) continue;
      const age = ageOn(pupil.birthDate, dateOf(hit));
      if (age < dsp.minAge || age >= dsp.maxAge || hasStartkwalificatie(pupil, hit)) continue;
      out.push(
        buildSignal(ctx, 'WEB_DOORSTROOMPUNT', dsp, units, {
          reportKind: 'DOORSTROOMPUNT',
          mandatory: true,
          begin: first,
          end: hit,
          evidence: recordsOn(ctx.recs, first, hit, isCounted),
          threshold: dsp.weeks,
          deadlineWorkingDays: dsp.deadlineWorkingDays,
          detail: { lastAbsentDay: dateOf(run[run.length - 1]), absentSchoolDays: run.length },
        }),
      );
    }
  }
}

/** LPW_LUXE: unauthorised absent days right before or after a school holiday, or a luxury reason code. */
function luxe(ctx: PupilContext, pack: Rulepack, units: Units, out: Signal[]): void {
  const cfg = ruleConfig(pack, 'LPW_LUXE');
  if (!cfg) return;
  const { cal, pupil } = ctx;
  const codes = new Set(cfg.luxuryReasonCodes);
  const luxuryDays = new Set<number>();
  for (const p of ctx.recs)
    if (p.r.legalClass === 'unauthorised' && p.r.reasonCode !== null && codes.has(p.r.reasonCode))
      luxuryDays.add(p.day);
  const candidates = new Set<number>(cfg.adjacentToHoliday ? absentDays(ctx, cfg.absentDayMinMinutes) : []);
  for (const d of luxuryDays) candidates.add(d);
  for (const run of schoolDayRuns(
    cal,
    [...candidates].sort((a, b) => a - b),
  )) {
    const first = run[0];
    const last = run[run.length - 1];
    const before = cfg.adjacentToHoliday ? cal.holidayAfter(last) : null;
    const after = cfg.adjacentToHoliday ? cal.holidayBefore(first) : null;
    const coded = run.some((d) => luxuryDays.has(d));
    if (!before && !after && !coded) continue;
    if (ageOn(pupil.birthDate, dateOf(first)) >= cfg.maxAge) continue;
    out.push(
      buildSignal(ctx, 'LPW_LUXE', cfg, units, {
        reportKind: 'LUXE',
        mandatory: true,
        begin: first,
        end: last,
        evidence: recordsOn(
          ctx.recs,
          first,
          last,
          (p) => p.counted || (p.r.legalClass === 'unauthorised' && luxuryDays.has(p.day)),
        ),
        threshold: 0,
        deadlineWorkingDays: cfg.deadlineWorkingDays,
        detail: {
          ...(before ? { holidayAfter: before.name } : {}),
          ...(after ? { holidayBefore: after.name } : {}),
          luxuryReasonCode: coded,
        },
      }),
    );
  }
}

/** LATENESS_LADDER: unauthorised late arrivals in the school year, each step of the regional ladder once. */
function lateness(ctx: PupilContext, pack: Rulepack, units: Units, out: Signal[]): void {
  const cfg = ruleConfig(pack, 'LATENESS_LADDER');
  if (!cfg || cfg.steps.length === 0) return;
  const late = ofCategory(ctx, 'LATE_UNAUTHORISED');
  // One late arrival per lesson: a report and a teacher check of the same lesson count once.
  const seen = new Set<string>();
  const occurrences: Prepared[] = [];
  for (const p of late) {
    const key = p.r.lessonHourFrom === null ? `${p.day}:${p.r.recordId}` : `${p.day}:${p.r.lessonHourFrom}`;
    if (seen.has(key)) continue;
    seen.add(key);
    occurrences.push(p);
  }
  cfg.steps.forEach((step, index) => {
    if (occurrences.length < step.count) return;
    const evidence = occurrences.slice(0, step.count);
    out.push(
      buildSignal(ctx, 'LATENESS_LADDER', cfg, units, {
        reportKind: step.report === true ? 'OVERIG' : null,
        mandatory: false,
        begin: evidence[0].day,
        end: evidence[evidence.length - 1].day,
        evidence,
        threshold: step.count,
        deadlineWorkingDays: null,
        detail: { step: index + 1, lateArrivals: step.count, action: step.action },
      }),
    );
  });
}

/** MAZL: the Nth sick report within a window, or the Nth consecutive sick school day (internal signal). */
function mazl(ctx: PupilContext, pack: Rulepack, units: Units, out: Signal[]): void {
  const cfg = ruleConfig(pack, 'MAZL');
  if (!cfg) return;
  const { cal } = ctx;
  const sick = ofCategory(ctx, 'SICK');
  const days = [...new Set(sick.map((p) => p.day))].sort((a, b) => a - b);
  const episodes = schoolDayRuns(cal, days);
  const within = (a: number, b: number): boolean =>
    cfg.windowCalendarDays !== null
      ? b - a < cfg.windowCalendarDays
      : cal.schoolWeek(b) - cal.schoolWeek(a) < cfg.windowSchoolWeeks;
  let from = 0;
  for (let i = 0; i < episodes.length; i++) {
    const firstIndex = i - cfg.sickReports + 1;
    if (firstIndex < from || cfg.sickReports < 1) continue;
    const begin = episodes[firstIndex][0];
    const end = episodes[i][0];
    if (!within(begin, end)) continue;
    const evidence = sick.filter((p) => episodes.slice(firstIndex, i + 1).some((e) => e.includes(p.day)));
    out.push(
      buildSignal(ctx, 'MAZL', cfg, units, {
        reportKind: null,
        mandatory: false,
        begin,
        end,
        evidence,
        threshold: cfg.sickReports,
        deadlineWorkingDays: null,
        detail: { kind: 'SICK_REPORTS', sickReports: cfg.sickReports },
      }),
    );
    from = i + 1;
  }
  if (cfg.consecutiveSickSchoolDays < 1) return;
  for (const episode of episodes) {
    if (episode.length < cfg.consecutiveSickSchoolDays) continue;
    const begin = episode[0];
    const end = episode[cfg.consecutiveSickSchoolDays - 1];
    out.push(
      buildSignal(ctx, 'MAZL', cfg, units, {
        reportKind: null,
        mandatory: false,
        begin,
        end,
        evidence: sick.filter((p) => p.day >= begin && p.day <= end),
        threshold: cfg.consecutiveSickSchoolDays,
        deadlineWorkingDays: null,
        detail: { kind: 'CONSECUTIVE_SICK_DAYS', sickSchoolDays: cfg.consecutiveSickSchoolDays },
      }),
    );
  }
}

/** LEAVE_LIMIT: holiday leave and important-circumstances leave beyond the law's limits; under-6 allowance. */
function leave(ctx: PupilContext, pack: Rulepack, units: Units, out: Signal[]): void {
  const cfg = ruleConfig(pack, 'LEAVE_LIMIT');
  if (!cfg) return;
  const { cal, pupil } = ctx;
  const emit = (
    kind: string,
    evidence: Prepared[],
    threshold: number,
    extra: Record<string, unknown> = {},
  ): void => {
    if (evidence.length === 0) return;
    out.push(
      buildSignal(ctx, 'LEAVE_LIMIT', cfg, units, {
        reportKind: null,
        mandatory: false,
        begin: evidence[0].day,
        end: evidence[evidence.length - 1].day,
        evidence,
        threshold,
        deadlineWorkingDays: null,
        detail: { kind, ...extra },
      }),
    );
  };
  const holiday = ofCategory(ctx, 'LEAVE_HOLIDAY');
  const holidayDays = [...new Set(holiday.map((p) => p.day))]
    .filter((d) => cal.isSchoolDay(d))
    .sort((a, b) => a - b);
  if (holidayDays.length > cfg.holidayLeaveMaxSchoolDays) {
    const over = holidayDays[cfg.holidayLeaveMaxSchoolDays];
    emit(
      'HOLIDAY_LEAVE_TOO_LONG',
      holiday.filter((p) => p.day <= over),
      cfg.holidayLeaveMaxSchoolDays,
      {
        schoolDays: holidayDays.length,
      },
    );
  }
  const episodes = schoolDayRuns(cal, holidayDays);
  if (episodes.length > cfg.holidayLeaveMaxPerSchoolYear) {
    for (const episode of episodes.slice(cfg.holidayLeaveMaxPerSchoolYear)) {
      emit(
        'HOLIDAY_LEAVE_TOO_OFTEN',
        holiday.filter((p) => p.day >= episode[0] && p.day <= episode[episode.length - 1]),
        cfg.holidayLeaveMaxPerSchoolYear,
      );
    }
  }
  const early = holiday.filter((p) => {
    const w = cal.schoolWeek(p.day);
    return w >= 0 && w < cfg.holidayLeaveBlockedFirstSchoolWeeks;
  });
  emit('HOLIDAY_LEAVE_FIRST_SCHOOL_WEEKS', early, cfg.holidayLeaveBlockedFirstSchoolWeeks);
  const important = ofCategory(ctx, 'LEAVE_IMPORTANT_CIRCUMSTANCES');
  const importantDays = [...new Set(important.map((p) => p.day))].sort((a, b) => a - b);
  if (importantDays.length > cfg.importantCircumstancesMaxSchoolDays) {
    const over = importantDays[cfg.importantCircumstancesMaxSchoolDays];
    emit(
      'IMPORTANT_CIRCUMSTANCES_NEEDS_LEERPLICHTAMBTENAAR',
      important.filter((p) => p.day <= over),
      cfg.importantCircumstancesMaxSchoolDays,
      { days: importantDays.length },
    );
  }
  // Under 6: parents may keep the child home 5 hours a week, the head may grant 5 more (LPW 11a).
  const allowance = (cfg.underSixParentHoursPerWeek + cfg.underSixHeadHoursPerWeek) * 60;
  const byWeek = new Map<number, Prepared[]>();
  for (const p of ofCategory(ctx, 'LEAVE_UNDER_SIX')) {
    if (ageOn(pupil.birthDate, p.r.date) >= 6) continue;
    const w = cal.schoolWeek(p.day);
    const list = byWeek.get(w) ?? [];
    list.push(p);
    byWeek.set(w, list);
  }
  for (const [, list] of [...byWeek].sort((a, b) => a[0] - b[0])) {
    const minutes = list.reduce((s, p) => s + p.minutes, 0);
    if (minutes > allowance)
      emit('UNDER_SIX_OVER_ALLOWANCE', list, allowance / 60, { minutes, allowanceHours: allowance / 60 });
  }
}

/** SUSPENSION_NOTICE (> 1 school day → Inspectie) and EXPULSION_NOTICE (→ municipality and Inspectie). */
function schoolMeasures(ctx: PupilContext, pack: Rulepack, units: Units, out: Signal[]): void {
  const { cal, pupil } = ctx;
  const sus = ruleConfig(pack, 'SUSPENSION_NOTICE');
  if (sus) {
    const recs = ofCategory(ctx, 'SCHOOL_SUSPENSION');
    const days = [...new Set(recs.map((p) => p.day))].sort((a, b) => a - b);
    for (const run of schoolDayRuns(cal, days)) {
      if (run.length < sus.minSchoolDays) continue;
      const first = run[0];
      const last = run[run.length - 1];
      out.push(
        buildSignal(ctx, 'SUSPENSION_NOTICE', sus, units, {
          reportKind: null,
          mandatory: true,
          begin: first,
          end: last,
          evidence: recs.filter((p) => p.day >= first && p.day <= last),
          threshold: sus.minSchoolDays,
          deadlineWorkingDays: sus.deadlineWorkingDays,
          deadlineFrom: first,
          detail: {
            recipient: 'INSPECTIE',
            schoolDays: run.length,
            exceedsMaximum: run.length > sus.maxSchoolDays,
          },
        }),
      );
    }
  }
  const exp = ruleConfig(pack, 'EXPULSION_NOTICE');
  if (exp) {
    const recs = ofCategory(ctx, 'SCHOOL_EXPULSION');
    const days = [...new Set(recs.map((p) => p.day))].sort((a, b) => a - b);
    for (const run of schoolDayRuns(cal, days)) {
      const first = run[0];
      const age = ageOn(pupil.birthDate, dateOf(first));
      const web = pupil.sector === 'mbo' && age >= 18 && age < 23 && !hasStartkwalificatie(pupil, first);
      out.push(
        buildSignal(ctx, 'EXPULSION_NOTICE', exp, units, {
          reportKind: null,
          mandatory: true,
          begin: first,
          end: first,
          evidence: recs.filter((p) => p.day === first),
          threshold: 0,
          deadlineWorkingDays: exp.deadlineWorkingDays,
          detail: { recipients: ['GEMEENTE', 'INSPECTIE'], web8_1_8: web },
        }),
      );
    }
  }
}

/** The daily check of the three sources: UNCHECKED_LESSON and CALL_BACK (seed 3.3, principle 2). */
function dailyCheck(ctx: PupilContext, pack: Rulepack, units: Units, out: Signal[]): void {
  const unchecked = ruleConfig(pack, 'UNCHECKED_LESSON');
  const callBack = ruleConfig(pack, 'CALL_BACK');
  if (!unchecked && !callBack) return;
  // Only days with a report of a lesson or an unexplained, unlinked teacher check need looking at.
  const days = new Set<number>();
  for (const p of ctx.recs) {
    const via = p.r.registeredVia;
    if (unchecked && (via === 'REPORT' || via === 'CALL_BACK') && p.r.lessonHourFrom !== null)
      days.add(p.day);
    else if (
      callBack &&
      via === 'TEACHER_CHECK' &&
      p.r.category === 'UNEXPLAINED' &&
      p.r.explainedBy === null
    )
      days.add(p.day);
  }
  if (days.size === 0) return;
  const checked = new Set<number>();
  const reported = new Set<number>();
  const reportedDays = new Set<number>();
  for (const key of ctx.presentChecks) if (days.has(Math.floor(key / 32))) checked.add(key);
  for (const p of ctx.recs) {
    if (!days.has(p.day)) continue;
    const from = p.r.lessonHourFrom;
    const to = p.r.lessonHourTo ?? from;
    const teacher = p.r.registeredVia === 'TEACHER_CHECK';
    if (!teacher && (from === null || p.r.wholeDay)) reportedDays.add(p.day);
    if (from === null || to === null) continue;
    for (let h = from; h <= to; h++) (teacher ? checked : reported).add(p.day * 32 + h);
  }
  if (unchecked) {
    const byDay = new Map<number, { recs: Prepared[]; hours: number[] }>();
    for (const p of ctx.recs) {
      if (p.r.registeredVia !== 'REPORT' && p.r.registeredVia !== 'CALL_BACK') continue;
      const from = p.r.lessonHourFrom;
      const to = p.r.lessonHourTo ?? from;
      if (from === null || to === null || !ctx.cal.isSchoolDay(p.day)) continue;
      const hours: number[] = [];
      for (let h = from; h <= to; h++) if (!checked.has(p.day * 32 + h)) hours.push(h);
      if (hours.length === 0) continue;
      if (p.day + unchecked.graceDays > ctx.asOf) {
        ctx.wake = Math.min(ctx.wake, p.day + unchecked.graceDays);
        continue;
      }
      const entry = byDay.get(p.day) ?? { recs: [], hours: [] };
      entry.recs.push(p);
      entry.hours.push(...hours);
      byDay.set(p.day, entry);
    }
    for (const [day, entry] of byDay) {
      out.push(
        buildSignal(ctx, 'UNCHECKED_LESSON', unchecked, units, {
          reportKind: null,
          mandatory: false,
          begin: day,
          end: day,
          evidence: entry.recs,
          threshold: 0,
          deadlineWorkingDays: null,
          detail: { lessonHours: [...new Set(entry.hours)].sort((a, b) => a - b) },
        }),
      );
    }
  }
  if (callBack) {
    const byDay = new Map<number, Prepared[]>();
    for (const p of ctx.recs) {
      if (p.r.registeredVia !== 'TEACHER_CHECK' || p.r.category !== 'UNEXPLAINED' || p.r.explainedBy !== null)
        continue;
      if (reportedDays.has(p.day)) continue;
      const from = p.r.lessonHourFrom;
      const to = p.r.lessonHourTo ?? from;
      if (from !== null && to !== null) {
        let covered = true;
        for (let h = from; h <= to; h++) if (!reported.has(p.day * 32 + h)) covered = false;
        if (covered) continue;
      }
      const list = byDay.get(p.day) ?? [];
      list.push(p);
      byDay.set(p.day, list);
    }
    for (const [day, recs] of byDay) {
      out.push(
        buildSignal(ctx, 'CALL_BACK', callBack, units, {
          reportKind: null,
          mandatory: false,
          begin: day,
          end: day,
          evidence: recs,
          threshold: 0,
          deadlineWorkingDays: callBack.deadlineWorkingDays,
          detail: {
            lessonHours: recs.map((p) => p.r.lessonHourFrom).filter((h): h is number => h !== null),
          },
        }),
      );
    }
  }
}

/** All rules for one prepared pupil. */
export function runRules(ctx: PupilContext, pack: Rulepack): Signal[] {
  const out: Signal[] = [];
  const units = (ruleConfig(pack, 'LPW_16H_4W') ?? RULE_DEFAULTS.LPW_16H_4W).unitBySector;
  lpw16(ctx, pack, out);
  continuousRules(ctx, pack, units, out);
  luxe(ctx, pack, units, out);
  lateness(ctx, pack, units, out);
  mazl(ctx, pack, units, out);
  leave(ctx, pack, units, out);
  schoolMeasures(ctx, pack, units, out);
  dailyCheck(ctx, pack, units, out);
  return out;
}
