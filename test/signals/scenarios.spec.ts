/**
 * The scenario table of issue 4: each case cites the article or source it follows (shared/domain/absence-law.md,
 * categories.md, seed chapter 3). `rules` lists the rules a case checks; `expect` is exactly what those rules give.
 */
import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import type { CanonicalRecord, Signal, SignalPupil, SignalRule } from '#domain';
import { type Rulepack, evaluatePupil, loadRulepack } from '#signals';
import {
  CALENDAR,
  NATIONAL,
  NATIONAL_RAW,
  UTRECHT,
  lessons,
  nSchoolDays,
  pupil,
  rec,
  schoolDays,
  truantDays,
} from './support.js';

interface Expect {
  readonly rule: SignalRule;
  readonly reportKind?: Signal['reportKind'];
  readonly mandatory?: boolean;
  readonly beginDate?: string;
  readonly endDate?: string;
  readonly deadline?: string | null;
  readonly measured?: Partial<Signal['measured']>;
  readonly evidenceCount?: number;
  readonly rulepackId?: string;
  readonly detail?: Record<string, unknown>;
}

interface Scenario {
  readonly name: string;
  readonly source: string;
  readonly pupil?: Partial<SignalPupil>;
  readonly records: readonly CanonicalRecord[];
  readonly pack?: Rulepack;
  readonly asOf?: string;
  readonly rules: readonly SignalRule[];
  readonly expect: readonly Expect[];
}

const U = 'UNAUTHORISED' as const;
const LPW = 'absence-law.md §2.1; LPW art. 21/21a';
const ADULT = '2007-06-01';
const luxuryPack = loadRulepack(NATIONAL_RAW, {
  id: 'school-luxe',
  version: '1',
  effectiveFrom: '2025-08-01',
  kind: 'regional',
  rules: { LPW_LUXE: { luxuryReasonCodes: ['VAK'] } },
});

