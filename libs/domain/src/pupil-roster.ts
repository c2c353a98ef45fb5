import type { Actor, BoardScope } from './tenancy.js';
import { ForbiddenError } from './errors.js';
import type { QuarantineReason } from './source-record.js';
import { DOMAIN_ERRORS } from './domain-error-codes.js';

/**
 * Roster data of a pupil (ADR 0019): the name as the school system gives it, the class or group and the mentor
 * (or groepsleerkracht). Personal data under the same protection and retention as the enrolment facts: only
 * staff of the pupil's school read it; it never enters a report, a disclosure, an audit entry or a log line.
 */
export interface PupilName {
  /** The name the pupil is called by (ParnasSys `roepNaam`, SOMtoday `roepnaam`, Magister MWS `roepnaam`). */
  readonly roepnaam?: string;
  readonly voornamen?: string;
  readonly tussenvoegsel?: string;
  readonly achternaam: string;
}

export interface RosterEntry {
  readonly name: PupilName | null;
  /** The class or group ("Groep 6A", "2B"). */
  readonly group: string | null;
  /** The mentor's or group teacher's name as the source writes it. */
  readonly mentor: string | null;
}

/** Roster data as staff of the pupil's school read it. */
export interface PupilRoster extends RosterEntry {
  /** "Daan de Vries": roepnaam (else the first voornaam), tussenvoegsel, achternaam; null without a name. */
  readonly displayName: string | null;
  /** Where it came from: `api` (PUT /v1/pupils) or a school system (`parnassys`, `somtoday`, `magister-mws`). */
  readonly source: string | null;
  readonly updatedAt: string | null;
}

/** A pupil found by name inside the caller's scope. */
export interface PupilSearchHit {
  readonly school: string;
  readonly localId: string;
  /** null for a pupil found by number that has no roster data. */
  readonly displayName: string | null;
  readonly group: string | null;
}

/** One pupil of a school's roster as list screens need it (werkvoorraad: names, filters by group and mentor). */
export interface SchoolRosterEntry {
  readonly localId: string;
  readonly displayName: string | null;
  readonly group: string | null;
  readonly mentor: string | null;
}

/** The longest name part, group or mentor text kept (characters). */
export const ROSTER_TEXT_MAX = 100;
/** Search queries shorter than this (after normalisation) find nothing: too broad to be useful. */
export const NAME_SEARCH_MIN = 2;
/** Token prefixes are hashed up to this length; a longer query token is cut to it. */
export const NAME_TOKEN_PREFIX_MAX = 24;

export function displayNameOf(name: PupilName | null): string | null {
  if (name === null) return null;
  const first = name.roepnaam ?? name.voornamen?.split(/\s+/)[0];
  return [first, name.tussenvoegsel, name.achternaam]
    .filter((part): part is string => part !== undefined && part !== '')
    .join(' ');
}

/**
 * The search tokens of a text: lower case, diacritics removed (é → e, ĳ → ij), split on anything that is not a
 * letter or digit ("van 't Hof-Jansen" → van, t, hof, jansen). The same function normalises names when stored
 * and queries when searched, so "Celine" finds "Céline".
 */
export function nameTokens(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return folded.split(/[^\p{L}\p{N}]+/u).filter((token) => token !== '');
}

/** Every prefix (from NAME_SEARCH_MIN up to NAME_TOKEN_PREFIX_MAX letters) of every token of the name's parts. */
export function nameTokenPrefixes(name: PupilName): string[] {
  const tokens = [name.roepnaam, name.voornamen, name.tussenvoegsel, name.achternaam]
    .filter((part): part is string => part !== undefined)
    .flatMap(nameTokens);
  const prefixes = new Set<string>();
  for (const token of tokens) {
    // A one-letter token ("t" of "van 't Hof") is kept whole so it can be matched exactly.
    if (token.length < NAME_SEARCH_MIN) prefixes.add(token);
    const longest = Math.min(token.length, NAME_TOKEN_PREFIX_MAX);
    for (let length = NAME_SEARCH_MIN; length <= longest; length++) prefixes.add(token.slice(0, length));
  }
  return [...prefixes].sort();
}

