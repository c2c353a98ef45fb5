import {
  type DeliveryOperation,
  type ErrorIssue,
  type OutboundContext,
  REPORT_KINDS,
  type ReportKind,
  ValidationError,
} from '#domain';
import type { ReleasedPayload } from '#privacy';
import { LEERPLICHT_ERRORS } from './leerplicht-error-codes.js';

/** `$id` of config/leerplicht/report.schema.json, carried in every report as `schema`. */
export const LEERPLICHT_REPORT_SCHEMA_ID = 'https://schemas.ketenpoort.example/leerplicht/report/v1.json';
/** 1.1 added the optional `absence.clockMinutes`; receivers accept 1.0 and 1.1 (same `$id`). */
export const LEERPLICHT_REPORT_SCHEMA_VERSION = '1.1';

export interface LeerplichtPerDay {
  readonly date: string;
  readonly lessonHours: readonly number[];
}

/** The structured report, version 1 (config/leerplicht/report.schema.json). Absent = withheld or unknown. */
export interface LeerplichtReportV1 {
  readonly schema: typeof LEERPLICHT_REPORT_SCHEMA_ID;
  readonly schemaVersion: typeof LEERPLICHT_REPORT_SCHEMA_VERSION;
  readonly reportId: string;
  readonly operation: DeliveryOperation;
  readonly kind: ReportKind;
  readonly recipient: { readonly kind: 'LEERPLICHT' | 'DOORSTROOMPUNT'; readonly id: string };
  readonly previousReference?: string;
  readonly school: {
    readonly board: string;
    readonly id: string;
    readonly brin?: string;
    readonly vestiging?: string;
    readonly locationName?: string;
  };
  readonly pupil?: {
    readonly bsn?: string;
    readonly onderwijsnummer?: string;
    readonly name?: string;
    readonly birthDate?: string;
    readonly address?: string;
    readonly phone?: string;
  };
  readonly parent?: { readonly name?: string; readonly phone?: string };
  readonly absence?: {
    readonly kind?: ReportKind;
    readonly beginDate?: string;
    readonly endDate?: string;
    readonly hours?: number;
    /** Clock minutes (klokuren) beside `hours` (lesuren); absent in reports sent before it existed. */
    readonly clockMinutes?: number;
    readonly days?: number;
    readonly perDay?: readonly LeerplichtPerDay[];
    readonly allLessonsMissed?: boolean;
    readonly authorisedSummary?: readonly Readonly<Record<string, unknown>>[];
  };
  readonly report?: {
    readonly suspectedReason?: string;
    readonly actionTaken?: string;
    readonly municipalActionWanted?: boolean | string;
  };
  readonly reporter?: {
    readonly name?: string;
    readonly role?: string;
    readonly phone?: string;
    readonly email?: string;
  };
  readonly registration?: { readonly remarks?: string };
  readonly health?: { readonly detail?: string };
  /** ISO 8601 instant (UTC, `Z`). */
  readonly issuedAt: string;
}

type Check = (value: unknown) => unknown;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const text: Check = (v) => (typeof v === 'string' ? v : undefined);
const nonEmpty: Check = (v) => (typeof v === 'string' && v.length > 0 ? v : undefined);
const pattern =
  (re: RegExp): Check =>
  (v) =>
    typeof v === 'string' && re.test(v) ? v : undefined;
const date = pattern(ISO_DATE);
const count: Check = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
const amount: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
const bool: Check = (v) => (typeof v === 'boolean' ? v : undefined);
const kind: Check = (v) => ((REPORT_KINDS as readonly unknown[]).includes(v) ? v : undefined);
const perDay: Check = (v) => {
  if (!Array.isArray(v)) return undefined;
  const days: LeerplichtPerDay[] = [];
  for (const item of v as unknown[]) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { date: d, lessonHours } = item as { date?: unknown; lessonHours?: unknown };
    if (typeof d !== 'string' || !ISO_DATE.test(d) || !Array.isArray(lessonHours)) return undefined;
    const hours = lessonHours as unknown[];
    if (!hours.every((h) => typeof h === 'number' && Number.isInteger(h) && h >= 1 && h <= 12))
      return undefined;
    if (new Set(hours).size !== hours.length) return undefined;
    days.push({ date: d, lessonHours: [...(hours as number[])] });
  }
  return days;
};
const summary: Check = (v) => {
  if (!Array.isArray(v)) return undefined;
  const items = v as unknown[];
  const valid = items.every((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
    const r = item as Record<string, unknown>;
    return (
      typeof r['category'] === 'string' &&
      r['category'] !== '' &&
      (r['hours'] === undefined || amount(r['hours']) !== undefined) &&
      (r['days'] === undefined || count(r['days']) !== undefined)
    );
  });
  return valid ? structuredClone(items) : undefined;
};
const boolOrText: Check = (v) => (typeof v === 'boolean' || typeof v === 'string' ? v : undefined);

