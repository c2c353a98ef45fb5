import {
  AUDIT_KINDS,
  type Actor,
  type AuditKind,
  type AuditLogBrowser,
  type AuditValue,
  type ErrorIssue,
  type FoundAuditEntry,
  type PupilRegistry,
  type Pseudonymise,
  RECIPIENT_KINDS,
  REPORT_KINDS,
  ValidationError,
  BRIN_PATTERN,
  requireRole,
} from '#domain';
import { BROWSE_AUDIT_LOG_ERRORS } from './browse-audit-log-error-codes.js';

/** The largest page the audit log browser hands out. */
export const AUDIT_PAGE_SIZE_MAX = 100;
export const AUDIT_PAGE_SIZE_DEFAULT = 25;
/** How deep paging goes (page × page size); a longer look back narrows the period instead. */
export const AUDIT_OFFSET_MAX = 100_000;

/** The filters of `GET /v1/privacy/audit` as they arrive (the DTO checked their shape). */
export interface AuditLogQuery {
  /** The board's pupil number; with `school`, that school's pupil of the number (ADR 0017). */
  readonly pupil?: string;
  readonly school?: string;
  readonly kind?: string;
  readonly recipient?: string;
  readonly purpose?: string;
  readonly reportKind?: string;
  /** `permit` (gegevens verstrekt) or `deny` (niets verstrekt). */
  readonly decision?: string;
  /** School-local days (Europe/Amsterdam), both inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly page?: number;
  readonly pageSize?: number;
}

/** One audit entry as the console shows it: facts by code (the console labels them) and a Dutch explanation. */
export interface AuditLogItem {
  readonly seq: number;
  /** The entry's number in the board's chain, as the chain's verification names a broken entry. */
  readonly chainSeq: number | null;
  readonly at: string;
  readonly kind: AuditKind;
  /** The board's own pupil behind the entry's pseudonym; null when the entry names none or the board has none. */
  readonly pupil: { readonly localId: string; readonly school: string } | null;
  /** The entry is about a pupil (holds a pseudonym), whether or not the board still knows the pupil. */
  readonly aboutPupil: boolean;
  readonly recipient: { readonly kind: string; readonly id: string | null } | null;
  readonly purpose: string | null;
  readonly reportKind: string | null;
  readonly decision: 'permit' | 'deny' | null;
  readonly released: readonly string[];
  readonly withheld: readonly { readonly field: string; readonly rule: string }[];
  readonly determinedBy: readonly string[];
  readonly policy: { readonly id: string; readonly version: string } | null;
  readonly legalBasis: string | null;
  readonly retainedUntil: string | null;
  readonly reference: string | null;
  /** Who acted (policy lifecycle, legal hold, report review): the account's subject; null for the system. */
  readonly by: string | null;
  /** REPORT_STATUS: the report's new status. */
  readonly status: string | null;
  /** DELETION_RECEIPT: the data category and how many items were deleted. */
  readonly category: string | null;
  readonly count: number | null;
  /** Plain Dutch, without codes or field paths. */
  readonly explanation: string;
}

export interface AuditLogPage {
  readonly items: readonly AuditLogItem[];
  readonly page: number;
  readonly pageSize: number;
  /** More entries match beyond this page. */
  readonly hasMore: boolean;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const PURPOSE = /^[A-Za-z0-9_.-]{1,64}$/;
const LOCAL_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The privacy officer's (and auditor's) audit log (issue 15 item 4, ADR 0024): the caller's board only, newest
 * first, narrowed by pupil, recipient, purpose, report kind, decision and period, a bounded page at a time. A
 * pupil is found by the board's own number (and school) and turned into every pseudonym it has had: the one
 * stored with the registered pupil and the one computed from the number, so entries of a pupil who was never
 * registered, or whose registry entry retention removed, are found too.
 */
export class BrowseAuditLogUseCase {
  constructor(
    private readonly browser: AuditLogBrowser,
    private readonly pupils: Pick<PupilRegistry, 'findAll' | 'pseudonymOf'>,
    private readonly pseudonymise: Pseudonymise,
  ) {}