/** The query's tokens as they are looked up (each must match a prefix of some name token). */
export function nameQueryTokens(query: string): string[] {
  return [...new Set(nameTokens(query).map((token) => token.slice(0, NAME_TOKEN_PREFIX_MAX)))];
}

/** Whether the actor reads roster data (names, classes, mentors) on the pages of their schools: school staff only. */
export function readsRoster(actor: Actor): actor is Extract<Actor, { role: 'school_staff' }> {
  return actor.role === 'school_staff';
}

/**
 * Who may read roster data: school staff, for their own schools only. The auditor and every officer outside the
 * school read no names (ADR 0019); they get 403 ROLE_NOT_ALLOWED. The privacy officer only searches (below).
 */
export function requireRosterReadScope(actor: Actor): BoardScope & { readonly schools: readonly string[] } {
  if (!readsRoster(actor)) {
    throw new ForbiddenError(DOMAIN_ERRORS.ROLE_NOT_ALLOWED, `Role ${actor.role} may not read pupils' names`);
  }
  return { board: actor.board, schools: actor.schools };
}

/**
 * Who may search pupils by name or number: school staff in their schools, and the privacy officer across the
 * board, to answer an access request or find a pupil in the audit log (ADR 0024); anyone else 403.
 */
export function requireRosterSearchScope(actor: Actor): {
  readonly board: string;
  readonly schools: readonly string[] | null;
} {
  return actor.role === 'privacy_officer'
    ? { board: actor.board, schools: null }
    : requireRosterReadScope(actor);
}

export const PUPIL_ROSTER_STORE = Symbol('PupilRosterStore');
/** Roster data on the registered pupil's row; a pupil that is not registered has none. */
export interface PupilRosterStore {
  /**
   * Replaces the roster data of a registered pupil (the name and mentor encrypted, the name's search tokens
   * hashed with a key); false when no pupil of this administration and number is registered at `school`.
   */
  put(
    board: string,
    school: string,
    localId: string,
    entry: RosterEntry,
    source: string,
    at: Date,
  ): Promise<boolean>;
  /** The roster data of the pupil registered at `school`; null when not registered there. */
  get(board: string, school: string, localId: string): Promise<PupilRoster | null>;
  /**
   * The pupils (school and number) of these schools (null: the whole board) matching every criterion given:
   * `q` as in `search` (name token prefixes, or the pupil number), `group` and `mentor` by their normalised text.
   * The shape of the werkvoorraad's `PupilFinder` port (cases-worklist), so this store can be bound as it.
   */
  find(
    board: string,
    schools: readonly string[] | null,
    query: { readonly q?: string; readonly group?: string; readonly mentor?: string },
  ): Promise<readonly { readonly school: string; readonly localId: string }[]>;
  /** Every registered pupil of the school with roster data, by local id; at most `limit`. */
  listSchool(board: string, school: string, limit: number): Promise<SchoolRosterEntry[]>;
  /**
   * Pupils of these schools whose name has a token starting with each query token, or whose pupil number is
   * `number` (listed first); at most `limit`.
   */
  search(
    board: string,
    /** null: every school of the board (a privacy officer, ADR 0024). */
    schools: readonly string[] | null,
    queryTokens: readonly string[],
    limit: number,
    number?: string | null,
  ): Promise<PupilSearchHit[]>;
}

/** One pupil of a school system's roster, as a reader gives it. */
export interface RosterFeedPupil {
  readonly localId: string;
  readonly entry: RosterEntry;
}

/** An item of a roster the reader could not read: the reason names fields, never values (no names). */
export interface RosterFeedProblem {
  readonly sourceId: string | null;
  readonly reason: QuarantineReason;
  readonly detail: string;
}

/** A school system's roster format (adapters implement it; the runtime registers one per system). */
export interface RosterReader {
  readonly system: string;
  /** How the system's roster is sent: its XML text (text/xml) or JSON (application/json). */
  readonly format: 'xml' | 'json';
  read(
    payload: string,
    context: { readonly school: string },
  ): {
    readonly pupils: readonly RosterFeedPupil[];
    readonly problems: readonly RosterFeedProblem[];
  };
}
