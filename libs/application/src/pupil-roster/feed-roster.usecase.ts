import {
  type Actor,
  type Clock,
  type ErrorIssue,
  type PupilRosterStore,
  type RosterFeedProblem,
  type RosterReader,
  BRIN_PATTERN,
  ForbiddenError,
  ValidationError,
  requireBoardScope,
  scopeCoversSchool,
} from '#domain';
import { rosterEntryOf } from './roster-input.js';
import { PUPIL_ROSTER_ERRORS } from './pupil-roster-error-codes.js';

/** The most pupils one roster may hold (a large secondary school has a few thousand). */
export const ROSTER_MAX_PUPILS = 20_000;

export interface RosterFeedResult {
  readonly school: string;
  readonly system: string;
  /** Pupils whose roster data were stored. */
  readonly stored: number;
  /** Pupil numbers in the roster that are not registered at the school (PUT /v1/pupils first); nothing stored. */
  readonly notRegistered: readonly string[];
  /** Items that could not be read: sourceId, reason and detail, never the item itself (it holds names). */
  readonly problems: readonly RosterFeedProblem[];
}

/**
 * Stores the roster data (name, group, mentor) of a school system's roster on the school's registered pupils
 * (ADR 0019). A roster does not register pupils: their facts come through PUT /v1/pupils. Unreadable items are
 * answered (not kept: they hold names), the rest is stored.
 */
export class FeedRosterUseCase {
  constructor(
    private readonly roster: Pick<PupilRosterStore, 'put'>,
    private readonly clock: Clock,
  ) {}

  async execute(
    actor: Actor,
    school: string,
    reader: RosterReader,
    payload: string,
  ): Promise<RosterFeedResult> {
    const scope = requireBoardScope(actor, 'write');
    if (!BRIN_PATTERN.test(school))
      throw new ValidationError(
        PUPIL_ROSTER_ERRORS.ROSTER_INVALID,
        'The roster was refused; nothing was stored',
        [
          {
            field: 'brin',
            code: PUPIL_ROSTER_ERRORS.BRIN_INVALID,
            message: 'a BRIN is 2 digits and 2 capitals or digits',
          },
        ],
      );
    if (!scopeCoversSchool(scope, school))
      throw new ForbiddenError(
        PUPIL_ROSTER_ERRORS.SCHOOL_OUT_OF_SCOPE,
        'The school is not one of the schools this token may write for',
      );
    const read = reader.read(payload, { school });
    if (read.pupils.length > ROSTER_MAX_PUPILS)
      throw new ValidationError(
        PUPIL_ROSTER_ERRORS.ROSTER_TOO_LARGE,
        'The roster was refused; nothing was stored',
        [
          {
            field: 'body',
            code: PUPIL_ROSTER_ERRORS.ROSTER_TOO_LARGE,
            message: `at most ${ROSTER_MAX_PUPILS} pupils per roster`,
          },
        ],
      );
    const problems: RosterFeedProblem[] = [...read.problems];
    const notRegistered: string[] = [];
    let stored = 0;
    const at = this.clock.now();
    for (const pupil of read.pupils) {
      const issues: ErrorIssue[] = [];
      const entry = rosterEntryOf(pupil.entry, issues);
      if (issues.length > 0) {
        problems.push({
          sourceId: pupil.localId,
          reason: 'WRONG_TYPE',
          detail: issues.map((i) => `${i.field}: ${i.message}`).join('; '),
        });
        continue;
      }
      if (await this.roster.put(scope.board, school, pupil.localId, entry, reader.system, at)) stored++;
      else notRegistered.push(pupil.localId);
    }
    return { school, system: reader.system, stored, notRegistered, problems };
  }
}
