import {
  type Actor,
  BRIN_PATTERN,
  COPY_RECIPIENTS,
  type CertificateUpload,
  type CopyRecipient,
  type ErrorIssue,
  SENDING_PARTY_KINDS,
  type SendingPartyKind,
  type SendingPartySchool,
  ValidationError,
  requireRole,
} from '#domain';
import { SENDING_PARTIES_ERRORS } from './sending-parties-error-codes.js';

export const SENDING_PARTY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const OIN = /^\d{20}$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;
// eslint-disable-next-line no-control-regex -- the point of this pattern is to find control characters
const CONTROL = /[\u0000-\u001F\u007F]/;
const TOP_LEVEL = ['name', 'kind', 'oin', 'endpoint', 'schools', 'certificate'];

/** The board a board administrator manages; anyone else is refused (the HTTP guard says so first). */
export function requireBoardAdmin(actor: Actor): { readonly board: string; readonly subject: string } {
  requireRole(actor, ['board_admin'], 'Only a board administrator manages sending parties');
  return { board: actor.board, subject: actor.subject };
}

/**
 * A sending party as a board administrator uploads it (the body of `PUT /v1/sending-parties/{id}`): name, kind,
 * OIN (else the certificate's), DUO endpoint (else the deployment's), the schools it sends for with what each
 * tells DUO, and the certificate as PKCS#12 (base64, with its password) or PEM.
 */
export interface SendingPartyUpload {
  readonly name: string;
  readonly kind: SendingPartyKind;
  readonly oin: string | null;
  readonly endpoint: string | null;
  readonly schools: readonly SendingPartySchool[];
  readonly upload: CertificateUpload;
}

/**
 * Reads the body of `PUT /v1/sending-parties/{id}` (run by `CommandPipe`): checks its shape and answers the typed
 * upload, or throws `SENDING_PARTY_INVALID` with every issue found. Issues name the field and the rule, never a
 * value (a password or key must not come back in an error). Pure: what the certificate holds is the use case's.
 */
export function parseSendingPartyUpload(body: unknown): SendingPartyUpload {
  const issues: ErrorIssue[] = [];
  const issue = (field: string, code: string, message: string): void => {
    issues.push({ field, code, message });
  };
  const text = (value: unknown, field: string, max: number, required: boolean): string | undefined => {
    if (value === undefined || value === null) {
      if (required) issue(field, SENDING_PARTIES_ERRORS.REQUIRED, 'required');
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '' || value.length > max || CONTROL.test(value)) {
      issue(
        field,
        SENDING_PARTIES_ERRORS.TEXT_INVALID,
        `a text of 1..${max} characters without control characters`,
      );
      return undefined;
    }
    return value.trim();
  };
  const record =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : null;
  if (record === null)
    throw new ValidationError(
      SENDING_PARTIES_ERRORS.SENDING_PARTY_INVALID,
      'The body must be a JSON object',
      [],
    );
  for (const key of Object.keys(record))
    if (!TOP_LEVEL.includes(key))
      issue(key, SENDING_PARTIES_ERRORS.UNKNOWN_FIELD, `not one of ${TOP_LEVEL.join(', ')}`);
  const name = text(record['name'], 'name', 200, true);
  const kind = record['kind'];
  if (!(SENDING_PARTY_KINDS as readonly unknown[]).includes(kind))
    issue('kind', SENDING_PARTIES_ERRORS.KIND_INVALID, `one of ${SENDING_PARTY_KINDS.join(', ')}`);
  const oin = record['oin'];
  if (oin !== undefined && (typeof oin !== 'string' || !OIN.test(oin)))
    issue('oin', SENDING_PARTIES_ERRORS.OIN_INVALID, 'an OIN has 20 digits');
  const endpoint = record['endpoint'];
  if (endpoint !== undefined && !isHttps(endpoint))
    issue('endpoint', SENDING_PARTIES_ERRORS.ENDPOINT_INVALID, 'an https URL');
  const schools = readSchools(record['schools'], issue, text);
  const upload = readUpload(record['certificate'], issue);
  if (issues.length > 0 || upload === null || name === undefined) throw refused(issues);
  return {
    name,
    kind: kind as SendingPartyKind,
    oin: typeof oin === 'string' ? oin : null,
    endpoint: typeof endpoint === 'string' ? endpoint : null,
    schools,
    upload,
  };
}

function refused(issues: readonly ErrorIssue[]): ValidationError {
  return new ValidationError(
    SENDING_PARTIES_ERRORS.SENDING_PARTY_INVALID,
    'The sending party was refused; nothing was stored',
    [...issues],
  );
}

/**
 * The upload of one sending party by a board administrator of its board, under the id from the path: the parsed
 * body (`parseSendingPartyUpload`) with who uploads it, where, and an id that is lower-case letters, digits
 * and dashes (else `SENDING_PARTY_INVALID` naming `id`).
 */
export class PutSendingPartyCommand {
  private constructor(
    readonly board: string,
    readonly subject: string,
    readonly id: string,
    readonly name: string,
    readonly kind: SendingPartyKind,
    readonly oin: string | null,
    readonly endpoint: string | null,
    readonly schools: readonly SendingPartySchool[],
    readonly upload: CertificateUpload,
  ) {}

  static create(actor: Actor, id: string, party: SendingPartyUpload): PutSendingPartyCommand {
    const { board, subject } = requireBoardAdmin(actor);
    if (!SENDING_PARTY_ID.test(id))
      throw refused([
        {
          field: 'id',
          code: SENDING_PARTIES_ERRORS.ID_INVALID,
          message: 'lower-case letters, digits and dashes (1–63)',
        },
      ]);
    return new PutSendingPartyCommand(
      board,
      subject,
      id,
      party.name,
      party.kind,
      party.oin,
      party.endpoint,
      party.schools,
      party.upload,
    );
  }
}