  async execute(actor: Actor, query: AuditLogQuery): Promise<AuditLogPage> {
    requireRole(actor, ['privacy_officer', 'auditor'], `Role ${actor.role} may not read the audit log`);
    const board = actor.board;
    const issues: ErrorIssue[] = [];
    const bad = (field: string, code: string, message: string): void => {
      issues.push({ field, code, message });
    };
    const oneOf = <T extends string>(field: string, value: string | undefined, allowed: readonly T[]) => {
      if (value === undefined) return undefined;
      if ((allowed as readonly string[]).includes(value)) return value as T;
      bad(field, BROWSE_AUDIT_LOG_ERRORS.VALUE_UNKNOWN, `${field} must be one of ${allowed.join(', ')}`);
      return undefined;
    };
    const kind = oneOf('kind', query.kind, AUDIT_KINDS);
    const recipient = oneOf('recipient', query.recipient, RECIPIENT_KINDS);
    const reportKind = oneOf('reportKind', query.reportKind, REPORT_KINDS);
    const effect = oneOf('decision', query.decision, ['permit', 'deny'] as const);
    if (query.purpose !== undefined && !PURPOSE.test(query.purpose))
      bad(
        'purpose',
        BROWSE_AUDIT_LOG_ERRORS.PURPOSE_INVALID,
        'a purpose code: letters, digits, _ . -, at most 64',
      );
    if (query.pupil !== undefined && !LOCAL_ID.test(query.pupil))
      bad(
        'pupil',
        BROWSE_AUDIT_LOG_ERRORS.LOCAL_ID_INVALID,
        'a pupil number: letters, digits, . _ : -, at most 100',
      );
    if (query.school !== undefined && !BRIN_PATTERN.test(query.school))
      bad('school', BROWSE_AUDIT_LOG_ERRORS.BRIN_INVALID, 'a BRIN is 2 digits and 2 capitals or digits');
    if (query.school !== undefined && query.pupil === undefined)
      bad(
        'school',
        BROWSE_AUDIT_LOG_ERRORS.SCHOOL_WITHOUT_PUPIL,
        'school names which pupil of a number; give pupil too',
      );
    const from = dayStart('from', query.from, bad);
    const toStart = dayStart('to', query.to, bad);
    if (from && toStart && toStart < from)
      bad('to', BROWSE_AUDIT_LOG_ERRORS.PERIOD_INVERTED, 'to lies before from');
    const pageSize = query.pageSize ?? AUDIT_PAGE_SIZE_DEFAULT;
    const page = query.page ?? 1;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > AUDIT_PAGE_SIZE_MAX)
      bad('pageSize', BROWSE_AUDIT_LOG_ERRORS.PAGE_SIZE_INVALID, `1 to ${AUDIT_PAGE_SIZE_MAX}`);
    if (!Number.isInteger(page) || page < 1 || (page - 1) * pageSize > AUDIT_OFFSET_MAX)
      bad(
        'page',
        BROWSE_AUDIT_LOG_ERRORS.PAGE_INVALID,
        `1 or more, at most ${AUDIT_OFFSET_MAX} entries deep`,
      );
    if (issues.length > 0)
      throw new ValidationError(
        BROWSE_AUDIT_LOG_ERRORS.AUDIT_QUERY_INVALID,
        'The audit query was refused',
        issues,
      );

    const pupils =
      query.pupil === undefined ? undefined : await this.pseudonymsOf(board, query.pupil, query.school);
    const found = await this.browser.search({
      board,
      ...(pupils ? { pupils } : {}),
      ...(kind ? { kind } : {}),
      ...(recipient ? { recipient } : {}),
      ...(query.purpose !== undefined ? { purpose: query.purpose } : {}),
      ...(reportKind ? { reportKind } : {}),
      ...(effect ? { effect } : {}),
      ...(from ? { from } : {}),
      ...(toStart ? { to: nextDayStart(query.to!) } : {}),
      offset: (page - 1) * pageSize,
      limit: pageSize + 1,
    });
    return {
      items: found.slice(0, pageSize).map(itemOf),
      page,
      pageSize,
      hasMore: found.length > pageSize,
    };
  }

