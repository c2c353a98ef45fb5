import {
  type ClosingExplanation,
  type ClosingReason,
  type ExternalStatus,
  type ReportKind,
  ValidationError,
} from '#domain';

/**
 * A DUO message profile: namespace, actions and code tables. DUO's current schema is UNCONFIRMED
 * (absence-law.md §2.1, §2.4), so every code the wire carries comes from a profile, never from a literal in
 * the formatter. `legacy-2010` follows the codes of an older open-source DUO client; a new profile is a new
 * object with a new id, passed to the connector.
 */
export interface DuoProfile {
  readonly id: string;
  /** Namespace of the body elements (prefix `rod`). */
  readonly namespace: string;
  /** `wsa:Action` = actionBase + operation element name. */
  readonly actionBase: string;
  /** Report kind (contracts §7 `absence.kind`) → DUO's verzuimsoort code. */
  readonly kinds: Readonly<Record<ReportKind, string>>;
  /** DUO status code → status (Overgedragen aan derden: see `legacyStatuses`). */
  readonly statuses: Readonly<Record<string, ExternalStatus>>;
  /** Status codes DUO may no longer send but old reports carry, and what they mean to ketenpoort. */
  readonly legacyStatuses: Readonly<Record<string, ExternalStatus>>;
  readonly closingReasons: Readonly<Record<ClosingReason, string>>;
  readonly closingExplanations: Readonly<Record<ClosingExplanation, string>>;
  /** Mutation kinds in MutatieMeldingRelatiefVerzuim. */
  readonly mutations: { readonly update: string; readonly withdraw: string };
  /** DUO's error codes (DC0002Foutmelding `Foutcode`) → classification. Unknown codes: see `classifyFoutcode`. */
  readonly errors: Readonly<Record<string, DuoErrorClass>>;
}

export type DuoErrorClass = 'VALIDATION' | 'NOT_AUTHORISED' | 'NOT_FOUND' | 'CONFLICT' | 'UNAVAILABLE';

export const DUO_ERROR_RETRYABLE: Readonly<Record<DuoErrorClass, boolean>> = {
  VALIDATION: false,
  NOT_AUTHORISED: false,
  NOT_FOUND: false,
  CONFLICT: false,
  UNAVAILABLE: true,
};

export const LEGACY_2010_PROFILE_ID = 'legacy-2010';

export const LEGACY_2010_PROFILE: DuoProfile = Object.freeze<DuoProfile>({
  id: LEGACY_2010_PROFILE_ID,
  namespace: 'urn:ketenpoort:duo-rod:legacy-2010',
  actionBase: 'urn:ketenpoort:duo-rod:legacy-2010/',
  kinds: {
    '16U_MINDERJARIG': 'V3',
    '16U_MEERDERJARIG': 'V4',
    LRV: 'LRV',
    LUXE: 'L',
    DOORSTROOMPUNT: 'RMC',
    OVERIG: 'O',
  },
  statuses: {
    GR: 'REGISTERED',
    IB: 'IN_BEHANDELING',
    AF: 'AFGESLOTEN',
    TKA: 'TER_KENNISGEVING_AANGENOMEN',
    IT: 'WITHDRAWN',
  },
  // "Overgedragen aan derden" (no longer sent since 3 August 2020): the municipality passed the report on;
  // it is still being handled, so it reads as IN_BEHANDELING.
  legacyStatuses: { OD: 'IN_BEHANDELING' },
  closingReasons: {
    TERUG_NAAR_SCHOOL: 'R1',
    INSCHRIJVING_BEEINDIGD_ANDERE_OPLEIDING: 'R2',
    INSCHRIJVING_BEEINDIGD_WERK: 'R3',
    INSCHRIJVING_BEEINDIGD_OVERIGE_REDENEN: 'R4',
    LEERLING_OVERLEDEN: 'R5',
    GEEN_VERZUIM_LANGDURIG_ZIEK: 'R6',
    GEEN_VERZUIM_LEGITIEM_AFWEZIG: 'R7',
  },
  closingExplanations: {
    LEERLING_GEZIEN_DOOR_GEMEENTE: 'T1',
    ACTIE_RICHTING_LEERLING: 'T2',
    GEEN_ACTIE_MEER: 'T3',
  },
  mutations: { update: 'WIJZIGEN', withdraw: 'INTREKKEN' },
  errors: {
    F100: 'VALIDATION',
    F101: 'VALIDATION',
    F102: 'VALIDATION',
    F103: 'VALIDATION',
    F104: 'VALIDATION',
    F105: 'VALIDATION',
    F106: 'VALIDATION',
    F107: 'VALIDATION',
    F110: 'NOT_FOUND',
    F111: 'CONFLICT',
    F200: 'NOT_AUTHORISED',
    F201: 'NOT_AUTHORISED',
    F900: 'UNAVAILABLE',
    F901: 'UNAVAILABLE',
    F902: 'UNAVAILABLE',
  },
});

/** DUO's code for a report kind; an unknown kind is a coded, permanent error. */
export function kindCode(profile: DuoProfile, kind: unknown): string {
  const code =
    typeof kind === 'string' && Object.hasOwn(profile.kinds, kind)
      ? profile.kinds[kind as ReportKind]
      : undefined;
  if (code === undefined)
    throw new ValidationError(
      'DUO_UNKNOWN_REPORT_KIND',
      `profile ${profile.id} has no code for this report kind`,
      [
        {
          field: 'absence.kind',
          code: 'UNKNOWN_REPORT_KIND',
          message: 'not a report kind of the DUO code table',
        },
      ],
    );
  return code;
}

/** Reverse lookup in a code table: the key whose value is `code`, or undefined. */
export function keyOf<K extends string>(table: Readonly<Record<K, string>>, code: string): K | undefined {
  return (Object.keys(table) as K[]).find((key) => table[key] === code);
}

/**
 * Classification of a DUO Foutcode: the profile's table first; an unknown F9xx code is UNAVAILABLE
 * (DUO's system-side range, retryable), any other unknown code VALIDATION (permanent, a person looks).
 */
export function classifyFoutcode(profile: DuoProfile, code: string): DuoErrorClass {
  if (Object.hasOwn(profile.errors, code)) return profile.errors[code];
  return /^F9\d\d$/.test(code) ? 'UNAVAILABLE' : 'VALIDATION';
}
