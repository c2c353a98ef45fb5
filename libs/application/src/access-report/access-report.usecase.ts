import {
  type Actor,
  type BoardScope,
  type CanonicalRecord,
  type Clock,
  type DisclosureLogEntry,
  type DisclosureStore,
  type LegalHold,
  NotFoundError,
  type Pseudonymise,
  type PupilRegistry,
  type QuarantineEntry,
  requireBoardScope,
  requireRole,
} from '#domain';
import { ACCESS_REPORT_ERRORS } from './access-report-error-codes.js';

export const BSN_PRESENT = 'aanwezig, versleuteld opgeslagen';
export const BSN_ABSENT = 'niet geregistreerd';

/** Everything held about one pupil and every disclosure made (AVG art. 15). The BSN is never in it. */
export interface AccessReport {
  readonly generatedAt: string;
  readonly board: string;
  readonly pupil: {
    readonly localId: string;
    readonly school: string;
    readonly birthDate: string;
    readonly sector: string;
    readonly startkwalificatie: boolean | null;
    readonly woongemeente: string | null;
    readonly enrolledFrom: string;
    readonly leftOn: string | null;
    readonly bsn: typeof BSN_PRESENT | typeof BSN_ABSENT;
  };
  readonly legalHold: LegalHold | null;
  readonly records: readonly CanonicalRecord[];
  /** Metadata only: the raw item stays inside the school's store. */
  readonly quarantined: readonly QuarantineEntry[];
  readonly disclosures: readonly DisclosureLogEntry[];
}

/** Privacy officers see the whole board; school staff only pupils of their own schools. Others: 403. */
export class BuildAccessReportUseCase {
  constructor(
    private readonly pupils: PupilRegistry,
    private readonly disclosures: DisclosureStore,
    private readonly pseudonymise: Pseudonymise,
    private readonly clock: Clock,
  ) {}

  /** `school`: which child, when two schools of the board have a pupil with this number (ADR 0017). */
  async execute(actor: Actor, localId: string, school?: string): Promise<AccessReport> {
    const scope = accessScope(actor);
    const pupil = await this.pupils.find(scope, localId, school);
    // Another board's (or school's) pupil looks exactly like a missing one.
    if (!pupil)
      throw new NotFoundError(ACCESS_REPORT_ERRORS.PUPIL_NOT_FOUND, 'No such pupil in your school board');
    const held = await this.pupils.heldData(scope.board, localId, pupil.administration);
    const disclosures = await this.disclosures.disclosuresOf(
      scope.board,
      await this.pseudonymise(scope.board, localId, pupil.school),
    );
    return {
      generatedAt: this.clock.now().toISOString(),
      board: scope.board,
      pupil: {
        localId: pupil.localId,
        school: pupil.school,
        birthDate: pupil.birthDate,
        sector: pupil.sector,
        startkwalificatie: pupil.startkwalificatie,
        woongemeente: pupil.woongemeente,
        enrolledFrom: pupil.enrolledFrom,
        leftOn: pupil.leftOn,
        bsn: pupil.hasBsn ? BSN_PRESENT : BSN_ABSENT,
      },
      legalHold: pupil.legalHold,
      records: held.records,
      quarantined: held.quarantined,
      disclosures,
    };
  }
}

function accessScope(actor: Actor): BoardScope {
  requireRole(
    actor,
    ['privacy_officer', 'school_staff'],
    'Only a privacy officer or school staff answer an access request',
  );
  // The privacy officer's scope is the whole board, school staff's their schools.
  return requireBoardScope(actor, 'read');
}
