import {
  type Actor,
  type CanonicalRecord,
  type Category,
  type Clock,
  type LegalClass,
  type PupilEducation,
  type PupilName,
  type PupilRegistry,
  type PupilRosterStore,
  type SchoolCalendarStore,
  type SignalStore,
  type SignalRule,
  BRIN_PATTERN,
  NotFoundError,
  ValidationError,
  administrationCovers,
  requireRosterReadScope,
} from '#domain';
import { type CalendarIndex, dateOf, dayNumber, indexCalendar, isValidDate } from '#signals';
import { schoolToday } from '../shared/school-day.js';
import { PUPIL_OVERVIEW_ERRORS } from './pupil-overview-error-codes.js';

/** Without a period: this many school weeks up to and including this week. */
export const OVERVIEW_DEFAULT_WEEKS = 12;
/** The longest period one overview shows (days, from..to inclusive): half a year. */
export const OVERVIEW_MAX_DAYS = 26 * 7;
/** The daily-check rules: not threshold windows, shown in the werkvoorraad's compact list instead. */
const DAILY_CHECK_RULES: readonly SignalRule[] = ['UNCHECKED_LESSON', 'CALL_BACK'];
const LOCAL_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export interface OverviewCell {
  readonly recordId: string;
  /** null for a whole day (or a record without lesson hours). */
  readonly lessonHourFrom: number | null;
  readonly lessonHourTo: number | null;
  readonly start: string | null;
  readonly end: string | null;
  readonly wholeDay: boolean;
  readonly category: Category;
  readonly legalClass: LegalClass;
}

export interface OverviewDay {
  readonly date: string;
  readonly weekday: (typeof WEEKDAYS)[number];
  /** A school day by the school's calendar (without a calendar: Monday to Friday). */
  readonly schoolDay: boolean;
  /** The holiday or closed day's name, when there is one. */
  readonly closedFor: string | null;
  readonly cells: readonly OverviewCell[];
}

export interface OverviewWeek {
  /** The Monday. */
  readonly weekStart: string;
  readonly days: readonly OverviewDay[];
  /** The signals whose window covers (part of) this week. */
  readonly windows: readonly string[];
}

export interface OverviewWindow {
  readonly signalId: string;
  readonly rule: SignalRule;
  readonly status: string;
  readonly beginDate: string;
  readonly endDate: string;
  readonly measured: {
    readonly unauthorisedMinutes: number;
    readonly unauthorisedLessons: number;
    readonly unit: string;
    readonly hours: number;
  };
  readonly threshold: number;
  readonly deadline: string | null;
  readonly evidence: readonly string[];
}

export interface OverviewRecord {
  readonly recordId: string;
  readonly sourceSystem: string;
  readonly sourceRecordType: string;
  readonly sourceId: string;
  readonly date: string;
  readonly start: string | null;
  readonly end: string | null;
  readonly wholeDay: boolean;
  readonly lessonHourFrom: number | null;
  readonly lessonHourTo: number | null;
  readonly category: Category;
  readonly legalClass: LegalClass;
  readonly missedMinutes: number | null;
  readonly reasonCode: string | null;
  /** The signals that name this record as evidence. */
  readonly evidenceOf: readonly string[];
}

export interface OverviewReport {
  readonly id: string;
  readonly kind: string;
  readonly rule: string;
  readonly status: string;
  readonly action: string;
  readonly signalId: string;
  readonly supersedes: string | null;
  readonly deadline: string | null;
  readonly overdue: boolean;
  readonly createdAt: string;
  readonly decidedAt: string | null;
  readonly externalRef: string | null;
}