function isHttps(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2000) return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

type Issue = (field: string, code: string, message: string) => void;
type Text = (value: unknown, field: string, max: number, required: boolean) => string | undefined;

function readSchools(value: unknown, issue: Issue, text: Text): SendingPartySchool[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 500) {
    issue('schools', SENDING_PARTIES_ERRORS.SCHOOLS_INVALID, 'a list of 1..500 schools');
    return [];
  }
  const seen = new Set<string>();
  return value.map((raw: unknown, at): SendingPartySchool => {
    const field = `schools[${at}]`;
    const school = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    const brin = school['brin'];
    if (typeof brin !== 'string' || !BRIN_PATTERN.test(brin))
      issue(`${field}.brin`, SENDING_PARTIES_ERRORS.BRIN_INVALID, 'a BRIN');
    else if (seen.has(brin)) issue(`${field}.brin`, SENDING_PARTIES_ERRORS.BRIN_REPEATED, 'each school once');
    else seen.add(brin);
    const locationName = text(school['locationName'], `${field}.locationName`, 200, false);
    const contact = object(school['contact'], `${field}.contact`, issue);
    const email = contact ? text(contact['email'], `${field}.contact.email`, 100, false) : undefined;
    if (email !== undefined && !EMAIL.test(email))
      issue(`${field}.contact.email`, SENDING_PARTIES_ERRORS.EMAIL_INVALID, 'an e-mail address');
    const contactOut = contact
      ? prune({
          name: text(contact['name'], `${field}.contact.name`, 200, false),
          role: text(contact['role'], `${field}.contact.role`, 200, false),
          phone: text(contact['phone'], `${field}.contact.phone`, 30, false),
          email,
        })
      : undefined;
    const copyRecipient = school['copyRecipient'];
    if (copyRecipient !== undefined && !(COPY_RECIPIENTS as readonly unknown[]).includes(copyRecipient))
      issue(
        `${field}.copyRecipient`,
        SENDING_PARTIES_ERRORS.COPY_RECIPIENT_INVALID,
        `one of ${COPY_RECIPIENTS.join(', ')}`,
      );
    const education = object(school['education'], `${field}.education`, issue);
    const soort = education?.['soort'];
    if (soort !== undefined && soort !== 'VO' && soort !== 'BVE')
      issue(`${field}.education.soort`, SENDING_PARTIES_ERRORS.SOORT_INVALID, 'VO or BVE');
    const vorm = education?.['vorm'];
    if (vorm !== undefined && vorm !== 'VT' && vorm !== 'DT')
      issue(`${field}.education.vorm`, SENDING_PARTIES_ERRORS.VORM_INVALID, 'VT or DT');
    const educationOut = education
      ? prune({
          soort: soort as 'VO' | 'BVE' | undefined,
          vorm: vorm as 'VT' | 'DT' | undefined,
          name: text(education['name'], `${field}.education.name`, 200, false),
        })
      : undefined;
    return {
      brin: typeof brin === 'string' ? brin : '',
      ...(locationName !== undefined ? { locationName } : {}),
      ...(contactOut && Object.keys(contactOut).length > 0 ? { contact: contactOut } : {}),
      ...(copyRecipient !== undefined ? { copyRecipient: copyRecipient as CopyRecipient } : {}),
      ...(educationOut && Object.keys(educationOut).length > 0 ? { education: educationOut } : {}),
    };
  });
}

function object(value: unknown, field: string, issue: Issue): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issue(field, SENDING_PARTIES_ERRORS.OBJECT_INVALID, 'an object');
    return undefined;
  }
  return value as Record<string, unknown>;
}

function prune<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function readUpload(value: unknown, issue: Issue): CertificateUpload | null {
  const certificate = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  if (certificate === null) {
    issue(
      'certificate',
      SENDING_PARTIES_ERRORS.REQUIRED,
      '{ pkcs12, password } or { certPem, keyPem, keyPassphrase? }',
    );
    return null;
  }
  const { pkcs12, password, certPem, keyPem, keyPassphrase } = certificate;
  if (pkcs12 !== undefined) {
    if (
      typeof pkcs12 !== 'string' ||
      !/^[A-Za-z0-9+/\s]+={0,2}\s*$/.test(pkcs12) ||
      pkcs12.length > 200_000
    ) {
      issue(
        'certificate.pkcs12',
        SENDING_PARTIES_ERRORS.PKCS12_INVALID,
        'the PKCS#12 file in base64 (at most 150 kB)',
      );
      return null;
    }
    if (typeof password !== 'string') {
      issue('certificate.password', SENDING_PARTIES_ERRORS.REQUIRED, 'the PKCS#12 password');
      return null;
    }
    return { format: 'PKCS12', pkcs12: Buffer.from(pkcs12.replace(/\s+/g, ''), 'base64'), password };
  }
  if (
    typeof certPem !== 'string' ||
    typeof keyPem !== 'string' ||
    certPem.length > 100_000 ||
    keyPem.length > 100_000
  ) {
    issue(
      'certificate',
      SENDING_PARTIES_ERRORS.CERTIFICATE_REQUIRED,
      '{ pkcs12, password } or { certPem, keyPem, keyPassphrase? }',
    );
    return null;
  }
  if (keyPassphrase !== undefined && typeof keyPassphrase !== 'string') {
    issue('certificate.keyPassphrase', SENDING_PARTIES_ERRORS.TEXT_INVALID, 'a text');
    return null;
  }
  return { format: 'PEM', certPem, keyPem, ...(typeof keyPassphrase === 'string' ? { keyPassphrase } : {}) };
}
