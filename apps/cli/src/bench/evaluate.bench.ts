import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CanonicalRecord, Category, SchoolCalendar, SchoolSector, SignalPupil } from '#domain';
import { CATEGORY_INFO, mulberry32 } from '#domain';
import {
  IncrementalEvaluator,
  type IncrementalChanges,
  type Rulepack,
  dateOf,
  dayNumber,
  evaluate,
  indexCalendar,
} from '#signals';

/** The demo school's calendar (config/demo/calendar.json, the example calendar of 2025-2026), for the benchmark. */
export const BENCH_CALENDAR: SchoolCalendar = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../../../config/demo/calendar.json', import.meta.url)), 'utf8'),
) as SchoolCalendar;

export interface Board {
  readonly pupils: SignalPupil[];
  readonly records: CanonicalRecord[];
  readonly schoolDays: string[];
}

const SCHOOL = { brin: '99XX' };
const MAPPING = { source: 'school' as const, version: 'bench' };

/**
 * A school board of `pupils` pupils over one school year: mostly presence checks and authorised absence
 * (sickness, medical visits, leave), lateness for many, and for some pupils the patterns the rules look for
 * (truancy, long absence, unexplained absence, suspensions).
 */
export function generateBoard(pupilCount: number, seed = 42): Board {
  const rand = mulberry32(seed);
  const cal = indexCalendar(BENCH_CALENDAR);
  const schoolDays = Array.from(cal.schoolDays, (d) => dateOf(d));
  const n = schoolDays.length;
  const pupils: SignalPupil[] = [];
  const records: CanonicalRecord[] = [];
  const pick = (k: number): number => Math.floor(rand() * k);
  for (let p = 0; p < pupilCount; p++) {
    const localId = `L${String(p).padStart(6, '0')}`;
    const primary = p % 5 === 0;
    const sector: SchoolSector = primary ? 'po' : p % 17 === 0 ? 'mbo' : 'vo';
    const birthYear = primary ? 2014 + pick(6) : sector === 'mbo' ? 2005 + pick(4) : 2008 + pick(5);
    const birthDate = `${birthYear}-${String(1 + pick(12)).padStart(2, '0')}-${String(1 + pick(28)).padStart(2, '0')}`;
    pupils.push({
      localId,
      birthDate,
      sector,
      ...(sector === 'mbo' ? { startkwalificatie: rand() < 0.3 } : {}),
    });
    let seq = 0;
    const add = (
      day: number,
      category: Category,
      via: CanonicalRecord['registeredVia'],
      hour: number | null,
      minutes: number,
      explainedBy: string | null = null,
    ): string => {
      const date = schoolDays[day];
      const recordId = `${localId}-${seq++}`;
      records.push({
        recordId,
        sourceSystem: 'somtoday',
        sourceRecordType: via === 'TEACHER_CHECK' ? 'waarneming' : 'absentiemelding',
        sourceId: recordId,
        pupil: { localId },
        school: SCHOOL,
        date,
        start: null,
        end: null,
        wholeDay: hour === null,
        lessonHourFrom: hour,
        lessonHourTo: hour,
        category,
        legalClass: CATEGORY_INFO[category].legalClass ?? 'authorised',
        registeredVia: via,
        missedMinutes: minutes,
        missedLessons: hour === null ? (primary ? null : 7) : 1,
        reasonCode: null,
        explainedBy,
        mapping: MAPPING,
      });
      return recordId;
    };
    // Presence checks: about 40 lessons spread over the year.
    for (let i = 0; i < 40; i++) add(pick(n), 'PRESENT', 'TEACHER_CHECK', 1 + pick(8), 0);
    // Sickness: 1–4 episodes of 1–3 days (a report per day and the teacher's linked check).
    for (let e = 0, episodes = 1 + pick(4); e < episodes; e++) {
      const start = pick(n - 3);
      for (let d = 0, len = 1 + pick(3); d < len; d++) {
        const id = add(start + d, 'SICK', 'REPORT', null, primary ? 330 : 350);
        add(start + d, 'UNEXPLAINED', 'TEACHER_CHECK', 1, 50, id);
      }
    }
    // Medical visits and lateness.
    // A reported lesson is usually also checked by the teacher, linked to the report (the daily check).
    const reportLesson = (day: number, category: Category, hour: number): void => {
      const id = add(day, category, 'REPORT', hour, 50);
      if (rand() < 0.97) add(day, 'UNEXPLAINED', 'TEACHER_CHECK', hour, 50, id);
    };
    for (let i = 0, k = pick(4); i < k; i++) reportLesson(pick(n), 'MEDICAL_VISIT', 1 + pick(8));
    for (let i = 0, k = rand() < 0.2 ? 10 + pick(8) : pick(5); i < k; i++)
      add(pick(n), 'LATE_UNAUTHORISED', 'TEACHER_CHECK', 1, 5 + pick(20));
    // Truancy pattern (8 %): skipped lessons clustered in a few weeks.
    if (rand() < 0.08) {
      const start = pick(n - 20);
      for (let i = 0; i < 12; i++) {
        const day = start + pick(20);
        for (let h = 1 + pick(4), to = h + 2 + pick(4); h <= to; h++) reportLesson(day, 'UNAUTHORISED', h);
      }
    }
    // Long continuous absence (1 %).
    if (rand() < 0.01) {
      const start = pick(n - 30);
      for (let d = 0; d < 28; d++) add(start + d, 'UNAUTHORISED', 'REPORT', null, primary ? 330 : 350);
    }
    // Unexplained absence the school must call back about (3 %), holiday leave (2 %), suspension (0.5 %).
    if (rand() < 0.03) add(pick(n), 'UNEXPLAINED', 'TEACHER_CHECK', 1 + pick(8), 50);
    if (rand() < 0.02)
      for (let d = 0, s = pick(n - 5); d < 3; d++) add(s + d, 'LEAVE_HOLIDAY', 'REPORT', null, 350);
    if (rand() < 0.005)
      for (let d = 0, s = pick(n - 5); d < 3; d++) add(s + d, 'SCHOOL_SUSPENSION', 'REPORT', null, 350);
  }
  return { pupils, records, schoolDays };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

/** The in-memory run: its result, and what the store-backed increment (`evaluate-store.bench.ts`) checks against. */
export interface InMemoryEvaluation {
  readonly result: Record<string, unknown>;
  readonly board: Board;
  /** The in-memory evaluator after the one-day increment (its signals are those of the last school day). */
  readonly evaluator: IncrementalEvaluator;
  /** What the one-day increment changed in memory. */
  readonly changes: IncrementalChanges;
}

/**
 * Full evaluation of a board's school year and a one-day increment. The engine limit is the least work any
 * evaluation must do — one pass grouping the records by pupil and summing their minutes — measured in this run.
 */
export function benchEvaluate(pupilCount: number, rulepack: Rulepack): Record<string, unknown> {
  return evaluateInMemory(pupilCount, rulepack).result;
}

/** `benchEvaluate`, with the board and the evaluator's state kept for the store-backed increment. */
export function evaluateInMemory(pupilCount: number, rulepack: Rulepack): InMemoryEvaluation {
  const generated = process.hrtime.bigint();
  const board = generateBoard(pupilCount);
  const generateSeconds = seconds(generated);
  const records = board.records;
  const lastDay = board.schoolDays[board.schoolDays.length - 1];
  const asOf = lastDay;

  // Engine limit: group by pupil and sum minutes, one pass.
  let limitSeconds = Number.POSITIVE_INFINITY;
  let checksum = 0;
  for (let rep = 0; rep < 3; rep++) {
    const t = process.hrtime.bigint();
    const groups = new Map<string, { minutes: number; records: CanonicalRecord[] }>();
    for (const r of records) {
      let g = groups.get(r.pupil.localId);
      if (!g) {
        g = { minutes: 0, records: [] };
        groups.set(r.pupil.localId, g);
      }
      g.records.push(r);
      g.minutes += r.missedMinutes ?? 0;
    }
    for (const g of groups.values()) checksum += g.minutes;
    limitSeconds = Math.min(limitSeconds, seconds(t));
  }

  // Full evaluation (best of 2, the first warms the JIT).
  let fullSeconds = Number.POSITIVE_INFINITY;
  let signals = 0;
  const byRule: Record<string, number> = {};
  for (let rep = 0; rep < 2; rep++) {
    const t = process.hrtime.bigint();
    const out = evaluate({ pupils: board.pupils, records, calendar: BENCH_CALENDAR, rulepack, asOf });
    fullSeconds = Math.min(fullSeconds, seconds(t));
    signals = out.length;
    if (rep === 0) for (const s of out) byRule[s.rule] = (byRule[s.rule] ?? 0) + 1;
  }

  // One-day increment: everything up to the day before, then the last school day's records.
  const lastDayNo = dayNumber(lastDay);
  const before = records.filter((r) => dayNumber(r.date) < lastDayNo);
  const today = records.filter((r) => dayNumber(r.date) === lastDayNo);
  const evaluator = new IncrementalEvaluator(board.pupils, BENCH_CALENDAR, rulepack);
  const loaded = process.hrtime.bigint();
  evaluator.apply(before, board.schoolDays[board.schoolDays.length - 2] ?? lastDay);
  const loadSeconds = seconds(loaded);
  const inc = process.hrtime.bigint();
  const changes = evaluator.apply(today, lastDay);
  const incrementSeconds = seconds(inc);

  const recordsPerSecond = Math.round(records.length / fullSeconds);
  const engineLimitRecordsPerSecond = Math.round(records.length / limitSeconds);
  const result = {
    scenario: 'evaluate',
    records: records.length,
    seconds: round(fullSeconds),
    recordsPerSecond,
    engineLimitRecordsPerSecond,
    ratio: round(recordsPerSecond / engineLimitRecordsPerSecond),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    mode: 'one core, in-process; engine limit = one pass grouping records by pupil and summing minutes',
    pupils: board.pupils.length,
    schoolDays: board.schoolDays.length,
    signals,
    signalsByRule: byRule,
    generateSeconds: round(generateSeconds),
    increment: {
      date: lastDay,
      records: today.length,
      seconds: round(incrementSeconds),
      added: changes.added.length,
      changed: changes.changed.length,
      withdrawn: changes.withdrawn.length,
      initialLoadSeconds: round(loadSeconds),
    },
    targets: { recordsPerSecond: 1_000_000, incrementSeconds: 1 },
    checksum,
  };
  return { result, board, evaluator, changes };
}