export interface PupilOverview {
  readonly pupil: {
    readonly school: string;
    readonly localId: string;
    readonly displayName: string | null;
    readonly name: PupilName | null;
    readonly group: string | null;
    readonly mentor: string | null;
    readonly sector: string;
    readonly education: PupilEducation | null;
    readonly enrolledFrom: string;
    readonly leftOn: string | null;
  };
  readonly period: { readonly from: string; readonly to: string };
  /** The lesson hours the calendar's columns show: the bell schedule's, else those in the records, else 1–8. */
  readonly lessonHours: readonly number[];
  readonly weeks: readonly OverviewWeek[];
  readonly windows: readonly OverviewWindow[];
  /** Every current record of the period, plus every record a window names as evidence. */
  readonly records: readonly OverviewRecord[];
  readonly reports: readonly OverviewReport[];
}

/**
 * The pupil page (issue 13 item 3, ADR 0019): who the pupil is (name, group, mentor, enrolment), a calendar of
 * school weeks with each lesson's canonical category, the threshold windows from the pupil's signals, the
 * evidence records with their source ids, and the pupil's reports. Staff of the pupil's school only: another
 * school's pupil is not found (404), other roles are refused (403).
 */
export class PupilOverviewUseCase {
  constructor(
    private readonly pupils: Pick<PupilRegistry, 'find'>,
    private readonly roster: Pick<PupilRosterStore, 'get'>,
    private readonly signals: Pick<SignalStore, 'currentRecords' | 'signalsOf' | 'reportsOfSignals'>,
    private readonly calendars: Pick<SchoolCalendarStore, 'get'>,
    private readonly clock: Clock,
  ) {}

  async execute(
    actor: Actor,
    school: string,
    localId: string,
    period: { readonly from?: string; readonly to?: string } = {},
  ): Promise<PupilOverview> {
    const scope = requireRosterReadScope(actor);
    const issues = [];
    if (!BRIN_PATTERN.test(school))
      issues.push({
        field: 'brin',
        code: PUPIL_OVERVIEW_ERRORS.BRIN_INVALID,
        message: 'a BRIN is 2 digits and 2 capitals or digits',
      });
    if (!LOCAL_ID.test(localId))
      issues.push({
        field: 'localId',
        code: PUPIL_OVERVIEW_ERRORS.LOCAL_ID_INVALID,
        message: 'letters, digits and . _ : - (1–100)',
      });
    for (const field of ['from', 'to'] as const) {
      const value = period[field];
      if (value !== undefined && !isValidDate(value))
        issues.push({
          field,
          code: PUPIL_OVERVIEW_ERRORS.DATE_INVALID,
          message: 'expected an existing date YYYY-MM-DD',
        });
    }
    if (issues.length > 0)
      throw new ValidationError(PUPIL_OVERVIEW_ERRORS.OVERVIEW_INVALID, 'The request was refused', issues);
    const notFound = () =>
      new NotFoundError(PUPIL_OVERVIEW_ERRORS.PUPIL_NOT_FOUND, 'No such pupil at this school in your scope');
    if (!scope.schools.includes(school)) throw notFound();
    const pupil = await this.pupils.find(scope, localId, school);
    if (pupil === null || pupil.school !== school) throw notFound();

    const today = schoolToday(this.clock.now());
    const stored = await this.calendars.get(scope.board, school);
    const calendar = stored === null ? null : indexCalendar(stored.calendar);
    const { from, to } = periodOf(period, today, calendar);

    const [roster, recordsByPupil, allSignals] = await Promise.all([
      this.roster.get(scope.board, school, localId),
      this.signals.currentRecords(scope.board, [localId]),
      this.signals.signalsOf(scope.board, [localId]),
    ]);
    const records = (recordsByPupil.get(localId) ?? []).filter((r) =>
      administrationCovers(pupil.administration, r.school?.brin ?? null),
    );
    const signals = allSignals.filter((s) => s.school === school);
    const reports = await this.signals.reportsOfSignals(
      scope.board,
      signals.map((s) => s.signal.signalId),
    );

    const windows: OverviewWindow[] = signals
      .filter((s) => !DAILY_CHECK_RULES.includes(s.signal.rule))
      .map(({ status, signal }) => ({
        signalId: signal.signalId,
        rule: signal.rule,
        status,
        beginDate: signal.beginDate,
        endDate: signal.endDate,
        measured: signal.measured,
        threshold: signal.threshold,
        deadline: signal.deadline,
        evidence: signal.evidence,
      }))
      .sort((a, b) => a.beginDate.localeCompare(b.beginDate) || a.signalId.localeCompare(b.signalId));
    const evidenceOf = new Map<string, string[]>();
    for (const window of windows)
      for (const id of window.evidence) evidenceOf.set(id, [...(evidenceOf.get(id) ?? []), window.signalId]);

    const inPeriod = records.filter((r) => r.date >= from && r.date <= to);
    const shown = records
      .filter((r) => (r.date >= from && r.date <= to) || evidenceOf.has(r.recordId))
      .sort(
        (a, b) =>
          a.date.localeCompare(b.date) ||
          (a.lessonHourFrom ?? 0) - (b.lessonHourFrom ?? 0) ||
          a.recordId.localeCompare(b.recordId),
      );
    return {
      pupil: {
        school,
        localId,
        displayName: roster?.displayName ?? null,
        name: roster?.name ?? null,
        group: roster?.group ?? null,
        mentor: roster?.mentor ?? null,
        sector: pupil.sector,
        education: pupil.education ?? null,
        enrolledFrom: pupil.enrolledFrom,
        leftOn: pupil.leftOn,
      },
      period: { from, to },
      lessonHours: lessonHoursOf(stored?.calendar.bellSchedule, records),
      weeks: weeksOf(from, to, calendar, stored?.calendar, inPeriod, windows),
      windows,
      records: shown.map((r) => recordOf(r, evidenceOf.get(r.recordId) ?? [])),
      reports: reports
        .map((r) => ({
          id: r.id,
          kind: r.kind,
          rule: r.rule,
          status: r.status,
          action: r.action,
          signalId: r.signalId,
          supersedes: r.supersedes,
          deadline: r.deadline,
          overdue: r.overdue,
          createdAt: r.createdAt,
          decidedAt: r.decidedAt,
          externalRef: r.chain?.externalRef ?? null,
        }))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)),
    };
  }
}