/** Every field path of contracts §7 with the check its value must pass (mirrors report.schema.json). */
const FIELDS: Readonly<Record<string, Check>> = {
  'pupil.bsn': pattern(/^\d{8,9}$/),
  'pupil.onderwijsnummer': pattern(/^\d{9}$/),
  'pupil.name': nonEmpty,
  'pupil.birthDate': date,
  'pupil.address': nonEmpty,
  'pupil.phone': nonEmpty,
  'parent.name': nonEmpty,
  'parent.phone': nonEmpty,
  'school.brin': nonEmpty,
  'school.vestiging': nonEmpty,
  'school.locationName': nonEmpty,
  'absence.kind': kind,
  'absence.beginDate': date,
  'absence.endDate': date,
  'absence.hours': amount,
  'absence.clockMinutes': count,
  'absence.days': count,
  'absence.perDay': perDay,
  'absence.allLessonsMissed': bool,
  'absence.authorisedSummary': summary,
  'report.suspectedReason': text,
  'report.actionTaken': text,
  'report.municipalActionWanted': boolOrText,
  'reporter.name': nonEmpty,
  'reporter.role': nonEmpty,
  'reporter.phone': nonEmpty,
  'reporter.email': pattern(/^.{3,}$/),
  'registration.remarks': text,
  'health.detail': text,
};

/**
 * The structured report of one delivery, from the released fields only: a path the privacy engine did not
 * release (or released as null) is absent from the report. Pure. Throws a ValidationError
 * (LEERPLICHT_PAYLOAD_INVALID, naming field paths, never values) when a released value has the wrong shape,
 * and LEERPLICHT_RECIPIENT_INVALID when the context's recipient is not LEERPLICHT or DOORSTROOMPUNT.
 */
export function buildLeerplichtReport(
  context: OutboundContext,
  payload: ReleasedPayload,
): LeerplichtReportV1 {
  const recipientKind = context.recipient.kind;
  if (recipientKind !== 'LEERPLICHT' && recipientKind !== 'DOORSTROOMPUNT') {
    throw new ValidationError(
      LEERPLICHT_ERRORS.LEERPLICHT_RECIPIENT_INVALID,
      'a leerplicht report goes to LEERPLICHT or DOORSTROOMPUNT',
      [
        {
          field: 'recipient.kind',
          code: LEERPLICHT_ERRORS.NOT_ALLOWED,
          message: 'must be LEERPLICHT or DOORSTROOMPUNT',
        },
      ],
    );
  }
  const groups: Record<string, Record<string, unknown>> = {};
  const issues: ErrorIssue[] = [];
  for (const [path, check] of Object.entries(FIELDS)) {
    if (!payload.has(path)) continue;
    const raw = payload.get(path);
    if (raw === null || raw === undefined) continue;
    const value = check(raw);
    if (value === undefined) {
      issues.push({
        field: path,
        code: LEERPLICHT_ERRORS.INVALID_VALUE,
        message: `${path} has the wrong shape for the report`,
      });
      continue;
    }
    const [group, member] = path.split('.') as [string, string];
    (groups[group] ??= {})[member] = value;
  }
  if (issues.length > 0) {
    throw new ValidationError(
      LEERPLICHT_ERRORS.LEERPLICHT_PAYLOAD_INVALID,
      'released fields do not fit the leerplicht report',
      issues,
    );
  }
  const { school, ...rest } = groups;
  const ordered = ['pupil', 'parent', 'absence', 'report', 'reporter', 'registration', 'health'] as const;
  const report: Record<string, unknown> = {
    schema: LEERPLICHT_REPORT_SCHEMA_ID,
    schemaVersion: LEERPLICHT_REPORT_SCHEMA_VERSION,
    reportId: context.reportId,
    operation: context.operation,
    kind: context.reportKind,
    recipient: { kind: recipientKind, id: context.recipient.id },
    ...(context.operation !== 'REGISTER' && context.externalRef !== null
      ? { previousReference: context.externalRef }
      : {}),
    school: { board: context.board, id: context.school, ...(school ?? {}) },
  };
  for (const group of ordered) if (rest[group] !== undefined) report[group] = rest[group];
  report['issuedAt'] = context.sentAt.toISOString();
  return report as unknown as LeerplichtReportV1;
}