const SCENARIOS: readonly Scenario[] = [
  // ── LPW_16H_4W: unit per sector ─────────────────────────────────────────────────────────────────
  {
    name: 'vo: 16 lessons of 50 minutes reach 16 lesson hours',
    source: `${LPW}; unit per sector (lesson ≤ 60 min = 1 hour)`,
    records: [...lessons('2025-09-08', 1, 8, U), ...lessons('2025-09-09', 1, 8, U)],
    rules: ['LPW_16H_4W'],
    expect: [
      {
        rule: 'LPW_16H_4W',
        reportKind: '16U_MINDERJARIG',
        mandatory: true,
        beginDate: '2025-09-08',
        endDate: '2025-09-09',
        deadline: '2025-09-16',
        measured: { unauthorisedMinutes: 800, unauthorisedLessons: 16, unit: 'LESSON_HOUR', hours: 16 },
        evidenceCount: 16,
        rulepackId: 'nl-national',
      },
    ],
  },
  {
    name: 'po: the same 16 lessons of 50 minutes are 13.3 clock hours: no signal',
    source: `${LPW}; unit per sector (po counts clock hours)`,
    pupil: { sector: 'po', birthDate: '2016-05-01' },
    records: [...lessons('2025-09-08', 1, 8, U), ...lessons('2025-09-09', 1, 8, U)],
    rules: ['LPW_16H_4W'],
    expect: [],
  },
  {
    name: 'po: 16 clock hours over four days',
    source: `${LPW}; categories.md principle 3 (clock hour)`,
    pupil: { sector: 'po', birthDate: '2016-05-01' },
    records: schoolDays('2025-09-08', '2025-09-11').map((d) => rec(d, U, { minutes: 240, lessons: null })),
    rules: ['LPW_16H_4W'],
    expect: [
      {
        rule: 'LPW_16H_4W',
        endDate: '2025-09-11',
        measured: { unit: 'CLOCK_HOUR', hours: 16, unauthorisedMinutes: 960 },
      },
    ],
  },
  {
    name: 'vo: 15 lessons, one below the threshold: no signal',
    source: `${LPW}; threshold ≥ 16 (UNCONFIRMED, default)`,
    records: [...lessons('2025-09-08', 1, 8, U), ...lessons('2025-09-09', 1, 7, U)],
    rules: ['LPW_16H_4W'],
    expect: [],
  },
  {
    name: 'vo: 17 lessons: the end date is the day the 16th was reached',
    source: `${LPW}; einddatum = the day 16 hours was reached`,
    records: [
      ...lessons('2025-09-08', 1, 8, U),
      ...lessons('2025-09-09', 1, 8, U),
      ...lessons('2025-09-10', 1, 1, U),
    ],
    rules: ['LPW_16H_4W'],
    expect: [{ rule: 'LPW_16H_4W', beginDate: '2025-09-08', endDate: '2025-09-09', evidenceCount: 16 }],
  },
  {
    name: 'spread over four school weeks: begin = first absence day counted',
    source: `${LPW}; begindatum = first day of absence counted`,
    records: ['2025-09-08', '2025-09-17', '2025-09-22', '2025-10-02'].flatMap((d) => lessons(d, 1, 4, U)),
    rules: ['LPW_16H_4W'],
    expect: [{ rule: 'LPW_16H_4W', beginDate: '2025-09-08', endDate: '2025-10-02' }],
  },
  {
    name: 'spread over five school weeks: no signal',
    source: `${LPW}; 4 consecutive school weeks`,
    records: [...lessons('2025-09-01', 1, 8, U), ...lessons('2025-09-29', 1, 8, U)],
    rules: ['LPW_16H_4W'],
    expect: [],
  },
  {
    name: 'autumn holiday week inside the window is skipped',
    source: `${LPW}; holiday weeks do not count as school weeks`,
    records: [...lessons('2025-10-06', 1, 8, U), ...lessons('2025-11-07', 1, 8, U)],
    rules: ['LPW_16H_4W'],
    expect: [{ rule: 'LPW_16H_4W', beginDate: '2025-10-06', endDate: '2025-11-07' }],
  },
  {
    name: 'two Christmas weeks inside the window are skipped',
    source: `${LPW}; holiday weeks do not count as school weeks`,
    records: [...lessons('2025-12-15', 1, 8, U), ...lessons('2026-01-19', 1, 8, U)],
    rules: ['LPW_16H_4W'],
    expect: [{ rule: 'LPW_16H_4W', beginDate: '2025-12-15', endDate: '2026-01-19' }],
  },
  {
    name: 'five school weeks even with Christmas skipped: no signal',
    source: `${LPW}; 4 consecutive school weeks`,
    records: [...lessons('2025-12-08', 1, 8, U), ...lessons('2026-01-19', 1, 8, U)],
    rules: ['LPW_16H_4W'],
    expect: [],
  },
  {
    name: 'window across the end of summer time (26 Oct 2025): minutes from start/end with offsets',
    source: `${LPW}; contracts §2 (start/end with offset); Europe/Amsterdam school-local dates`,
    records: [
      ...lessons('2025-10-13', 1, 8, U, {
        minutes: null,
        lessons: null,
        start: '2025-10-13T08:30:00+02:00',
        end: '2025-10-13T09:20:00+02:00',
      }),
      ...lessons('2025-10-27', 1, 8, U, {
        minutes: null,
        lessons: null,
        start: '2025-10-27T08:30:00+01:00',
        end: '2025-10-27T09:20:00+01:00',
      }),
    ],
    rules: ['LPW_16H_4W'],
    expect: [
      {
        rule: 'LPW_16H_4W',
        beginDate: '2025-10-13',
        endDate: '2025-10-27',
        measured: { unauthorisedMinutes: 800, unauthorisedLessons: 16 },
      },
    ],
  },
  {
    name: 'window across the start of summer time (29 Mar 2026), po clock hours',
    source: `${LPW}; categories.md principle 3`,
    pupil: { sector: 'po', birthDate: '2016-05-01' },
    records: [
      rec('2026-03-27', U, {
        minutes: null,
        lessons: null,
        start: '2026-03-27T08:30:00+01:00',
        end: '2026-03-27T16:30:00+01:00',
      }),
      rec('2026-03-30', U, {
        minutes: null,
        lessons: null,
        start: '2026-03-30T08:30:00+02:00',
        end: '2026-03-30T16:30:00+02:00',
      }),
    ],
    rules: ['LPW_16H_4W'],
    expect: [
      { rule: 'LPW_16H_4W', endDate: '2026-03-30', measured: { unauthorisedMinutes: 960, hours: 16 } },
    ],
  },
  // ── age at the date that matters ────────────────────────────────────────────────────────────────
  {
    name: '18th birthday inside the window, on the threshold day: 18+, not mandatory',
    source: 'absence-law.md §1 (age at the date) and §2 (V4: 18+ allowed, not mandatory)',
    pupil: { birthDate: '2008-01-14' },
    records: [...lessons('2026-01-13', 1, 8, U), ...lessons('2026-01-14', 1, 8, U)],
    rules: ['LPW_16H_4W'],
    expect: [
      {
        rule: 'LPW_16H_4W',
        reportKind: '16U_MEERDERJARIG',
        mandatory: false,
        endDate: '2026-01-14',
        detail: { duty: 'ALLOWED' },
      },
    ],
  },
  {
    name: '18th birthday the day after the threshold day: under 18, mandatory',
    source: 'absence-law.md §1 (age at the date) and §2 (V3 mandatory)',
    pupil: { birthDate: '2008-01-15' },
    records: [...lessons('2026-01-13', 1, 8, U), ...lessons('2026-01-14', 1, 8, U)],
    rules: ['LPW_16H_4W'],
    expect: [{ rule: 'LPW_16H_4W', reportKind: '16U_MINDERJARIG', mandatory: true }],
  },
  {
    name: '18+ under a regional reporting agreement: expected, named by the regional pack',
    source: 'absence-law.md §2 (V4: per-region setting)',
    pupil: { birthDate: ADULT },
    pack: UTRECHT,
    records: [...lessons('2025-09-08', 1, 8, U), ...lessons('2025-09-09', 1, 8, U)],
    rules: ['LPW_16H_4W'],
    expect: [
      {
        rule: 'LPW_16H_4W',
        reportKind: '16U_MEERDERJARIG',
        mandatory: false,
        rulepackId: 'rmc-utrecht',
        detail: { duty: 'EXPECTED' },
      },
    ],
  },
  // ── follow-up reports, continuous absence, the 7-day rule ──────────────────────────────────────
  {
    name: 'a second 16 hours is a follow-up report',
    source: `${LPW}; each new 16 hours is a new report (vervolgmelding)`,
    records: ['2025-09-08', '2025-09-09', '2025-09-22', '2025-09-23'].flatMap((d) => lessons(d, 1, 8, U)),
    rules: ['LPW_16H_4W'],
    expect: [
      { rule: 'LPW_16H_4W', endDate: '2025-09-09', detail: { followUp: false } },
      { rule: 'LPW_16H_4W', beginDate: '2025-09-22', endDate: '2025-09-23', detail: { followUp: true } },
    ],
  },
  {
    name: 'counting restarts the day after the end date (absence that day counts toward the next)',
    source: `${LPW}; counting restarts the day after the einddatum`,
    records: [
      ...lessons('2025-09-08', 1, 8, U),
      ...lessons('2025-09-09', 1, 8, U),
      ...lessons('2025-09-10', 1, 4, U),
      ...lessons('2025-09-29', 1, 8, U),
      ...lessons('2025-09-30', 1, 4, U),
    ],
    rules: ['LPW_16H_4W'],
    expect: [
      { rule: 'LPW_16H_4W', beginDate: '2025-09-08', endDate: '2025-09-09' },
      { rule: 'LPW_16H_4W', beginDate: '2025-09-10', endDate: '2025-09-30' },
    ],
  },
  {
    name: 'continuous absence: at most one report per 7 calendar days',
    source: `${LPW}; duo.nl: one report per 7 calendar days during continuous absence`,
    records: truantDays(schoolDays('2025-09-01', '2025-09-19')),
    rules: ['LPW_16H_4W', 'LPW_LRV'],
    expect: [
      { rule: 'LPW_16H_4W', beginDate: '2025-09-01', endDate: '2025-09-02' },
      { rule: 'LPW_16H_4W', beginDate: '2025-09-03', endDate: '2025-09-09' },
      { rule: 'LPW_16H_4W', beginDate: '2025-09-10', endDate: '2025-09-16' },
    ],
  },
  {
    name: 'absence that is not continuous is not held back by the 7-day rule',
    source: `${LPW}; the 7-day rule applies to continuous absence`,
    records: truantDays(['2025-09-01', '2025-09-02', '2025-09-04', '2025-09-05']),
    rules: ['LPW_16H_4W'],
    expect: [
      { rule: 'LPW_16H_4W', endDate: '2025-09-02' },
      { rule: 'LPW_16H_4W', beginDate: '2025-09-04', endDate: '2025-09-05' },
    ],
  },
  {
    name: 'deadline: 5 working days after a Thursday end date, over the weekend',
    source: `${LPW}; "onverwijld" = within 5 working days`,
    records: [...lessons('2025-09-10', 1, 8, U), ...lessons('2025-09-11', 1, 8, U)],
    rules: ['LPW_16H_4W'],
    expect: [{ rule: 'LPW_16H_4W', endDate: '2025-09-11', deadline: '2025-09-18' }],
  },
  // ── what does not count ─────────────────────────────────────────────────────────────────────────
  {
    name: 'sickness never counts toward the 16 hours (and 5 sick days are no MAZL signal)',
    source: 'absence-law.md §3 (sickness is authorised); categories.md SICK',
    records: truantDays(schoolDays('2025-09-08', '2025-09-12'), 'SICK'),
    rules: ['LPW_16H_4W', 'MAZL'],
    expect: [],
  },
  {
    name: '10 unauthorised + 10 sick lessons: no signal',
    source: 'absence-law.md §3; categories.md (only unauthorised counts)',
    records: [
      ...lessons('2025-09-08', 1, 8, U),
      ...lessons('2025-09-09', 1, 2, U),
      ...lessons('2025-09-10', 1, 8, 'SICK'),
      ...lessons('2025-09-11', 1, 2, 'SICK'),
    ],
    rules: ['LPW_16H_4W'],
    expect: [],
  },
  {
    name: 'a teacher check explained by the report is not counted twice',
    source: 'categories.md principle 2 (the daily check links report and teacher check)',
    records: [
      ...lessons('2025-09-08', 1, 8, U),
      ...lessons('2025-09-08', 1, 8, U, { via: 'TEACHER_CHECK', explainedBy: 'r-report' }),
    ],
    rules: ['LPW_16H_4W'],
    expect: [],
  },
  {
    name: 'a report and an unlinked teacher check of the same lesson count once',
    source: 'categories.md principle 2',
    records: [...lessons('2025-09-08', 1, 8, U), ...lessons('2025-09-08', 1, 8, U, { via: 'TEACHER_CHECK' })],
    rules: ['LPW_16H_4W'],
    expect: [],
  },
  {
    name: 'suspension is authorised: 16 lessons of suspension do not count',
    source: 'absence-law.md §3 (suspension is authorised absence); LPW 11',
    records: truantDays(['2025-09-08', '2025-09-09'], 'SCHOOL_SUSPENSION'),
    rules: ['LPW_16H_4W'],
    expect: [],
  },
  {
    name: 'a child not yet of compulsory school age (4) is not counted',
    source: 'absence-law.md §1; LPW art. 3',
    pupil: { sector: 'po', birthDate: '2021-01-10' },
    records: schoolDays('2025-09-08', '2025-09-12').map((d) => rec(d, U, { minutes: 300 })),
    rules: ['LPW_16H_4W'],
    expect: [],
  },
  {
    name: 'under 6: 4 hours a week kept home is allowed and not counted',
    source: 'absence-law.md §4; LPW art. 11a',
    pupil: { sector: 'po', birthDate: '2020-06-01' },
    records: schoolDays('2025-09-08', '2025-09-26').map((d) => rec(d, 'LEAVE_UNDER_SIX', { minutes: 48 })),
    rules: ['LPW_16H_4W', 'LEAVE_LIMIT'],
    expect: [],
  },
  {
    name: 'under 6: 12 hours in a week is beyond the 5 + 5 hour allowance',
    source: 'absence-law.md §4; LPW art. 11a',
    pupil: { sector: 'po', birthDate: '2020-06-01' },
    records: schoolDays('2025-09-08', '2025-09-10').map((d) => rec(d, 'LEAVE_UNDER_SIX', { minutes: 240 })),
    rules: ['LPW_16H_4W', 'LEAVE_LIMIT'],
    expect: [{ rule: 'LEAVE_LIMIT', detail: { kind: 'UNDER_SIX_OVER_ALLOWANCE', allowanceHours: 10 } }],
  },
  // ── LRV and Doorstroompunt ──────────────────────────────────────────────────────────────────────
  {
    name: 'LRV: continuous unauthorised absence longer than 4 weeks',
    source: 'absence-law.md §2 (LRV); duo.nl verzuim digitaal melden',
    records: truantDays(schoolDays('2025-09-01', '2025-10-10')),
    rules: ['LPW_LRV'],
    expect: [
      {
        rule: 'LPW_LRV',
        reportKind: 'LRV',
        mandatory: true,
        beginDate: '2025-09-01',
        endDate: '2025-09-29',
        detail: { lastAbsentDay: '2025-10-10' },
      },
    ],
  },
  {
    name: 'LRV: exactly 4 weeks is not longer than 4 weeks',
    source: 'absence-law.md §2 (LRV: longer than 4 weeks)',
    records: truantDays(schoolDays('2025-09-01', '2025-09-26')),
    rules: ['LPW_LRV'],
    expect: [],
  },
  {
    name: 'Doorstroompunt: 19, mbo, no startkwalificatie, 4 weeks continuous (no LRV at 18+)',
    source: 'absence-law.md §1, §2 (RMC); WEB art. 8.1.8a',
    pupil: { sector: 'mbo', birthDate: ADULT, startkwalificatie: false },
    records: truantDays(schoolDays('2025-09-01', '2025-10-03')),
    rules: ['WEB_DOORSTROOMPUNT', 'LPW_LRV'],
    expect: [
      {
        rule: 'WEB_DOORSTROOMPUNT',
        reportKind: 'DOORSTROOMPUNT',
        mandatory: true,
        beginDate: '2025-09-01',
        endDate: '2025-09-29',
      },
    ],
  },
  {
    name: 'Doorstroompunt: with a startkwalificatie, no signal',
    source: 'absence-law.md §1 (no startkwalificatie); WEB art. 8.1.8a',
    pupil: { sector: 'mbo', birthDate: ADULT, startkwalificatie: true },
    records: truantDays(schoolDays('2025-09-01', '2025-10-03')),
    rules: ['WEB_DOORSTROOMPUNT', 'LPW_LRV'],
    expect: [],
  },
  {
    name: 'Doorstroompunt: startkwalificatie obtained after the absence still counts as none at the date',
    source: 'absence-law.md §1 (evaluated at the date of the absence)',
    pupil: { sector: 'mbo', birthDate: ADULT, startkwalificatie: true, startkwalificatieSince: '2025-12-01' },
    records: truantDays(schoolDays('2025-09-01', '2025-10-03')),
    rules: ['WEB_DOORSTROOMPUNT'],
    expect: [{ rule: 'WEB_DOORSTROOMPUNT', endDate: '2025-09-29' }],
  },
  {
    name: 'Doorstroompunt: 23 years old is outside 18–23',
    source: 'absence-law.md §1 (18 up to 23); WEB art. 8.1.8a',
    pupil: { sector: 'mbo', birthDate: '2002-01-01', startkwalificatie: false },
    records: truantDays(schoolDays('2025-09-01', '2025-10-03')),
    rules: ['WEB_DOORSTROOMPUNT', 'LPW_LRV'],
    expect: [],
  },
  {
    name: '17-year-old mbo pupil: LRV, not Doorstroompunt',
    source: 'absence-law.md §1 (kwalificatieplicht until 18), §2',
    pupil: { sector: 'mbo', birthDate: '2008-06-01', startkwalificatie: false },
    records: truantDays(schoolDays('2025-09-01', '2025-10-03')),
    rules: ['WEB_DOORSTROOMPUNT', 'LPW_LRV'],
    expect: [{ rule: 'LPW_LRV', endDate: '2025-09-29' }],
  },
  // ── luxe verzuim ────────────────────────────────────────────────────────────────────────────────
  {
    name: 'luxe: absent without leave the Friday before the autumn holiday',
    source: 'absence-law.md §2 (L), §4 (holiday without approval is luxe verzuim)',
    records: truantDays(['2025-10-17']),
    rules: ['LPW_LUXE'],
    expect: [
      {
        rule: 'LPW_LUXE',
        reportKind: 'LUXE',
        mandatory: true,
        beginDate: '2025-10-17',
        endDate: '2025-10-17',
        deadline: '2025-10-24',
        detail: { holidayAfter: 'Herfstvakantie' },
      },
    ],
  },
  {
    name: 'luxe: absent the Monday and Tuesday after the autumn holiday',
    source: 'absence-law.md §2 (L)',
    records: truantDays(['2025-10-27', '2025-10-28']),
    rules: ['LPW_LUXE'],
    expect: [
      {
        rule: 'LPW_LUXE',
        beginDate: '2025-10-27',
        endDate: '2025-10-28',
        detail: { holidayBefore: 'Herfstvakantie' },
      },
    ],
  },
  {
    name: 'not luxe: a day off mid-term without a luxury reason',
    source: 'absence-law.md §2 (L: directly around a holiday)',
    records: truantDays(['2025-10-15']),
    rules: ['LPW_LUXE'],
    expect: [],
  },
  {
    name: 'not luxe: one missed lesson on the Friday before the holiday is no absent day',
    source: 'absence-law.md §2 (L: holiday taken); rulepack absentDayMinMinutes',
    records: lessons('2025-10-17', 1, 1, U),
    rules: ['LPW_LUXE'],
    expect: [],
  },
  {
    name: 'luxe: a reason code the school flags as luxury, mid-term',
    source: 'absence-law.md §2 (L); issue 4 (a reason the mapping flags as luxury)',
    pack: luxuryPack,
    records: lessons('2025-11-19', 1, 2, U, { reasonCode: 'VAK' }),
    rules: ['LPW_LUXE'],
    expect: [
      {
        rule: 'LPW_LUXE',
        beginDate: '2025-11-19',
        rulepackId: 'school-luxe',
        detail: { luxuryReasonCode: true },
      },
    ],
  },
  // ── leave limits ────────────────────────────────────────────────────────────────────────────────
  {
    name: 'holiday leave of 11 school days is beyond the 10-day limit',
    source: 'absence-law.md §4; LPW art. 13a',
    records: nSchoolDays('2025-11-17', 11).map((d) => rec(d, 'LEAVE_HOLIDAY')),
    rules: ['LEAVE_LIMIT'],
    expect: [
      {
        rule: 'LEAVE_LIMIT',
        reportKind: null,
        beginDate: '2025-11-17',
        detail: { kind: 'HOLIDAY_LEAVE_TOO_LONG', schoolDays: 11 },
      },
    ],
  },
  {
    name: 'holiday leave of exactly 10 school days is allowed',
    source: 'absence-law.md §4; LPW art. 13a',
    records: nSchoolDays('2025-11-17', 10).map((d) => rec(d, 'LEAVE_HOLIDAY')),
    rules: ['LEAVE_LIMIT'],
    expect: [],
  },
  {
    name: 'holiday leave twice in one school year',
    source: 'absence-law.md §4 (once per school year); LPW art. 13a',
    records: ['2025-11-17', '2025-11-18', '2026-03-09', '2026-03-10'].map((d) => rec(d, 'LEAVE_HOLIDAY')),
    rules: ['LEAVE_LIMIT'],
    expect: [
      {
        rule: 'LEAVE_LIMIT',
        beginDate: '2026-03-09',
        endDate: '2026-03-10',
        detail: { kind: 'HOLIDAY_LEAVE_TOO_OFTEN' },
      },
    ],
  },
  {
    name: 'holiday leave in the first two school weeks',
    source: 'absence-law.md §4 (never in the first 2 school weeks); LPW art. 11f',
    records: [rec('2025-09-08', 'LEAVE_HOLIDAY')],
    rules: ['LEAVE_LIMIT'],
    expect: [
      { rule: 'LEAVE_LIMIT', endDate: '2025-09-08', detail: { kind: 'HOLIDAY_LEAVE_FIRST_SCHOOL_WEEKS' } },
    ],
  },
  {
    name: 'holiday leave in the third school week is fine',
    source: 'absence-law.md §4; LPW art. 11f',
    records: [rec('2025-09-15', 'LEAVE_HOLIDAY')],
    rules: ['LEAVE_LIMIT'],
    expect: [],
  },
  {
    name: 'important-circumstances leave beyond 10 days needs the leerplichtambtenaar',
    source: 'absence-law.md §4; LPW art. 11g, 14',
    records: nSchoolDays('2026-01-12', 11).map((d) => rec(d, 'LEAVE_IMPORTANT_CIRCUMSTANCES')),
    rules: ['LEAVE_LIMIT'],
    expect: [
      {
        rule: 'LEAVE_LIMIT',
        detail: { kind: 'IMPORTANT_CIRCUMSTANCES_NEEDS_LEERPLICHTAMBTENAAR', days: 11 },
      },
    ],
  },
  {
    name: 'important-circumstances leave of 10 days is the head’s decision',
    source: 'absence-law.md §4; LPW art. 14',
    records: nSchoolDays('2026-01-12', 10).map((d) => rec(d, 'LEAVE_IMPORTANT_CIRCUMSTANCES')),
    rules: ['LEAVE_LIMIT'],
    expect: [],
  },
  // ── lateness ladders ────────────────────────────────────────────────────────────────────────────
  {
    name: 'lateness: no national threshold',
    source: 'absence-law.md §5 (no national threshold)',
    records: nSchoolDays('2025-09-01', 15).map((d) =>
      rec(d, 'LATE_UNAUTHORISED', { minutes: 10, lessons: 0 }, 1),
    ),
    rules: ['LATENESS_LADDER'],
    expect: [],
  },
  {
    name: 'lateness ladder 3/6/9/12/15: 7 late arrivals reach steps 1 and 2',
    source: 'absence-law.md §5 (ladder 3/6/9/12/15); regional pack',
    pack: UTRECHT,
    records: nSchoolDays('2025-09-01', 7).map((d) =>
      rec(d, 'LATE_UNAUTHORISED', { minutes: 10, lessons: 0 }, 1),
    ),
    rules: ['LATENESS_LADDER'],
    expect: [
      {
        rule: 'LATENESS_LADDER',
        reportKind: null,
        endDate: '2025-09-03',
        detail: { step: 1, action: 'Mentor spreekt de leerling aan' },
      },
      { rule: 'LATENESS_LADDER', reportKind: null, endDate: '2025-09-08', detail: { step: 2 } },
    ],
  },
  {
    name: 'lateness ladder: the 12th late arrival proposes a report to leerplicht (OVERIG)',
    source: 'absence-law.md §2 (O: lateness), §5 (report at 12)',
    pack: UTRECHT,
    records: nSchoolDays('2025-09-01', 12).map((d) =>
      rec(d, 'LATE_UNAUTHORISED', { minutes: 10, lessons: 0 }, 1),
    ),
    rules: ['LATENESS_LADDER'],
    expect: [
      { rule: 'LATENESS_LADDER', detail: { step: 1 } },
      { rule: 'LATENESS_LADDER', detail: { step: 2 } },
      { rule: 'LATENESS_LADDER', detail: { step: 3 } },
      {
        rule: 'LATENESS_LADDER',
        reportKind: 'OVERIG',
        mandatory: false,
        endDate: '2025-09-16',
        detail: { step: 4 },
      },
    ],
  },
  {
    name: 'lateness: a report and a teacher check of the same late lesson count once',
    source: 'categories.md LATE_UNAUTHORISED (ladders count occurrences); principle 2',
    pack: UTRECHT,
    records: nSchoolDays('2025-09-01', 3).flatMap((d) => [
      rec(d, 'LATE_UNAUTHORISED', { minutes: 10, lessons: 0 }, 1),
      rec(d, 'LATE_UNAUTHORISED', { minutes: 10, lessons: 0, via: 'TEACHER_CHECK' }, 1),
    ]),
    rules: ['LATENESS_LADDER'],
    expect: [{ rule: 'LATENESS_LADDER', detail: { step: 1 } }],
  },
  // ── MAZL ────────────────────────────────────────────────────────────────────────────────────────
  {
    name: 'MAZL: the 4th sick report within 12 school weeks',
    source: 'absence-law.md §6 (ncj.nl MAZL)',
    records: ['2025-09-08', '2025-09-22', '2025-10-06', '2025-10-27'].map((d) => rec(d, 'SICK')),
    rules: ['MAZL', 'LPW_16H_4W'],
    expect: [
      {
        rule: 'MAZL',
        reportKind: null,
        mandatory: false,
        beginDate: '2025-09-08',
        endDate: '2025-10-27',
        detail: { kind: 'SICK_REPORTS' },
      },
    ],
  },
  {
    name: 'MAZL: 4 sick reports spread over 13 school weeks: no signal',
    source: 'absence-law.md §6',
    records: ['2025-09-01', '2025-10-01', '2025-11-03', '2025-12-01'].map((d) => rec(d, 'SICK')),
    rules: ['MAZL'],
    expect: [],
  },
  {
    name: 'MAZL: the 7th consecutive sick school day (across a weekend)',
    source: 'absence-law.md §6',
    records: nSchoolDays('2025-09-08', 7).map((d) => rec(d, 'SICK')),
    rules: ['MAZL'],
    expect: [
      {
        rule: 'MAZL',
        beginDate: '2025-09-08',
        endDate: '2025-09-16',
        detail: { kind: 'CONSECUTIVE_SICK_DAYS' },
      },
    ],
  },
  {
    name: 'MAZL: 6 consecutive sick school days: no signal',
    source: 'absence-law.md §6',
    records: nSchoolDays('2025-09-08', 6).map((d) => rec(d, 'SICK')),
    rules: ['MAZL'],
    expect: [],
  },
  {
    name: 'MAZL national: 4 reports in 10 school weeks (Christmas skipped) signal',
    source: 'absence-law.md §6 (12 school weeks)',
    records: ['2025-12-01', '2025-12-15', '2026-01-19', '2026-03-02'].map((d) => rec(d, 'SICK')),
    rules: ['MAZL'],
    expect: [{ rule: 'MAZL', beginDate: '2025-12-01', endDate: '2026-03-02' }],
  },
  {
    name: 'MAZL regional variant "3 months": the same reports over 91 days do not signal',
    source: 'absence-law.md §6 (regional variants, e.g. 3 months)',
    pack: UTRECHT,
    records: ['2025-12-01', '2025-12-15', '2026-01-19', '2026-03-02'].map((d) => rec(d, 'SICK')),
    rules: ['MAZL'],
    expect: [],
  },
  // ── suspension and expulsion ────────────────────────────────────────────────────────────────────
  {
    name: 'suspension of 1 day: no notice',
    source: 'absence-law.md §3 (suspension longer than 1 day)',
    records: truantDays(['2025-09-08'], 'SCHOOL_SUSPENSION'),
    rules: ['SUSPENSION_NOTICE'],
    expect: [],
  },
  {
    name: 'suspension of 3 days: notice to the Inspectie',
    source: 'absence-law.md §3',
    records: truantDays(schoolDays('2025-09-08', '2025-09-10'), 'SCHOOL_SUSPENSION'),
    rules: ['SUSPENSION_NOTICE'],
    expect: [
      {
        rule: 'SUSPENSION_NOTICE',
        mandatory: true,
        reportKind: null,
        beginDate: '2025-09-08',
        endDate: '2025-09-10',
        deadline: '2025-09-08',
        detail: { recipient: 'INSPECTIE', schoolDays: 3, exceedsMaximum: false },
      },
    ],
  },
  {
    name: 'suspension of 6 school days exceeds the 5-day maximum',
    source: 'absence-law.md §3 (maximum 5 school days)',
    records: truantDays(nSchoolDays('2025-09-08', 6), 'SCHOOL_SUSPENSION'),
    rules: ['SUSPENSION_NOTICE'],
    expect: [{ rule: 'SUSPENSION_NOTICE', detail: { schoolDays: 6, exceedsMaximum: true } }],
  },
  {
    name: 'expulsion: notify the municipality and the Inspectie at once',
    source: 'absence-law.md §3; LPW art. 18',
    records: [rec('2025-11-03', 'SCHOOL_EXPULSION')],
    rules: ['EXPULSION_NOTICE'],
    expect: [
      {
        rule: 'EXPULSION_NOTICE',
        mandatory: true,
        beginDate: '2025-11-03',
        deadline: '2025-11-03',
        detail: { web8_1_8: false },
      },
    ],
  },
  {
    name: 'expulsion in mbo, 19 without startkwalificatie: WEB 8.1.8 notice too',
    source: 'absence-law.md §3; WEB art. 8.1.8',
    pupil: { sector: 'mbo', birthDate: ADULT, startkwalificatie: false },
    records: [rec('2025-11-03', 'SCHOOL_EXPULSION')],
    rules: ['EXPULSION_NOTICE'],
    expect: [{ rule: 'EXPULSION_NOTICE', detail: { web8_1_8: true } }],
  },
  // ── the daily check: unchecked lessons and call-backs ───────────────────────────────────────────
  {
    name: 'unchecked lesson: a reported lesson without the teacher’s check, the day after',
    source: 'categories.md principle 2 (a lesson with no teacher check is a signal to the teacher)',
    asOf: '2025-09-09',
    records: [
      ...lessons('2025-09-08', 3, 4, 'MEDICAL_VISIT'),
      rec('2025-09-08', 'MEDICAL_VISIT', { via: 'TEACHER_CHECK', explainedBy: 'x' }, 3),
    ],
    rules: ['UNCHECKED_LESSON'],
    expect: [{ rule: 'UNCHECKED_LESSON', beginDate: '2025-09-08', detail: { lessonHours: [4] } }],
  },
  {
    name: 'unchecked lesson: not before the grace day has passed',
    source: 'categories.md principle 2; rulepack graceDays',
    asOf: '2025-09-08',
    records: [...lessons('2025-09-08', 3, 4, 'MEDICAL_VISIT')],
    rules: ['UNCHECKED_LESSON'],
    expect: [],
  },
  {
    name: 'call-back: absent at the teacher’s check without a report',
    source: 'categories.md UNEXPLAINED (triggers the call-back) and principle 2',
    records: [rec('2025-09-08', 'UNEXPLAINED', { via: 'TEACHER_CHECK' }, 2)],
    rules: ['CALL_BACK', 'LPW_16H_4W'],
    expect: [
      { rule: 'CALL_BACK', beginDate: '2025-09-08', deadline: '2025-09-08', detail: { lessonHours: [2] } },
    ],
  },
  {
    name: 'no call-back when a report covers the lesson',
    source: 'categories.md principle 2',
    records: [
      rec('2025-09-08', 'UNEXPLAINED', { via: 'TEACHER_CHECK' }, 2),
      rec('2025-09-08', 'SICK', {}, 2),
    ],
    rules: ['CALL_BACK'],
    expect: [],
  },
  {
    name: 'no call-back when the call was made that day',
    source: 'categories.md principle 2 (c: the follow-up call)',
    records: [
      rec('2025-09-08', 'UNEXPLAINED', { via: 'TEACHER_CHECK' }, 2),
      rec('2025-09-08', U, { via: 'CALL_BACK' }),
    ],
    rules: ['CALL_BACK'],
    expect: [],
  },
];

