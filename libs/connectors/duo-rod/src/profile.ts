import {
  type ClosingExplanation,
  type ClosingReason,
  type CopyRecipient,
  type ExternalStatus,
  type ReportKind,
  ValidationError,
} from '#domain';
import { DUO_ROD_ERRORS } from './duo-rod-error-codes.js';

/**
 * A DUO message profile: namespace, contract, operations, code tables and the rules that rest on a historic or
 * secondary source. DUO hands its current schema to registered vendors only, so every such element lives here,
 * never as a literal in the formatter: swapping in DUO's real schema is a new profile plus the register in
 * docs/duo-spec-gaps.md. `ibg-vsv-2` follows the IB-Groep "VSV webservice v2" vocabulary (duo-interface.md §2)
 * inside today's Digikoppeling WUS 2W-be-S envelope (§3).
 */
export interface DuoProfile {
  readonly id: string;
  /** Namespace of the body elements (prefix `duo`). UNCONFIRMED: reconstructed. */
  readonly namespace: string;
  /** `wsa:Action` = contract + '/' + operation. UNCONFIRMED: reconstructed. */
  readonly contract: string;
  readonly operations: {
    readonly register: string;
    readonly mutation: string;
    readonly status: string;
  };
  /**
   * What the business document's `verzendendeInstantie` / `ontvangendeInstantie` carry: `OIN` — the sender's and
   * DUO's OIN, as in DUO's RIO messages — or `HISTORIC` — the school's BRIN and the woongemeente's code, as in the
   * 2009 verzuim message. UNCONFIRMED which one today's verzuim contract uses.
   */
  readonly documentHeader: 'OIN' | 'HISTORIC';
  /** Report kind (contracts §7 `absence.kind`) → verzuimsoort. */
  readonly kinds: Readonly<Record<ReportKind, string>>;
  /** statusMeldingRelatiefVerzuim → status. */
  readonly statuses: Readonly<Record<string, ExternalStatus>>;
  /** Codes DUO may no longer set but old reports carry (`D`, overgedragen aan derden), and how they read. */
  readonly legacyStatuses: Readonly<Record<string, ExternalStatus>>;
  readonly closingReasons: Readonly<Record<ClosingReason, string>>;
  readonly closingExplanations: Readonly<Record<ClosingExplanation, string>>;
  /** soortMutatie in MutatieMeldingRelatiefVerzuim. */
  readonly mutations: { readonly update: string; readonly withdraw: string };
  /** `education.niveau` (1..4) → niveauOpleiding. */
  readonly niveaus: Readonly<Record<string, string>>;
  /** Accepted `education.leerweg` codes. */
  readonly leerwegen: readonly string[];
  readonly copyRecipients: Readonly<Record<CopyRecipient, string>>;
  readonly maxLengths: {
    readonly vermoedelijkeReden: number;
    /** naamOpleiding is cut to this length (a label, as the historic client did). */
    readonly naamOpleiding: number;
  };
  /** A primary school's day parts as lesson hours (DUO's verzuimdag has whole days or lesson hours only). */
  readonly dayParts: Readonly<Record<'ochtend' | 'middag', readonly number[]>>;
  /** `codeUitvoerderVSV` from the woongemeente (`'00'` + CBS code), or not sent. */
  readonly codeUitvoerderVsv: 'WOONGEMEENTE' | 'OMIT';
  /** wsu:Timestamp Expires − Created. */
  readonly timestampTtlSeconds: number;
  /** Whether DUO's answers must be signed (`REQUIRED`) or are checked when they are (`IF_PRESENT`). */
  readonly answerSignature: 'IF_PRESENT' | 'REQUIRED';
  /** DC0002Foutmelding `foutcode` → classification. Unknown codes: see `classifyFoutcode`. */
  readonly errors: Readonly<Record<string, DuoErrorClass>>;
  /** SOAP fault codes of WS-Security (local name) → classification (UNAVAILABLE = try again). */
  readonly securityFaults: Readonly<Record<string, DuoErrorClass>>;
}

export type DuoErrorClass = 'VALIDATION' | 'NOT_AUTHORISED' | 'NOT_FOUND' | 'CONFLICT' | 'UNAVAILABLE';

export const DUO_ERROR_RETRYABLE: Readonly<Record<DuoErrorClass, boolean>> = {
  VALIDATION: false,
  NOT_AUTHORISED: false,
  NOT_FOUND: false,
  CONFLICT: false,
  UNAVAILABLE: true,
};

export const IBG_VSV_2_PROFILE_ID = 'ibg-vsv-2';

