import { createHmac } from 'node:crypto';
import type { SchoolSector } from './pupil-sector.js';

/** A pupil of a school board as the registry keeps it. The BSN is never part of this shape. */
export interface Pupil {
  readonly board: string;
  readonly localId: string;
  readonly school: string;
  readonly birthDate: string;
  readonly sector: SchoolSector;
  readonly startkwalificatie: boolean | null;
  readonly woongemeente: string | null;
  readonly enrolledFrom: string;
  /** null while enrolled */
  readonly leftOn: string | null;
  /** Whether an (encrypted) BSN is on file; its value never leaves the registry. */
  readonly hasBsn: boolean;
  readonly legalHold: LegalHold | null;
  readonly updatedAt: string;
  /** Enrolment facts DUO's report carries (leerjaar, niveau, leerweg), as the school system holds them. */
  readonly education?: PupilEducation;
}

/** Leerwegen: BOL/BBL in mbo; BB, KB, GL, TL in vmbo (the vmbo codes are UNCONFIRMED, docs/duo-spec-gaps.md). */
export const LEERWEGEN = ['BOL', 'BBL', 'BB', 'KB', 'GL', 'TL'] as const;
export type Leerweg = (typeof LEERWEGEN)[number];

/**
 * The pupil's enrolment in the school system's terms, for DUO's `onderwijsdeelname`: leerjaar 1..6 (vo),
 * niveau 1..4 (mbo), leerweg. Each is optional; an absent one is omitted from the report, never guessed.
 */
export interface PupilEducation {
  readonly leerjaar?: number;
  readonly niveau?: number;
  readonly leerweg?: Leerweg;
}

export interface LegalHold {
  readonly reason: string;
  readonly setBy: string;
  readonly at: string;
}

export interface PupilFacts {
  readonly school: string;
  readonly birthDate: string;
  readonly sector: SchoolSector;
  readonly startkwalificatie?: boolean;
  readonly woongemeente?: string;
  readonly enrolledFrom: string;
  readonly leftOn?: string | null;
  /** Clear text on the way in only; stored encrypted (AES-256-GCM). */
  readonly bsn?: string;
  readonly education?: PupilEducation;
}

/** BSN: nine digits passing the elfproef (9·d1 + 8·d2 + … + 2·d8 − d9 divisible by 11, not all zeros). */
export function isValidBsn(value: string): boolean {
  if (!/^\d{9}$/.test(value) || value === '000000000') return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(value[i]) * (9 - i);
  sum -= Number(value[8]);
  return sum % 11 === 0;
}

/**
 * The pupil's pseudonym in audit entries and stored disclosure requests: HMAC-SHA256 over board and local
 * id with a secret key, so the log can be searched for one pupil (access requests) without holding the id.
 */
export function pupilPseudonym(key: Buffer, board: string, localId: string): string {
  return `pp_${createHmac('sha256', key).update(`${board.length}:${board}:${localId}`).digest('hex').slice(0, 40)}`;
}