function periodOf(
  period: { readonly from?: string; readonly to?: string },
  today: string,
  calendar: CalendarIndex | null,
): { from: string; to: string } {
  const todayNo = dayNumber(today);
  // Without an end: the Sunday of this week (the calendar then ends with the current week).
  const to = period.to ?? dateOf(mondayOf(todayNo) + 6);
  let from = period.from;
  if (from === undefined) {
    // Back from the week of `to`, counting weeks with a school day (all weeks without a calendar), at most a year.
    let monday = mondayOf(dayNumber(to));
    let counted = 0;
    for (let step = 0; step < 53 && counted < OVERVIEW_DEFAULT_WEEKS; step++, monday -= 7) {
      const hasSchool =
        calendar === null ||
        monday + 6 < calendar.first ||
        monday > calendar.last ||
        [0, 1, 2, 3, 4, 5, 6].some((d) => calendar.isSchoolDay(monday + d));
      if (hasSchool) counted++;
      if (counted === OVERVIEW_DEFAULT_WEEKS) break;
    }
    from = dateOf(monday);
    if (dayNumber(to) - monday + 1 > OVERVIEW_MAX_DAYS) from = dateOf(dayNumber(to) - OVERVIEW_MAX_DAYS + 1);
  }
  const span = dayNumber(to) - dayNumber(from) + 1;
  if (span < 1 || span > OVERVIEW_MAX_DAYS)
    throw new ValidationError(PUPIL_OVERVIEW_ERRORS.OVERVIEW_INVALID, 'The request was refused', [
      {
        field: 'to',
        code: PUPIL_OVERVIEW_ERRORS.PERIOD_INVALID,
        message: `from must not lie after to, and the period may span at most ${OVERVIEW_MAX_DAYS} days`,
      },
    ]);
  return { from, to };
}

