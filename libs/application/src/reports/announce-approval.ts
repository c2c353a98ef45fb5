import { type Stores, afterApproved } from '#domain';

/**
 * Announces approved reports in the approval's unit of work, as the report lifecycle's `afterApproved` says: the
 * REPORT_APPROVED events, then the APPROVED history rows, then the audit entries naming who approved.
 */
export async function announceApproval(
  tx: Pick<Stores, 'reports' | 'audit' | 'outbox'>,
  reports: readonly { readonly id: string; readonly board: string }[],
  by: string,
  at: Date,
): Promise<void> {
  const announced = reports.map((report) => afterApproved(report, by));
  if (announced.length === 0) return;
  for (const a of announced) await tx.outbox.add(a.event, at);
  await tx.reports.addHistory(
    announced.map((a) => ({ ...a.history, source: 'KETENPOORT' as const })),
    at,
  );
  await tx.audit.append(
    announced.map((a) => a.audit),
    at,
  );
}
