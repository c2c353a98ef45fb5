import { parseArgs } from 'node:util';
import { ageInYearsOn, deliveryKey, proofLines } from '#application';
import { ConfigurationError, type Settings, loadSettings, processEnv } from '#config';
import { X509Certificate } from 'node:crypto';
import { type DuoSigningKey, formatDuoMessage, leafPem, oinOf, prepareSigningKey } from '#connector-duo-rod';
import { buildLeerplichtReport, signLeerplichtReport } from '#connector-leerplicht';
import {
  type Destination,
  type DisclosureRequest,
  type OutboundContext,
  type PolicyEngine,
  REPORT_FIELD_PATHS,
  REPORT_KINDS,
  REPORT_STATUSES,
  type RecipientKind,
  type ReportKind,
  type ReportStatus,
  isDomainError,
} from '#domain';
import type { ReleasedPayload } from '#privacy';
import { DEFAULT_POLICY_FILE, duoProfileOf, loadSigningKey } from '#runtime';
import { UsageError, readText } from './read-input.js';

/**
 * `report duo|leerplicht --report <file>` (contracts §1, issue 6): an approved report (contracts §7) through the
 * privacy policy and the destination's formatter, printed exactly as the connector would send it. Nothing is sent.
 */

const SUBCOMMANDS = ['duo', 'leerplicht'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** The purpose a recipient receives a report for: the dispatcher's mapping (contracts §6). */
const PURPOSE_OF: Record<string, string> = {
  DUO: 'STATUTORY_REPORT',
  LEERPLICHT: 'LEERPLICHT_ENFORCEMENT',
  DOORSTROOMPUNT: 'DOORSTROOMPUNT',
};

/** A report that has been approved (and may already be on its way): the ones the dispatcher sends. */
const SENDABLE: readonly ReportStatus[] = ['APPROVED', 'QUEUED', 'SENT', 'REGISTERED', 'IN_BEHANDELING'];

/** Recipient id when `report leerplicht` gets no `--recipient`: not a municipality, flagged on stderr. */
export const PLACEHOLDER_GEMEENTECODE = '0000';
export const DEFAULT_CLI_BOARD = 'cli';

/** The §7 report as this command reads it; other top-level members of the file are ignored. */
export interface ApprovedReport {
  readonly id: string;
  readonly kind: ReportKind;
  readonly status: ReportStatus;
  readonly fields: Readonly<Record<string, unknown>>;
  /** The stored report's board, when the file carries one. */
  readonly board?: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const RECIPIENT_ID = /^[A-Za-z0-9._-]{1,64}$/;
const DATE_FIELDS = ['pupil.birthDate', 'absence.beginDate', 'absence.endDate'] as const;

function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const invalid = (message: string): UsageError => new UsageError(`REPORT_INVALID: ${message}`);

/**
 * Checks the §7 shape: `id` a non-empty string, `kind` one of REPORT_KINDS, `status` an approved one, `fields`
 * an object of known field paths only. Dates must be real YYYY-MM-DD dates; `school.brin`, `pupil.birthDate`
 * and `absence.beginDate` are required (the school of the message; the pupil's age the policy decides on).
 * Messages name members and paths, never values.
 */
export function parseApprovedReport(value: unknown): ApprovedReport {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('the report must be a JSON object { id, kind, status, fields }');
  const r = value as Record<string, unknown>;
  if (typeof r['id'] !== 'string' || r['id'].trim() === '') throw invalid('id must be a non-empty string');
  if (!(REPORT_KINDS as readonly unknown[]).includes(r['kind']))
    throw invalid(`kind must be one of ${REPORT_KINDS.join(', ')}`);
  if (!(REPORT_STATUSES as readonly unknown[]).includes(r['status']))
    throw invalid(`status must be one of ${REPORT_STATUSES.join(', ')}`);
  if (!SENDABLE.includes(r['status'] as ReportStatus))
    throw new UsageError(
      `REPORT_NOT_APPROVED: status ${String(r['status'])} is not sent; only ${SENDABLE.join(', ')}`,
    );
  const fields = r['fields'];
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
    throw invalid('fields must be an object of field paths (contracts §7)');
  const known = new Set<string>(REPORT_FIELD_PATHS);
  const unknown = Object.keys(fields).filter((path) => !known.has(path));
  if (unknown.length > 0) throw invalid(`unknown field path(s): ${unknown.sort().join(', ')}`);
  const f = fields as Record<string, unknown>;
  for (const path of DATE_FIELDS) {
    if (f[path] !== undefined && f[path] !== null && !isCalendarDate(f[path]))
      throw invalid(`fields.${path} must be YYYY-MM-DD`);
  }
  for (const path of ['school.brin', 'pupil.birthDate', 'absence.beginDate'] as const) {
    if (typeof f[path] !== 'string' || f[path] === '') throw invalid(`fields.${path} is required`);
  }
  if (f['absence.kind'] !== undefined && !(REPORT_KINDS as readonly unknown[]).includes(f['absence.kind']))
    throw invalid(`fields.absence.kind must be one of ${REPORT_KINDS.join(', ')}`);
  if (r['board'] !== undefined && (typeof r['board'] !== 'string' || r['board'] === ''))
    throw invalid('board, when present, must be a non-empty string');
  return {
    id: r['id'],
    kind: r['kind'] as ReportKind,
    status: r['status'] as ReportStatus,
    fields: f,
    ...(typeof r['board'] === 'string' ? { board: r['board'] } : {}),
  };
}

/** The outbound context of a first registration, as the dispatcher builds it for attempt 1. */
export function outboundContext(
  report: ApprovedReport,
  destination: Destination,
  recipient: { readonly kind: RecipientKind; readonly id: string },
  board: string,
  sentAt: Date,
): OutboundContext {
  return {
    idempotencyKey: deliveryKey(report.id, destination, 'REGISTER'),
    operation: 'REGISTER',
    reportId: report.id,
    reportKind: report.kind,
    board,
    school: report.fields['school.brin'] as string,
    externalRef: null,
    recipient,
    attempt: 1,
    sentAt,
  };
}

/** The disclosure request the dispatcher asks the policy (payload: the report's fields as they are). */
export function disclosureRequest(
  report: ApprovedReport,
  recipient: { readonly kind: RecipientKind; readonly id: string },
): DisclosureRequest {
  const age = ageInYearsOn(
    report.fields['pupil.birthDate'] as string,
    report.fields['absence.beginDate'] as string,
  );
  if (age === null || age < 0)
    throw invalid('fields.pupil.birthDate must lie before fields.absence.beginDate');
  return {
    recipient: { kind: recipient.kind, id: recipient.id },
    purpose: PURPOSE_OF[recipient.kind] ?? 'STATUTORY_REPORT',
    reportKind: report.kind,
    pupil: { ageAtDate: age },
    payload: { ...report.fields },
  };
}

/** DOORSTROOMPUNT for a DOORSTROOMPUNT report, else LEERPLICHT; `--recipient-kind` overrides. */
function leerplichtRecipientKind(kind: ReportKind, option: string | undefined): RecipientKind {
  if (option === undefined) return kind === 'DOORSTROOMPUNT' ? 'DOORSTROOMPUNT' : 'LEERPLICHT';
  const upper = option.toUpperCase();
  if (upper === 'LEERPLICHT' || upper === 'DOORSTROOMPUNT') return upper;
  throw new UsageError('--recipient-kind must be leerplicht or doorstroompunt');
}

function parseAt(raw: string | undefined): Date {
  if (raw === undefined) return new Date();
  const ms = Date.parse(raw);
  if (!ISO_INSTANT.test(raw) || Number.isNaN(ms))
    throw new UsageError(
      'AT_INVALID: --at must be an ISO 8601 instant with a zone, e.g. 2026-03-02T08:00:00Z',
    );
  return new Date(ms);
}

function settingsFromEnv(): Settings {
  try {
    return loadSettings(processEnv());
  } catch (error) {
    if (error instanceof ConfigurationError)
      throw new UsageError(`${error.code}: ${error.problems.join('; ')}`);
    throw error;
  }
}

async function readReport(file: string): Promise<ApprovedReport> {
  const text = await readText(file, 'report');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw invalid(`${file} is not JSON`);
  }
  return parseApprovedReport(parsed);
}

async function readPolicy(engine: PolicyEngine, file: string | undefined): Promise<string> {
  const path = file ?? DEFAULT_POLICY_FILE;
  const text = await readText(path, 'policy');
  const checked = engine.validate(text);
  if (!checked.ok)
    throw new UsageError(
      `POLICY_INVALID: ${path}: ${checked.issues.map((i) => `${i.field}: ${i.code} ${i.message}`).join('; ')}`,
    );
  // A --policy file is proven before it decides anything (ADR 0012): failing, refused, exit 1. The shipped
  // default is part of ketenpoort and proven by its own tests (and by the gateway at start-up).
  const proof = file === undefined ? null : engine.prove(text);
  if (proof && !proof.holds)
    throw new PolicyProofFailed(
      [`POLICY_PROOF_FAILED: ${path} fails its proof; nothing was decided`, ...proofLines(proof)].join('\n'),
    );
  return text;
}

/** Not a usage error: the file is readable and valid, but fails the proof (exit 1). */
class PolicyProofFailed extends Error {
  readonly code = 'POLICY_PROOF_FAILED';
}

function say(sub: Subcommand, message: string): void {
  process.stderr.write(`ketenpoort report ${sub}: ${message}\n`);
}

/** A formatter's ValidationError on a released value is an input problem: exit 2, coded, paths only. */
function asUsage(error: unknown): never {
  if (isDomainError(error) && error.kind === 'validation') {
    const paths = error.issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    throw new UsageError(`${error.code}: ${error.message}${paths ? ` (${paths})` : ''}`);
  }
  throw error;
}

/** `engine`: the CLI process's privacy engine (made by `main`). */
export async function runReport(
  args: readonly string[],
  engine: PolicyEngine<ReleasedPayload>,
): Promise<number> {
  const [sub, ...rest] = args;
  if (!(SUBCOMMANDS as readonly (string | undefined)[]).includes(sub))
    throw new UsageError(
      sub === undefined || sub.startsWith('-')
        ? `report needs a subcommand: ${SUBCOMMANDS.join(', ')}`
        : `unknown subcommand "${sub}"; known: ${SUBCOMMANDS.join(', ')}`,
    );
  const subcommand = sub as Subcommand;
  const { values } = parseArgs({
    args: [...rest],
    strict: true,
    options: {
      report: { type: 'string' },
      policy: { type: 'string' },
      at: { type: 'string' },
      board: { type: 'string' },
      signed: { type: 'boolean' },
      recipient: { type: 'string' },
      'recipient-kind': { type: 'string' },
      key: { type: 'string' },
      cert: { type: 'string' },
    },
  });
  if (subcommand === 'leerplicht') {
    const misplaced = (['key', 'cert'] as const).filter((o) => values[o] !== undefined);
    if (misplaced.length > 0)
      throw new UsageError(`${misplaced.map((o) => `--${o}`).join(', ')}: only for report duo`);
  }
  if (subcommand === 'duo') {
    const misplaced = (['signed', 'recipient', 'recipient-kind'] as const).filter(
      (o) => values[o] !== undefined,
    );
    if (misplaced.length > 0)
      throw new UsageError(`${misplaced.map((o) => `--${o}`).join(', ')}: only for report leerplicht`);
  }
  if (!values.report) throw new UsageError(`report ${subcommand} needs --report <file>`);
  const at = parseAt(values.at);
  if (values.board !== undefined && !RECIPIENT_ID.test(values.board))
    throw new UsageError('--board must be 1-64 letters, digits, dot, dash or underscore');
  const report = await readReport(values.report);
  const policyText = await readPolicy(engine, values.policy);
  const settings = settingsFromEnv();
  const board = values.board ?? report.board ?? DEFAULT_CLI_BOARD;
  const signing = subcommand === 'duo' ? await readSigning(values.key, values.cert, settings) : undefined;

  let recipient: { kind: RecipientKind; id: string };
  if (subcommand === 'duo') {
    recipient = { kind: 'DUO', id: settings.delivery.duoOin };
  } else {
    const kind = leerplichtRecipientKind(report.kind, values['recipient-kind']);
    const id = values.recipient;
    if (id !== undefined && !RECIPIENT_ID.test(id))
      throw new UsageError(
        '--recipient must be a gemeentecode or the id of a regional body (1-64 characters)',
      );
    if (id === undefined)
      say(
        subcommand,
        `no --recipient: using placeholder ${PLACEHOLDER_GEMEENTECODE}; pass the gemeentecode (or body id) that receives it`,
      );
    recipient = { kind, id: id ?? PLACEHOLDER_GEMEENTECODE };
  }

  const request = disclosureRequest(report, recipient);
  const { decision, released } = engine.release(policyText, request, at);
  if (released === null) {
    say(subcommand, `PRIVACY_DENIED: ${decision.explanation}`);
    return 1;
  }
  const destination: Destination = subcommand === 'duo' ? 'DUO' : 'LEERPLICHT';
  const context = outboundContext(report, destination, recipient, board, at);
  const output = await format(subcommand, context, released, settings, values.signed === true, signing).catch(
    asUsage,
  );
  // The summary only once the message stands: a refused report prints nothing but its error.
  if (decision.withheld.length > 0) {
    const withheld = [...decision.withheld]
      .sort((a, b) => a.field.localeCompare(b.field))
      .map((w) => `${w.field} (${w.rule})`);
    say(subcommand, `withheld ${withheld.length} field(s): ${withheld.join(', ')}`);
  }
  if (subcommand === 'duo' && signing === undefined)
    say(
      subcommand,
      "unsigned: give --key and --cert (the sending party's PEM files) to print the signed envelope",
    );
  process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  return 0;
}

/**
 * `--key` and `--cert`: the sending party's PEM files, to sign as the connector does (Digikoppeling WUS 2W-be-S).
 * The sender's OIN is the certificate's (subject serialNumber), else SCHOOL_OIN. Problems name the option only.
 */
async function readSigning(
  keyFile: string | undefined,
  certFile: string | undefined,
  settings: Settings,
): Promise<(DuoSigningKey & { readonly oin: string }) | undefined> {
  if (keyFile === undefined && certFile === undefined) return undefined;
  if (keyFile === undefined || certFile === undefined)
    throw new UsageError(
      "--key and --cert go together (the sending party's private key and certificate, PEM)",
    );
  const [key, certificate] = [await readText(keyFile, 'key'), await readText(certFile, 'cert')];
  const signing: DuoSigningKey = {
    key,
    certificate,
    ...(settings.delivery.duoClientKeyPassphrase
      ? { passphrase: settings.delivery.duoClientKeyPassphrase }
      : {}),
  };
  let oin: string | null;
  try {
    prepareSigningKey(signing);
    oin = oinOf(new X509Certificate(leafPem(certificate)));
  } catch (error) {
    throw new UsageError(`SIGNING_KEY_INVALID: ${(error as Error).message}`);
  }
  return { ...signing, oin: oin ?? settings.delivery.schoolOin };
}

async function format(
  sub: Subcommand,
  context: OutboundContext,
  released: ReleasedPayload,
  settings: Settings,
  signed: boolean,
  signing: (DuoSigningKey & { readonly oin: string }) | undefined,
): Promise<string> {
  if (sub === 'duo') {
    let profile;
    try {
      profile = duoProfileOf(settings.delivery.duoCodeProfile);
    } catch (error) {
      if (error instanceof ConfigurationError)
        throw new UsageError(`${error.code}: ${error.problems.join('; ')}`);
      throw error;
    }
    return formatDuoMessage(context, released, {
      duoOin: settings.delivery.duoOin,
      senderOin: signing?.oin ?? settings.delivery.schoolOin,
      profile,
      ...(signing ? { signing } : {}),
    });
  }
  const report = buildLeerplichtReport(context, released);
  if (!signed) return JSON.stringify(report);
  let key;
  try {
    key = await loadSigningKey(settings);
  } catch (error) {
    if (error instanceof ConfigurationError)
      throw new UsageError(`${error.code}: ${error.problems.join('; ')}`);
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('E'))
      throw new UsageError(`CONFIGURATION_INVALID: the leerplicht signing key cannot be read (${code})`);
    throw error;
  }
  return signLeerplichtReport(report, { privateJwk: key.privateJwk, kid: key.kid }, context.idempotencyKey);
}
