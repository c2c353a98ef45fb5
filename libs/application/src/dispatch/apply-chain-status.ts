import type { NewAuditEntry, SchoolFeedback, StatusChange, UnitOfWork } from '#domain';

/**
 * A destination's (or an officer's) status for a delivered report, in one unit of work: the report moves forward
 * (never back) with the chain fields the privacy engine released to the school (ADR 0026); only when it moved are
 * the history row (with the released `feedback.*` paths) and the audit entries written. 'unchanged' when the
 * report is already there or further, or the delivery is gone.
 */
export function applyChainStatus(
  unitOfWork: UnitOfWork,
  deliveryId: string,
  change: StatusChange,
  audit: readonly NewAuditEntry[],
  at: Date,
  forSchool: SchoolFeedback,
): Promise<'applied' | 'unchanged'> {
  return unitOfWork.run(async (tx) => {
    const delivery = await tx.deliveries.find(deliveryId);
    if (delivery === null) return 'unchanged';
    const { board, reportId } = delivery;
    const changedAt = new Date(change.at);
    const moved = await tx.reports.advance(board, reportId, change.status, changedAt, {
      closingReason: forSchool.closingReason,
      closingExplanation: forSchool.closingExplanation,
      contact: forSchool.contact,
    });
    if (!moved) return 'unchanged';
    await tx.reports.addHistory(
      [
        {
          board,
          reportId,
          status: change.status,
          source: delivery.destination,
          closingReason: change.closingReason ?? null,
          closingExplanation: change.closingExplanation ?? null,
          contact: change.contact ?? null,
          schoolFields: forSchool.released,
        },
      ],
      changedAt,
    );
    await tx.audit.append(audit, at);
    return 'applied';
  });
}
