import {
  type Actor,
  type PupilRosterStore,
  type PupilSearchHit,
  BRIN_PATTERN,
  NAME_SEARCH_MIN,
  ValidationError,
  nameQueryTokens,
  requireRosterSearchScope,
} from '#domain';
import { PUPIL_ROSTER_ERRORS } from './pupil-roster-error-codes.js';

/** The most hits one search returns. */
export const PUPIL_SEARCH_LIMIT = 50;
/** The longest query accepted (characters). */
export const PUPIL_SEARCH_QUERY_MAX = 100;

/**
 * Finds pupils by name or pupil number inside the caller's schools (ADR 0019): every query token must be the
 * start of a token of the pupil's name ("de vr" finds "Daan de Vries"); a query that is one pupil number also
 * finds that pupil (first), with or without roster data. School staff search their schools; a privacy officer
 * searches the whole board to answer an access request or find a pupil in the audit log (ADR 0024). The query
 * is never logged or stored.
 */
export class SearchPupilsUseCase {
  constructor(private readonly roster: Pick<PupilRosterStore, 'search'>) {}

  async execute(
    actor: Actor,
    input: { readonly school?: string; readonly q: string },
  ): Promise<PupilSearchHit[]> {
    const scope = requireRosterSearchScope(actor);
    const q = typeof input.q === 'string' ? input.q : '';
    if (input.school !== undefined && !BRIN_PATTERN.test(input.school))
      throw new ValidationError(PUPIL_ROSTER_ERRORS.SEARCH_INVALID, 'The search was refused', [
        {
          field: 'school',
          code: PUPIL_ROSTER_ERRORS.BRIN_INVALID,
          message: 'a BRIN is 2 digits and 2 capitals or digits',
        },
      ]);
    const tokens = nameQueryTokens(q.slice(0, PUPIL_SEARCH_QUERY_MAX + 1));
    // One word of digits (or a pupil number's characters with a digit) is also looked up as a pupil number.
    const trimmed = q.trim();
    const number = /^[A-Za-z0-9._:-]{1,100}$/.test(trimmed) && /\d/.test(trimmed) ? trimmed : null;
    if (
      q.length > PUPIL_SEARCH_QUERY_MAX ||
      (tokens.join('').length < NAME_SEARCH_MIN && number === null) ||
      tokens.length > 8
    )
      throw new ValidationError(PUPIL_ROSTER_ERRORS.SEARCH_INVALID, 'The search was refused', [
        {
          field: 'q',
          code: PUPIL_ROSTER_ERRORS.SEARCH_QUERY_INVALID,
          message: `at least ${NAME_SEARCH_MIN} letters, at most ${PUPIL_SEARCH_QUERY_MAX} characters and 8 words`,
        },
      ]);
    // Another school's pupils are simply not searched: a school outside the scope finds nothing.
    const schools =
      input.school === undefined
        ? scope.schools
        : scope.schools === null
          ? [input.school]
          : scope.schools.filter((s) => s === input.school);
    return this.roster.search(scope.board, schools, tokens, PUPIL_SEARCH_LIMIT, number);
  }
}
