import { createHmac } from 'node:crypto';
import type { SchoolSector } from './pupil-sector.js';

/** A pupil of a school board as the registry keeps it. The BSN is never part of this shape. */
export interface Pupil {
  readonly board: string;
  readonly localId: string;
  readonly school: string;
  /**
   * The administration whose pupil number `localId` is (ADR 0017): the school's BRIN when each school keeps its
   * own numbers (the default), `*` when the board declared one shared administration. A pupil is identified by
   * (board, administration, localId).
   */
  readonly administration: string;
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

/** The administration of a board whose schools share one pupil administration (one number, one pupil). */
export const SHARED_ADMINISTRATION = '*';

/** A board's declaration about its pupil numbers (ADR 0017); the default: every school its own administration. */
export interface BoardSettings {
  readonly board: string;
  /** true: the board's schools share one pupil administration, a pupil number names one child board-wide. */
  readonly sharedAdministration: boolean;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

export const BOARD_SETTINGS_STORE = Symbol('BoardSettingsStore');
export interface BoardSettingsStore {
  /** The board's settings; the default (one administration per school) when none were stored. */
  get(board: string): Promise<BoardSettings>;
  /**
   * Stores the declaration and re-keys the board's registered pupils in the same transaction (pseudonyms stay).
   * Declaring one shared administration fails with `409 PUPIL_NUMBERS_COLLIDE` while two schools have a pupil
   * with the same number.
   */
  save(board: string, sharedAdministration: boolean, by: string, at: Date): Promise<BoardSettings>;
}

/** Where a pupil number is registered (no personal facts): what a scope check on incoming records needs. */
export interface RegisteredPupilAt {
  readonly localId: string;
  readonly school: string;
  readonly administration: string;
}

/** The registry as incoming records see it (ADR 0017): the board's declaration and where numbers are registered. */
export const PUPIL_DIRECTORY = Symbol('PupilDirectory');
export interface PupilDirectory {
  sharedAdministration(board: string): Promise<boolean>;
  /** The registered pupils of these numbers (null: every registered pupil of the board), any school. */
  registeredAt(board: string, localIds: readonly string[] | null): Promise<RegisteredPupilAt[]>;
}

/** The administration a school's pupil numbers belong to under the board's settings. */
export function administrationOf(
  settings: Pick<BoardSettings, 'sharedAdministration'>,
  school: string,
): string {
  return settings.sharedAdministration ? SHARED_ADMINISTRATION : school;
}

/** Whether a record or signal of a school belongs to an administration. */
export function administrationCovers(administration: string, school: string | null | undefined): boolean {
  return administration === SHARED_ADMINISTRATION || administration === school;
}

/**
 * The pseudonym of a pupil first registered under per-school identity (ADR 0017): HMAC-SHA256 over board,
 * school and local id, so two children of one number at two schools never share one. It cannot equal a
 * `pupilPseudonym` (that input starts with a digit, this one with `v2:`). Pupils registered before ADR 0017 keep
 * the pseudonym stored with them.
 */
export function schoolPupilPseudonym(key: Buffer, board: string, school: string, localId: string): string {
  return `pp_${createHmac('sha256', key)
    .update(`v2:${board.length}:${board}:${school.length}:${school}:${localId}`)
    .digest('hex')
    .slice(0, 40)}`;
}

/**
 * The pupil's pseudonym in audit entries and stored disclosure requests: HMAC-SHA256 over board and local
 * id with a secret key, so the log can be searched for one pupil (access requests) without holding the id.
 */
export function pupilPseudonym(key: Buffer, board: string, localId: string): string {
  return `pp_${createHmac('sha256', key).update(`${board.length}:${board}:${localId}`).digest('hex').slice(0, 40)}`;
}
