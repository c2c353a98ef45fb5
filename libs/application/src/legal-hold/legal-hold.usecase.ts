import {
  type Actor,
  type Clock,
  NotFoundError,
  type Pseudonymise,
  type Pupil,
  type PupilRegistry,
  ValidationError,
  requireRole,
} from '#domain';
import { LEGAL_HOLD_ERRORS } from './legal-hold-error-codes.js';

/** A privacy officer suspends (or resumes) deletion of one pupil's data; both are audited. */
export class LegalHoldUseCase {
  constructor(
    private readonly pupils: PupilRegistry,
    private readonly pseudonymise: Pseudonymise,
    private readonly clock: Clock,
  ) {}

  async set(actor: Actor, localId: string, reason: string, school?: string): Promise<Pupil> {
    const board = officerBoard(actor);
    const trimmed = reasonOf(reason, 'A legal hold needs a reason');
    const found = await this.pupils.find({ board, schools: null }, localId, school);
    if (!found) throw notFound();
    const pupil = await this.pupils.setLegalHold(
      board,
      localId,
      {
        reason: trimmed,
        setBy: actor.subject,
        pseudonym: await this.pseudonymise(board, localId, found.school),
      },
      this.clock.now(),
      found.administration,
    );
    if (!pupil) throw notFound();
    return pupil;
  }

  /** `reason`: why the hold ends (kept in the hold history); optional for clients of before issue 15. */
  async lift(actor: Actor, localId: string, school?: string, lifting: LegalHoldLift = {}): Promise<Pupil> {
    const board = officerBoard(actor);
    const why = lifting.reason;
    const found = await this.pupils.find({ board, schools: null }, localId, school);
    if (!found) throw notFound();
    const pupil = await this.pupils.liftLegalHold(
      board,
      localId,
      {
        liftedBy: actor.subject,
        pseudonym: await this.pseudonymise(board, localId, found.school),
        ...(why === undefined ? {} : { reason: why }),
      },
      this.clock.now(),
      found.administration,
    );
    if (!pupil) throw notFound();
    return pupil;
  }
}

/** 400 LEGAL_HOLD_REASON unless a text of 3–500 characters (trimmed). */
/** Why a privacy officer lifts a hold (`DELETE /v1/pupils/{localId}/legal-hold`); the reason is optional. */
export interface LegalHoldLift {
  readonly reason?: string;
}

/** A lift body: none, or `{ reason }` of 3..500 characters (trimmed); else `LEGAL_HOLD_REASON`. */
export function parseLegalHoldLift(body: unknown): LegalHoldLift {
  const reason =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['reason'] : undefined;
  return reason === undefined ? {} : { reason: reasonOf(reason, 'Lifting a legal hold names why') };
}

function reasonOf(reason: unknown, message: string): string {
  const trimmed = typeof reason === 'string' ? reason.trim() : '';
  if (trimmed.length < 3 || trimmed.length > 500) {
    throw new ValidationError(LEGAL_HOLD_ERRORS.LEGAL_HOLD_REASON, message, [
      { field: 'reason', code: LEGAL_HOLD_ERRORS.LEGAL_HOLD_REASON, message: 'between 3 and 500 characters' },
    ]);
  }
  return trimmed;
}

function officerBoard(actor: Actor): string {
  requireRole(actor, ['privacy_officer'], 'Only a privacy officer sets or lifts a legal hold');
  return actor.board;
}

export function notFound(): NotFoundError {
  return new NotFoundError(LEGAL_HOLD_ERRORS.PUPIL_NOT_FOUND, 'No such pupil in your school board');
}
