import type { NewAuditEntry } from './audit.js';
import type { Result } from './result.js';

/**
 * A sending party (ADR 0014): the organisation whose PKIoverheid certificate and OIN a DUO message travels under —
 * a school board, one instelling of a board that has several, or the hosting party that sends on schools' behalf
 * (the SaaS route of primary schools). One identity is used for both two-way TLS and the message signature; a
 * board's message is only ever sent with one of that board's own parties.
 */
export const SENDING_PARTY_KINDS = ['BESTUUR', 'INSTELLING', 'HOSTING'] as const;
export type SendingPartyKind = (typeof SENDING_PARTY_KINDS)[number];

/** Who at school gets a copy of DUO's mail about a report (historic `CCEmailontvanger`). */
export const COPY_RECIPIENTS = ['CONTACTPERSOON', 'BEHANDELAAR', 'BEIDE'] as const;
export type CopyRecipient = (typeof COPY_RECIPIENTS)[number];

/** Days before expiry from which a certificate is reported as expiring (a warning in the API and the log). */
export const CERTIFICATE_WARNING_DAYS = 30;

/** The public facts of a sending party's certificate: never the key. */
export interface SendingPartyCertificate {
  readonly subject: string;
  readonly issuer: string;
  /** The certificate's serial number (hex). */
  readonly serialNumber: string;
  /** SHA-256 fingerprint, colon-separated hex. */
  readonly fingerprint: string;
  /** The OIN in the subject's serialNumber attribute, as PKIoverheid organisation certificates carry it. */
  readonly subjectOin: string | null;
  readonly notBefore: string;
  readonly notAfter: string;
}

/**
 * What the school sends DUO besides the report itself, per school: where the report fields ketenpoort does not
 * hold come from (docs/duo-rod-message.md, field mapping). All optional; absent means the element is omitted.
 */
export interface SendingPartySchool {
  /** BRIN of the school (vestiging included when it reports per vestiging is UNCONFIRMED; the BRIN is the key). */
  readonly brin: string;
  /** `school.locationName`: DUO's onderwijslocatienaam. */
  readonly locationName?: string;
  /** `reporter.*`: the school's contact person for DUO about its reports (the historic melder). */
  readonly contact?: {
    readonly name?: string;
    readonly role?: string;
    readonly phone?: string;
    readonly email?: string;
  };
  /** `report.copyRecipient`. */
  readonly copyRecipient?: CopyRecipient;
  /** School-wide education facts: `education.soort` (VO/BVE), `education.vorm` (VT/DT), `education.name`. */
  readonly education?: {
    readonly soort?: 'VO' | 'BVE';
    readonly vorm?: 'VT' | 'DT';
    readonly name?: string;
  };
}

export interface SendingParty {
  readonly id: string;
  /** The board (tenant) the party belongs to; only that board's deliveries ever use it. */
  readonly board: string;
  readonly kind: SendingPartyKind;
  readonly name: string;
  /** The OIN in `wsa:From`, the business document's sender and the certificate. */
  readonly oin: string;
  /** DUO's endpoint for this party; null: the deployment's DUO_ENDPOINT_URL. */
  readonly endpoint: string | null;
  readonly schools: readonly SendingPartySchool[];
  readonly certificate: SendingPartyCertificate;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** The secret half: the certificate chain and its private key, decrypted only to build a connection. */
export interface SendingPartyMaterial {
  /** PEM: the leaf certificate first, then any intermediates. */
  readonly certPem: string;
  /** PEM PKCS#8, unencrypted (it is encrypted at rest by the store). */
  readonly keyPem: string;
}

/** What a board administrator uploads: PKCS#12 with its password, or PEM certificate and key. */
export type CertificateUpload =
  | { readonly format: 'PKCS12'; readonly pkcs12: Buffer; readonly password: string }
  | {
      readonly format: 'PEM';
      readonly certPem: string;
      readonly keyPem: string;
      readonly keyPassphrase?: string;
    };

/** Reads an upload into certificate facts and key material (a well-kept library behind it; no I/O). */
export type CertificateBundleReader = (
  upload: CertificateUpload,
) => Result<{ readonly certificate: SendingPartyCertificate; readonly material: SendingPartyMaterial }>;

export const SENDING_PARTY_STORE = Symbol('SendingPartyStore');
/** Sending parties per board. The key material is encrypted at rest and never logged. */
export interface SendingPartyStore {
  list(board: string): Promise<SendingParty[]>;
  get(board: string, id: string): Promise<SendingParty | null>;
  /** Every party of every board (status feeds, the expiry watch): public facts only. */
  all(): Promise<SendingParty[]>;
  /** Creates or replaces the party and its material, with its audit entries, in one transaction. */
  put(party: SendingParty, material: SendingPartyMaterial, audit: readonly NewAuditEntry[]): Promise<void>;
  remove(board: string, id: string, audit: readonly NewAuditEntry[], at: Date): Promise<boolean>;
  /** The decrypted material: the only way a key leaves the store, to build that party's connection. */
  material(board: string, id: string): Promise<SendingPartyMaterial | null>;
}

export type CertificateState = 'NOT_YET_VALID' | 'VALID' | 'EXPIRING' | 'EXPIRED';

/** Where a certificate stands at `now`: expiring within CERTIFICATE_WARNING_DAYS, expired, or fine. */
export function certificateState(
  certificate: Pick<SendingPartyCertificate, 'notBefore' | 'notAfter'>,
  now: Date,
  warningDays: number = CERTIFICATE_WARNING_DAYS,
): { readonly state: CertificateState; readonly daysLeft: number } {
  const notAfter = Date.parse(certificate.notAfter);
  const daysLeft = Math.floor((notAfter - now.getTime()) / 86_400_000);
  if (now.getTime() > notAfter) return { state: 'EXPIRED', daysLeft };
  if (now.getTime() < Date.parse(certificate.notBefore)) return { state: 'NOT_YET_VALID', daysLeft };
  if (notAfter - now.getTime() <= warningDays * 86_400_000) return { state: 'EXPIRING', daysLeft };
  return { state: 'VALID', daysLeft };
}

/** The party of `board` that sends for `school`, if any (a school is covered by at most one party). */
export function partyForSchool(
  parties: readonly SendingParty[],
  board: string,
  school: string,
): SendingParty | null {
  return parties.find((p) => p.board === board && p.schools.some((s) => s.brin === school)) ?? null;
}
