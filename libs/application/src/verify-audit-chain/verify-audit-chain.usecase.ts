import type { AuditLog, AuditVerification } from '#domain';

/** `audit verify`: walks the whole chain and names the first broken entry. */
export class VerifyAuditChainUseCase {
  constructor(private readonly log: AuditLog) {}

  execute(): Promise<AuditVerification> {
    return this.log.verify();
  }
}