function mondayOf(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7);
}

function weeksOf(
  from: string,
  to: string,
  calendar: CalendarIndex | null,
  source: { readonly closedDays: readonly { date: string; name: string }[] } | undefined,
  records: readonly CanonicalRecord[],
  windows: readonly OverviewWindow[],
): OverviewWeek[] {
  const byDate = new Map<string, CanonicalRecord[]>();
  for (const record of records) byDate.set(record.date, [...(byDate.get(record.date) ?? []), record]);
  const closed = new Map((source?.closedDays ?? []).map((c) => [c.date, c.name]));
  const weeks: OverviewWeek[] = [];
  const first = dayNumber(from);
  const last = dayNumber(to);
  for (let monday = mondayOf(first); monday <= last; monday += 7) {
    const days: OverviewDay[] = [];
    for (let offset = 0; offset < 7; offset++) {
      const day = monday + offset;
      const date = dateOf(day);
      const dayRecords = byDate.get(date) ?? [];
      // Weekends are shown only when the school has lessons (or records) on them.
      const schoolDay =
        calendar !== null && day >= calendar.first && day <= calendar.last
          ? calendar.isSchoolDay(day)
          : offset < 5;
      if (offset >= 5 && !schoolDay && dayRecords.length === 0) continue;
      if (day < first || day > last) continue;
      const holiday = calendar?.holidays.find((h) => day >= h.start && day <= h.end);
      days.push({
        date,
        weekday: WEEKDAYS[offset],
        schoolDay,
        closedFor: holiday?.name ?? closed.get(date) ?? null,
        cells: dayRecords
          .map((r) => ({
            recordId: r.recordId,
            lessonHourFrom: r.lessonHourFrom,
            lessonHourTo: r.lessonHourTo,
            start: r.start,
            end: r.end,
            wholeDay: r.wholeDay,
            category: r.category,
            legalClass: r.legalClass,
          }))
          .sort(
            (a, b) =>
              (a.lessonHourFrom ?? 0) - (b.lessonHourFrom ?? 0) || a.recordId.localeCompare(b.recordId),
          ),
      });
    }
    const weekStart = dateOf(monday);
    const weekEnd = dateOf(monday + 6);
    weeks.push({
      weekStart,
      days,
      windows: windows.filter((w) => w.beginDate <= weekEnd && w.endDate >= weekStart).map((w) => w.signalId),
    });
  }
  return weeks;
}

function lessonHoursOf(
  bellSchedule: readonly { readonly lessonHour: number }[] | undefined,
  records: readonly CanonicalRecord[],
): number[] {
  const hours = new Set<number>((bellSchedule ?? []).map((slot) => slot.lessonHour));
  if (hours.size === 0) {
    for (const record of records) {
      if (record.lessonHourFrom === null) continue;
      const until = Math.min(record.lessonHourTo ?? record.lessonHourFrom, record.lessonHourFrom + 16);
      for (let hour = record.lessonHourFrom; hour <= until; hour++) hours.add(hour);
    }
  }
  if (hours.size === 0) for (let hour = 1; hour <= 8; hour++) hours.add(hour);
  return [...hours].sort((a, b) => a - b);
}

function recordOf(record: CanonicalRecord, evidenceOf: readonly string[]): OverviewRecord {
  return {
    recordId: record.recordId,
    sourceSystem: record.sourceSystem,
    sourceRecordType: record.sourceRecordType,
    sourceId: record.sourceId,
    date: record.date,
    start: record.start,
    end: record.end,
    wholeDay: record.wholeDay,
    lessonHourFrom: record.lessonHourFrom,
    lessonHourTo: record.lessonHourTo,
    category: record.category,
    legalClass: record.legalClass,
    missedMinutes: record.missedMinutes,
    reasonCode: record.reasonCode,
    evidenceOf,
  };
}