export const IBG_VSV_2_PROFILE: DuoProfile = Object.freeze<DuoProfile>({
  id: IBG_VSV_2_PROFILE_ID,
  namespace: 'urn:ketenpoort:reconstructed:duo:rod:verzuim:ibg-vsv-2',
  contract: 'urn:ketenpoort:reconstructed:duo:contract:ROD_Verzuim_ibg-vsv-2',
  operations: {
    register: 'MeldenRelatiefVerzuim',
    mutation: 'MutatieMeldingRelatiefVerzuim',
    status: 'AanvraagGewijzigdeMeldingRelatiefVerzuim',
  },
  documentHeader: 'OIN',
  kinds: {
    '16U_MINDERJARIG': 'V3',
    '16U_MEERDERJARIG': 'V4',
    LRV: 'LRV',
    LUXE: 'L',
    DOORSTROOMPUNT: 'RMC',
    OVERIG: 'O',
  },
  statuses: {
    R: 'REGISTERED',
    B: 'IN_BEHANDELING',
    G: 'AFGESLOTEN',
    K: 'TER_KENNISGEVING_AANGENOMEN',
    I: 'WITHDRAWN',
  },
  // Overgedragen aan derden (not set since 3 August 2020): the municipality passed the report on; still handled.
  legacyStatuses: { D: 'IN_BEHANDELING' },
  closingReasons: {
    TERUG_NAAR_SCHOOL: '01',
    INSCHRIJVING_BEEINDIGD_ANDERE_OPLEIDING: '02',
    INSCHRIJVING_BEEINDIGD_WERK: '03',
    INSCHRIJVING_BEEINDIGD_OVERIGE_REDENEN: '04',
    LEERLING_OVERLEDEN: '05',
    GEEN_VERZUIM_LANGDURIG_ZIEK: '06',
    GEEN_VERZUIM_LEGITIEM_AFWEZIG: '07',
  },
  closingExplanations: {
    LEERLING_GEZIEN_DOOR_GEMEENTE: '1',
    ACTIE_RICHTING_LEERLING: '2',
    GEEN_ACTIE_MEER: '3',
  },
  mutations: { update: 'WIJZIGEN', withdraw: 'INTREKKEN' },
  niveaus: { '1': 'niveau1', '2': 'niveau2', '3': 'niveau3', '4': 'niveau4' },
  leerwegen: ['BOL', 'BBL', 'BB', 'KB', 'GL', 'TL'],
  copyRecipients: { CONTACTPERSOON: 'CONTACTPERSOON', BEHANDELAAR: 'BEHANDELAAR', BEIDE: 'BEIDE' },
  maxLengths: { vermoedelijkeReden: 200, naamOpleiding: 40 },
  dayParts: { ochtend: [1, 2, 3, 4], middag: [5, 6, 7, 8] },
  codeUitvoerderVsv: 'WOONGEMEENTE',
  timestampTtlSeconds: 600,
  answerSignature: 'IF_PRESENT',
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
  // WSS 1.0 §12 fault codes. An expired message can simply be signed again; the others mean our signing or
  // our certificate is wrong, which a person must fix.
  securityFaults: {
    MessageExpired: 'UNAVAILABLE',
    FailedCheck: 'VALIDATION',
    InvalidSecurity: 'VALIDATION',
    InvalidSecurityToken: 'NOT_AUTHORISED',
    FailedAuthentication: 'NOT_AUTHORISED',
    UnsupportedSecurityToken: 'VALIDATION',
    UnsupportedAlgorithm: 'VALIDATION',
    SecurityTokenUnavailable: 'VALIDATION',
  },
});

/** The profiles this build knows, by id (DUO_CODE_PROFILE). */
export const DUO_PROFILES: Readonly<Record<string, DuoProfile>> = Object.freeze({
  [IBG_VSV_2_PROFILE_ID]: IBG_VSV_2_PROFILE,
});

/** DUO's code for a report kind; an unknown kind is a coded, permanent error. */
export function kindCode(profile: DuoProfile, kind: unknown): string {
  const code =
    typeof kind === 'string' && Object.hasOwn(profile.kinds, kind)
      ? profile.kinds[kind as ReportKind]
      : undefined;
  if (code === undefined)
    throw new ValidationError(
      DUO_ROD_ERRORS.DUO_UNKNOWN_REPORT_KIND,
      `profile ${profile.id} has no code for this report kind`,
      [
        {
          field: 'absence.kind',
          code: DUO_ROD_ERRORS.UNKNOWN_REPORT_KIND,
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
 * Classification of a DUO foutcode: the profile's table first; an unknown F9xx code is UNAVAILABLE
 * (DUO's system-side range, retryable), any other unknown code VALIDATION (permanent, a person looks).
 */
export function classifyFoutcode(profile: DuoProfile, code: string): DuoErrorClass {
  if (Object.hasOwn(profile.errors, code)) return profile.errors[code];
  return /^F9\d\d$/.test(code) ? 'UNAVAILABLE' : 'VALIDATION';
}
