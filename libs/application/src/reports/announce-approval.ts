import { type NewReport, type ReportStatus, type Stores, afterApproved } from '#domain';

/** Who approved a report the school's settings let through at drafting. */
export const AUTO_APPROVE = 'auto-approve';

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

/**
 * Stores reports an evaluation drafted (a live one per signal: a second is left out) and announces those stored
 * `APPROVED` — auto-approved at drafting — in the same unit of work, each in the name of its `decidedBy`.
 * The ids and statuses of those stored.
 */
export async function storeDraftedReports(
  tx: Pick<Stores, 'reports' | 'audit' | 'outbox'>,
  reports: readonly NewReport[],
  at: Date,
): Promise<{ readonly id: string; readonly board: string; readonly status: ReportStatus }[]> {
  if (reports.length === 0) return [];
  const stored = await tx.reports.insert(reports, at);
  const decidedBy = new Map(reports.map((r) => [r.id, r.decidedBy ?? AUTO_APPROVE]));
  const approvedBy = new Map<string, (typeof stored)[number][]>();
  for (const row of stored.filter((r) => r.status === 'APPROVED')) {
    const by = decidedBy.get(row.id) ?? AUTO_APPROVE;
    approvedBy.set(by, [...(approvedBy.get(by) ?? []), row]);
  }
  for (const [by, rows] of approvedBy) await announceApproval(tx, rows, by, at);
  return stored;
}