  /** Every pseudonym the board's pupil of this number (at this school) has had. */
  private async pseudonymsOf(board: string, localId: string, school?: string): Promise<string[]> {
    const registered = (await this.pupils.findAll({ board, schools: null }, localId)).filter(
      (p) => school === undefined || p.school === school,
    );
    const pseudonyms = new Set<string>();
    for (const p of registered) {
      const stored = await this.pupils.pseudonymOf(board, p.administration, p.localId);
      if (stored) pseudonyms.add(stored);
    }
    pseudonyms.add(await this.pseudonymise(board, localId, school ?? null));
    return [...pseudonyms];
  }
}

function dayStart(
  field: string,
  value: string | undefined,
  bad: (field: string, code: string, message: string) => void,
): Date | undefined {
  if (value === undefined) return undefined;
  const match = DAY.exec(value);
  const check = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : null;
  if (
    !match ||
    !check ||
    check.toISOString().slice(0, 10) !== value ||
    +match[1] < 2000 ||
    +match[1] > 2999
  ) {
    bad(field, BROWSE_AUDIT_LOG_ERRORS.DATE_INVALID, 'a day as YYYY-MM-DD');
    return undefined;
  }
  return amsterdamMidnight(value);
}

function nextDayStart(day: string): Date {
  const next = new Date(`${day}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return amsterdamMidnight(next.toISOString().slice(0, 10));
}

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** How far Amsterdam wall time is ahead of UTC at an instant (ms). */
function amsterdamOffset(ms: number): number {
  const p = Object.fromEntries(PARTS.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(+p['year'], +p['month'] - 1, +p['day'], +p['hour'], +p['minute'], +p['second']);
  return wall - ms;
}

/** The instant a school-local day begins in Europe/Amsterdam. */
export function amsterdamMidnight(day: string): Date {
  const utc = Date.parse(`${day}T00:00:00Z`);
  let at = utc - amsterdamOffset(utc);
  at = utc - amsterdamOffset(at);
  return new Date(at);
}

const text = (v: AuditValue | undefined): string | null => (typeof v === 'string' ? v : null);
const strings = (v: AuditValue | undefined): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function itemOf(found: FoundAuditEntry): AuditLogItem {
  const e = found.entry;
  const rawRecipient = e['recipient'];
  const recipient =
    typeof rawRecipient === 'string'
      ? // A report status names it as "KIND:id", a deletion receipt as the kind alone.
        {
          kind: rawRecipient.split(':')[0] ?? '',
          id: rawRecipient.includes(':') ? rawRecipient.slice(rawRecipient.indexOf(':') + 1) : null,
        }
      : rawRecipient && typeof rawRecipient === 'object' && !Array.isArray(rawRecipient)
        ? {
            kind: text((rawRecipient as Record<string, AuditValue>)['kind']) ?? '',
            id: text((rawRecipient as Record<string, AuditValue>)['id']),
          }
        : null;
  const rawPolicy = e['policy'];
  const policy =
    rawPolicy && typeof rawPolicy === 'object' && !Array.isArray(rawPolicy)
      ? {
          id: text((rawPolicy as Record<string, AuditValue>)['id']) ?? '',
          version: text((rawPolicy as Record<string, AuditValue>)['version']) ?? '',
        }
      : null;
  const effect = text(e['effect']);
  const withheld = Array.isArray(e['withheld'])
    ? (e['withheld'] as readonly AuditValue[]).flatMap((w) =>
        w && typeof w === 'object' && !Array.isArray(w)
          ? [
              {
                field: text((w as Record<string, AuditValue>)['field']) ?? '',
                rule: text((w as Record<string, AuditValue>)['rule']) ?? '',
              },
            ]
          : [],
      )
    : [];
  const item: Omit<AuditLogItem, 'explanation'> = {
    seq: found.seq,
    chainSeq: found.chainSeq,
    at: found.at,
    kind: found.kind,
    pupil: found.pupil,
    aboutPupil: typeof e['pupil'] === 'string',
    recipient,
    purpose: text(e['purpose']),
    reportKind: text(e['reportKind']),
    decision: effect === 'permit' || effect === 'deny' ? effect : null,
    released: strings(e['released']),
    withheld,
    determinedBy: strings(e['determinedBy']),
    policy,
    legalBasis: text(e['legalBasis']),
    retainedUntil: text(e['retainedUntil']),
    reference: text(e['reference']),
    by: text(e['by']),
    status: text(e['status']),
    category: text(e['category']),
    count: typeof e['count'] === 'number' ? e['count'] : null,
  };
  return { ...item, explanation: explainAuditEntry(item) };
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** A Dutch sentence for an audit entry, from its facts alone (no codes, no field paths). */
export function explainAuditEntry(item: Omit<AuditLogItem, 'explanation'>): string {
  const policy = item.policy
    ? ` Besloten volgens beleid ${item.policy.id}, versie ${item.policy.version}.`
    : '';
  const by = item.by ? ` door ${item.by}` : '';
  const withheld = (): string => {
    if (item.withheld.length === 0) return '';
    const rules = [...new Set(item.withheld.map((w) => w.rule))].map((r) =>
      r === 'default-deny'
        ? 'geen regel staat het toe'
        : r === 'unknown-field'
          ? 'onbekend gegeven'
          : r === 'policy-not-effective'
            ? 'het beleid gold toen niet'
            : `regel ${r}`,
    );
    return ` ${count(item.withheld.length, 'gegeven is', 'gegevens zijn')} niet verstrekt (${rules.join('; ')}).`;
  };
  switch (item.kind) {
    case 'DECISION':
      return item.decision === 'permit'
        ? `Privacybesluit: ${count(item.released.length, 'gegeven mag', 'gegevens mogen')} worden verstrekt.${withheld()}${policy}`
        : `Privacybesluit: er mogen geen gegevens worden verstrekt.${withheld()}${policy}`;
    case 'DISCLOSURE':
      return `Verstrekt: ${count(item.released.length, 'gegeven is', 'gegevens zijn')} aan de ontvanger gegeven${item.legalBasis ? `, op grond van ${item.legalBasis}` : ''}.${withheld()}${policy}`;
    case 'DELETION_RECEIPT':
      return `Bewaartermijn verstreken: ${count(item.count ?? 0, 'gegeven', 'gegevens')} verwijderd.${policy}`;
    case 'POLICY_DRAFTED':
      return `Een concept van het privacybeleid is opgeslagen${by}.${policy}`;
    case 'POLICY_SUBMITTED':
      return `Een concept van het privacybeleid is ter goedkeuring aangeboden${by}.${policy}`;
    case 'POLICY_APPROVED':
      return `Het privacybeleid is goedgekeurd${by}.${policy}`;
    case 'POLICY_REJECTED':
      return `Een concept van het privacybeleid is afgewezen${by}, met een reden.${policy}`;
    case 'LEGAL_HOLD_SET':
      return `Bewaarplicht ingesteld${by}: de gegevens van de leerling worden niet verwijderd zolang die geldt.`;
    case 'LEGAL_HOLD_LIFTED':
      return `Bewaarplicht opgeheven${by}: de gewone bewaartermijnen gelden weer.`;
    case 'REPORT_STATUS':
      return `De status van een verzuimmelding is gewijzigd${by}.`;
    case 'SENDING_PARTY':
      return `Een verzendende partij (certificaat voor DUO) is toegevoegd, vervangen of verwijderd${by}.`;
  }
}
