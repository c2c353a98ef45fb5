import {
  BRIN_PATTERN,
  LEERPLICHT_SCOPE_PATTERN,
  MUNICIPALITY_CODE_PATTERN,
  fail,
  ok,
  ROLES,
  type Actor,
  type ErrorIssue,
  type Result,
  type Role,
} from '#domain';
import { AUTH_ERRORS } from './auth-error-codes.js';

export { BRIN_PATTERN, MUNICIPALITY_CODE_PATTERN };

type ClaimsOf<A> = A extends { readonly subject: string }
  ? Omit<A, 'subject'> & { readonly sub: string }
  : never;

/**
 * The JWT claims that carry an Actor: `sub`, `role` and the scope claims of that role (`board`,
 * `schools`, `school`, `system`, `municipalities`, `region`). Derived from Actor so the two cannot drift.
 */
export type ActorClaims = ClaimsOf<Actor>;

/** The claim names this gateway reads, for documentation and for issuers. */
export const ACTOR_CLAIM_NAMES = [
  'sub',
  'role',
  'board',
  'schools',
  'school',
  'system',
  'municipalities',
  'region',
] as const;

/** Board, system and region ids end up in WHERE clauses and audit logs: keep them plain identifiers. */
export const SCOPE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

const MAX_SUBJECT_LENGTH = 255;
const MAX_LIST_LENGTH = 500;

/**
 * Builds an Actor from verified claims, or lists what does not fit. Issue messages name the claim and
 * the rule only: claim values can be personal data (a `sub` is often an e-mail address).
 */
export function actorFromClaims(claims: Readonly<Record<string, unknown>>): Result<Actor> {
  const issues: ErrorIssue[] = [];
  const problem = (field: string, code: string, message: string): void => {
    issues.push({ field, code, message });
  };

  const sub = claims['sub'];
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > MAX_SUBJECT_LENGTH) {
    problem(
      'sub',
      AUTH_ERRORS.CLAIM_SUB,
      `claim "sub" must be a non-empty string of at most ${MAX_SUBJECT_LENGTH} characters`,
    );
  }
  const role = claims['role'];
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    problem('role', AUTH_ERRORS.CLAIM_ROLE, `claim "role" must be one of ${ROLES.join(', ')}`);
  }
  if (issues.length > 0) return fail(issues);

  const subject = sub as string;
  const id = (name: string): string => {
    const value = claims[name];
    if (typeof value !== 'string' || !SCOPE_ID_PATTERN.test(value)) {
      problem(
        name,
        AUTH_ERRORS.CLAIM_SCOPE,
        `claim "${name}" must be an identifier (letters, digits, . _ : -; at most 100)`,
      );
      return '';
    }
    return value;
  };
  const brin = (name: string): string => {
    const value = claims[name];
    if (typeof value !== 'string' || !BRIN_PATTERN.test(value)) {
      problem(
        name,
        AUTH_ERRORS.CLAIM_SCOPE,
        `claim "${name}" must be a BRIN code (two digits, two upper-case letters or digits)`,
      );
      return '';
    }
    return value;
  };
  const list = (name: string, pattern: RegExp, what: string): readonly string[] => {
    const value = claims[name];
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      value.length > MAX_LIST_LENGTH ||
      !value.every((item) => typeof item === 'string' && pattern.test(item))
    ) {
      problem(name, AUTH_ERRORS.CLAIM_SCOPE, `claim "${name}" must be a non-empty list of ${what}`);
      return [];
    }
    return Object.freeze([...new Set(value as string[])]);
  };

  // Scope claims of other roles are ignored rather than refused: the Actor only carries its own role's scope.
  let actor: Actor;
  switch (role as Role) {
    case 'school_staff':
      actor = {
        role: 'school_staff',
        subject,
        board: id('board'),
        schools: list('schools', BRIN_PATTERN, 'BRIN codes'),
      };
      break;
    case 'integration_client':
      actor = {
        role: 'integration_client',
        subject,
        board: id('board'),
        school: brin('school'),
        system: id('system'),
      };
      break;
    case 'privacy_officer':
      actor = { role: 'privacy_officer', subject, board: id('board') };
      break;
    case 'auditor':
      actor = { role: 'auditor', subject, board: id('board') };
      break;
    case 'leerplicht_officer':
      actor = {
        role: 'leerplicht_officer',
        subject,
        municipalities: list(
          'municipalities',
          LEERPLICHT_SCOPE_PATTERN,
          '4-digit CBS municipality codes or regional body ids',
        ),
      };
      break;
    case 'doorstroompunt_officer':
      actor = { role: 'doorstroompunt_officer', subject, region: id('region') };
      break;
    case 'board_admin':
      actor = { role: 'board_admin', subject, board: id('board') };
      break;
  }
  return issues.length > 0 ? fail(issues) : ok(Object.freeze(actor));
}

/** The claims that describe an Actor; the inverse of actorFromClaims. */
export function actorToClaims(actor: Actor): ActorClaims {
  const { subject, ...scope } = actor;
  return { ...scope, sub: subject };
}
