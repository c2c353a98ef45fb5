import { ForbiddenError } from './errors.js';
import { DOMAIN_ERRORS } from './domain-error-codes.js';

/** BRIN: two digits and two upper-case letters or digits (e.g. 12AB, 99XX). */
export const BRIN_PATTERN = /^[0-9]{2}[A-Z0-9]{2}$/;
/** CBS municipality code: exactly four digits, leading zeros kept (e.g. 0344). */
export const MUNICIPALITY_CODE_PATTERN = /^[0-9]{4}$/;
/**
 * What a leerplicht officer's token may be scoped to: a CBS code, or the id of a regional body from the routing
 * table (a regional bureau handling several municipalities' reports, e.g. RBL-LEKSTROOM).
 */
export const LEERPLICHT_SCOPE_PATTERN = /^([0-9]{4}|[A-Z][A-Z0-9-]{1,63})$/;

/** The roles of architecture §6. Token claims use these exact strings. */
export const ROLES = [
  'school_staff',
  'leerplicht_officer',
  'doorstroompunt_officer',
  'privacy_officer',
  'auditor',
  'integration_client',
  /** Manages the board's sending parties for DUO (PKIoverheid certificates, OINs); no access to pupil data. */
  'board_admin',
] as const;
export type Role = (typeof ROLES)[number];

/** An authenticated caller, with the scope its token grants. Built only from a verified token. */
export type Actor =
  | {
      readonly role: 'school_staff';
      readonly subject: string;
      readonly board: string;
      readonly schools: readonly string[];
    }
  | {
      readonly role: 'integration_client';
      readonly subject: string;
      readonly board: string;
      readonly school: string;
      readonly system: string;
    }
  | { readonly role: 'privacy_officer'; readonly subject: string; readonly board: string }
  | { readonly role: 'auditor'; readonly subject: string; readonly board: string }
  | {
      readonly role: 'leerplicht_officer';
      readonly subject: string;
      readonly municipalities: readonly string[];
    }
  | { readonly role: 'doorstroompunt_officer'; readonly subject: string; readonly region: string }
  | { readonly role: 'board_admin'; readonly subject: string; readonly board: string };

/** The actor of one of the given roles. */
export type ActorOf<R extends Role> = Extract<Actor, { readonly role: R }>;

/** Whether the actor has one of the roles (narrows it). */
export function hasRole<R extends Role>(actor: Actor, roles: readonly R[]): actor is ActorOf<R> {
  return (roles as readonly Role[]).includes(actor.role);
}

/**
 * The one role check of the gateway and the use cases: the actor has one of the roles, else 403
 * `ROLE_NOT_ALLOWED` with the given message (default: the role and what it may not do).
 */
export function requireRole<R extends Role>(
  actor: Actor,
  roles: readonly R[],
  message = `Role ${actor.role} may not do this`,
): asserts actor is ActorOf<R> {
  if (!hasRole(actor, roles)) throw new ForbiddenError(DOMAIN_ERRORS.ROLE_NOT_ALLOWED, message);
}

/**
 * The slice of school-board data an actor may touch. Repositories apply it as a WHERE clause, so a
 * guessed id from another board is simply not found.
 */
export interface BoardScope {
  readonly board: string;
  /** null: every school of the board. */
  readonly schools: readonly string[] | null;
}

export type Access = 'read' | 'write';

/** Which board data an actor may read or write; null when the role has no access to school-board data. */
export function boardScopeOf(actor: Actor, access: Access): BoardScope | null {
  switch (actor.role) {
    case 'school_staff':
      return { board: actor.board, schools: actor.schools };
    case 'integration_client':
      return { board: actor.board, schools: [actor.school] };
    case 'privacy_officer':
    case 'auditor':
      return access === 'read' ? { board: actor.board, schools: null } : null;
    // A board administrator manages the board's DUO connection, not its pupils.
    case 'leerplicht_officer':
    case 'doorstroompunt_officer':
    case 'board_admin':
      return null;
  }
}

export function requireBoardScope(actor: Actor, access: Access): BoardScope {
  const scope = boardScopeOf(actor, access);
  if (!scope) {
    throw new ForbiddenError(
      DOMAIN_ERRORS.ROLE_NOT_ALLOWED,
      `Role ${actor.role} may not ${access} school-board records`,
    );
  }
  return scope;
}

/** Whether a school (BRIN) lies inside a scope; a null school (record without school) needs whole-board scope. */
export function scopeCoversSchool(scope: BoardScope, brin: string | null | undefined): boolean {
  if (scope.schools === null) return true;
  if (!brin) return false;
  return scope.schools.includes(brin);
}
