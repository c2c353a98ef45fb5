import type { ReportStatus } from './report.js';

/** Statuses a leerplicht officer sets (absence-law.md §2.3); "overgedragen aan derden" is gone since 2020. */
export const OFFICER_STATUSES = ['IN_BEHANDELING', 'AFGESLOTEN', 'TER_KENNISGEVING_AANGENOMEN'] as const;
export type OfficerStatus = (typeof OFFICER_STATUSES)[number];

/** Statuses DUO used before 2020 that an officer may no longer set (absence-law.md §2.3). */
export const RETIRED_OFFICER_STATUSES = ['OVERGEDRAGEN_AAN_DERDEN'] as const;

/** Dutch names of the report statuses an officer sees (never the code). */
export const REPORT_STATUS_LABELS: Readonly<Record<ReportStatus, string>> = {
  DRAFT: 'concept',
  APPROVED: 'goedgekeurd',
  QUEUED: 'klaar om te verzenden',
  SENT: 'verzonden',
  REGISTERED: 'geregistreerd bij DUO',
  IN_BEHANDELING: 'in behandeling',
  AFGESLOTEN: 'afgesloten',
  TER_KENNISGEVING_AANGENOMEN: 'ter kennisgeving aangenomen',
  WITHDRAWN: 'ingetrokken door de school',
  REJECTED: 'geweigerd',
  DISMISSED: 'afgewezen',
};

export const STATUS_MOVE_NOT_ALLOWED = 'STATUS_MOVE_NOT_ALLOWED';

/**
 * What an officer's status does to a report that stands at `current` (the furthest point DUO's feed and the
 * officer's channel reached): `apply` moves it forward; `repeat` is the same status sent again (an idempotent
 * retry of a machine client: nothing changes, 200 "unchanged"); `refuse` is a move the lifecycle does not allow,
 * with the Dutch explanation the officer reads (409 STATUS_MOVE_NOT_ALLOWED).
 */
export type OfficerMove =
  | { readonly kind: 'apply' }
  | { readonly kind: 'repeat' }
  | { readonly kind: 'refuse'; readonly reason: string };

const CLOSED: readonly ReportStatus[] = ['AFGESLOTEN', 'TER_KENNISGEVING_AANGENOMEN'];
const NOT_OUT: readonly ReportStatus[] = ['DRAFT', 'DISMISSED'];

export function officerMove(current: ReportStatus, next: ReportStatus): OfficerMove {
  const from = REPORT_STATUS_LABELS[current];
  const to = REPORT_STATUS_LABELS[next];
  if (current === 'WITHDRAWN') {
    return {
      kind: 'refuse',
      reason: `De school heeft deze melding ingetrokken. Een ingetrokken melding kan niet meer op "${to}" worden gezet.`,
    };
  }
  if (NOT_OUT.includes(current)) {
    return { kind: 'refuse', reason: 'Deze melding is niet verzonden en kan niet worden behandeld.' };
  }
  if (current === next) return { kind: 'repeat' };
  if (CLOSED.includes(current)) {
    return {
      kind: 'refuse',
      reason: `Deze melding is al ${from}. Een ${from === 'afgesloten' ? 'afgesloten' : 'ter kennisgeving aangenomen'} melding kan niet meer op "${to}" worden gezet; de school meldt opnieuw als het verzuim doorgaat.`,
    };
  }
  return { kind: 'apply' };
}

/** Age group beside the ciphertext (ADR 0023): enough to filter 18+, nothing more of the birth date. */
export const AGE_GROUPS = ['MINDERJARIG', 'MEERDERJARIG'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** Age group on a date (ISO YYYY-MM-DD) from an ISO birth date; null when either is not a date. */
export function ageGroupOn(birthDate: string | undefined, on: string): AgeGroup | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/;
  const b = birthDate === undefined ? null : iso.exec(birthDate);
  const d = iso.exec(on);
  if (b === null || d === null) return null;
  let age = Number(d[1]) - Number(b[1]);
  if (d[2] + d[3] < b[2] + b[3]) age -= 1;
  return age >= 18 ? 'MEERDERJARIG' : 'MINDERJARIG';
}

/** The officer's decision types (GGM Beslissing subtypes); carried only inside the encrypted case note. */
export const OFFICER_DECISIONS = [
  'VRIJSTELLING',
  'HALT_VERWIJZING',
  'PROCES_VERBAAL',
  'DOORGELEIDING_OM',
] as const;
export type OfficerDecision = (typeof OFFICER_DECISIONS)[number];

/** Largest case note (decision + notes, compact JWE) the server stores. */
export const MAX_CASE_NOTE_JWE = 32_768;
const B64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Whether `value` is a compact JWE of the leerplicht profile (ECDH-ES+A256KW / A256GCM), bounded in size — checked
 * without decrypting (the server holds no key to decrypt it with). Returns the Dutch reason when it is not.
 */
export function compactJweProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'een versleuteld notitieblok (compacte JWE) als tekst';
  if (value.length > MAX_CASE_NOTE_JWE) return `hoogstens ${MAX_CASE_NOTE_JWE} tekens`;
  const parts = value.split('.');
  if (parts.length !== 5 || !parts.every((p) => B64URL.test(p))) return 'geen compacte JWE (vijf delen)';
  const [header, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  if (encryptedKey === '' || iv === '' || ciphertext === '' || tag === '')
    return 'een deel van de JWE is leeg';
  let protectedHeader: unknown;
  try {
    protectedHeader = JSON.parse(fromBase64Url(header));
  } catch {
    return 'de kop van de JWE is geen JSON';
  }
  if (typeof protectedHeader !== 'object' || protectedHeader === null)
    return 'de kop van de JWE is geen object';
  const h = protectedHeader as Record<string, unknown>;
  if (h['alg'] !== 'ECDH-ES+A256KW' || h['enc'] !== 'A256GCM') {
    return 'versleuteld met ECDH-ES+A256KW en A256GCM naar de sleutel van de gemeente';
  }
  if (typeof h['epk'] !== 'object' || h['epk'] === null) return 'de kop mist de tijdelijke sleutel (epk)';
  if (['d', 'p', 'q', 'k'].some((m) => m in (h['epk'] as object))) return 'de kop bevat een geheime sleutel';
  return null;
}

function fromBase64Url(part: string): string {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}
