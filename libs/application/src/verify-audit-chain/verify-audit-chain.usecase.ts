import {
  type Actor,
  type AuditLog,
  type AuditLogVerification,
  type BoardChainVerification,
  requireRole,
} from '#domain';

/**
 * `audit verify` (whoever operates the deployment): the sealed chain and every board's chain, each to its
 * first break. `forActor` (the API): the caller's board's chain only, saying nothing of any other board.
 */
export class VerifyAuditChainUseCase {
  constructor(private readonly log: AuditLog) {}

  execute(): Promise<AuditLogVerification> {
    return this.log.verify();
  }

  forActor(actor: Actor): Promise<BoardChainVerification> {
    requireRole(actor, ['auditor', 'privacy_officer'], `Role ${actor.role} may not verify the audit log`);
    return this.log.verifyBoard(actor.board);
  }
}