function check(signal: Signal, e: Expect, where: string): void {
  assert.equal(signal.rule, e.rule, where);
  if (e.reportKind !== undefined) assert.equal(signal.reportKind, e.reportKind, `${where} reportKind`);
  if (e.mandatory !== undefined) assert.equal(signal.mandatory, e.mandatory, `${where} mandatory`);
  if (e.beginDate !== undefined) assert.equal(signal.beginDate, e.beginDate, `${where} beginDate`);
  if (e.endDate !== undefined) assert.equal(signal.endDate, e.endDate, `${where} endDate`);
  if (e.deadline !== undefined) assert.equal(signal.deadline, e.deadline, `${where} deadline`);
  if (e.evidenceCount !== undefined)
    assert.equal(signal.evidence.length, e.evidenceCount, `${where} evidence`);
  if (e.rulepackId !== undefined) assert.equal(signal.rulepack.id, e.rulepackId, `${where} rulepack`);
  for (const [k, v] of Object.entries(e.measured ?? {}))
    expect({ where, measured: k, value: signal.measured[k as keyof Signal['measured']] }).toEqual({
      where,
      measured: k,
      value: v,
    });
  for (const [k, v] of Object.entries(e.detail ?? {}))
    expect({ where, detail: k, value: signal.detail?.[k] }).toEqual({ where, detail: k, value: v });
  assert.ok(signal.legalBasis.length > 0, `${where} legalBasis`);
  assert.ok(signal.rulepack.version.length > 0, `${where} rulepack version`);
}

describe('signals scenario table', () => {
  it('has at least 40 cases, each citing its source', () => {
    assert.ok(SCENARIOS.length >= 40, `${SCENARIOS.length} scenarios`);
    for (const s of SCENARIOS) assert.ok(s.source.length > 5, s.name);
  });
  for (const s of SCENARIOS) {
    it(`${s.name} [${s.source}]`, () => {
      const asOf = s.asOf ?? '2026-07-17';
      const signals = evaluatePupil({
        pupil: pupil(s.pupil),
        records: s.records,
        calendar: CALENDAR,
        rulepack: s.pack ?? NATIONAL,
        asOf,
      }).filter((x) => s.rules.includes(x.rule));
      const summary = signals.map(
        (x) => `${x.rule} ${x.beginDate}..${x.endDate} ${JSON.stringify(x.detail ?? {})}`,
      );
      assert.equal(signals.length, s.expect.length, `signals: ${summary.join(' | ')}`);
      s.expect.forEach((e, i) => check(signals[i], e, `${s.name} #${i}`));
    });
  }
});
