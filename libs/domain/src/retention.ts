import { ValidationError } from './errors.js';
import { DOMAIN_ERRORS } from './domain-error-codes.js';

/**
 * Retention periods when no approved policy says otherwise. absence and enrolment: 5 years after the pupil
 * left (privacy.md "Set retention"). The others are UNCONFIRMED defaults; a policy overrides them.
 */
export const DEFAULT_RETENTION: Readonly<Record<string, string>> = {
  absence: 'P5Y',
  enrolment: 'P5Y',
  quarantine: 'P5Y',
  disclosure_request: 'P1Y',
  signals: 'P1Y',
  report_drafts: 'P6M',
};

const ISO_DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

export interface CalendarDuration {
  readonly years: number;
  readonly months: number;
  readonly days: number;
}

/** Parses the calendar part of an ISO 8601 duration (`P5Y`, `P18M`, `P2W`, `P1Y6M`); times are refused. */
export function parseRetentionPeriod(text: string): CalendarDuration {
  const match = ISO_DURATION.exec(text);
  if (!match || text === 'P') {
    throw new ValidationError(
      DOMAIN_ERRORS.RETENTION_PERIOD_INVALID,
      'A retention period is an ISO 8601 duration in Y/M/W/D',
      [
        {
          field: 'period',
          code: DOMAIN_ERRORS.RETENTION_PERIOD_INVALID,
          message: 'expected e.g. P5Y, P18M or P30D',
        },
      ],
    );
  }
  const n = (i: number): number => Number(match[i] ?? 0);
  return { years: n(1), months: n(2), days: n(3) * 7 + n(4) };
}

/** `date` plus (sign 1) or minus (sign -1) the period, in UTC calendar arithmetic; month ends clamp (Jan 31 + P1M = Feb 28/29). */
export function shiftByPeriod(date: Date, period: string, sign: 1 | -1 = 1): Date {
  const d = parseRetentionPeriod(period);
  const totalMonths = date.getUTCFullYear() * 12 + date.getUTCMonth() + sign * (d.years * 12 + d.months);
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDay);
  const shifted = new Date(
    Date.UTC(
      year,
      month,
      day,
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
      date.getUTCMilliseconds(),
    ),
  );
  return new Date(shifted.getTime() + sign * d.days * 86_400_000);
}

/** The facts retention needs about a pupil. */
export interface RetentionSubject {
  /** `YYYY-MM-DD`; null while enrolled. */
  readonly leftOn: string | null;
  readonly legalHold: boolean;
}

export type RetentionVerdict =
  | {
      readonly keep: true;
      readonly reason: 'ENROLLED' | 'LEGAL_HOLD' | 'WITHIN_PERIOD';
      readonly expiresOn: string | null;
    }
  | { readonly keep: false; readonly reason: 'EXPIRED'; readonly expiresOn: string };

/**
 * Whether a pupil's data may still be used at `at`. Replays and retries call this first: data past its
 * period is never sent again, even when the retention job has not run yet.
 */
export function checkRetention(
  pupil: RetentionSubject,
  at: Date,
  period: string = DEFAULT_RETENTION['absence'],
): RetentionVerdict {
  if (pupil.leftOn === null) return { keep: true, reason: 'ENROLLED', expiresOn: null };
  const expires = shiftByPeriod(new Date(`${pupil.leftOn}T00:00:00Z`), period);
  const expiresOn = expires.toISOString().slice(0, 10);
  if (pupil.legalHold) return { keep: true, reason: 'LEGAL_HOLD', expiresOn };
  if (at.getTime() < expires.getTime()) return { keep: true, reason: 'WITHIN_PERIOD', expiresOn };
  return { keep: false, reason: 'EXPIRED', expiresOn };
}
