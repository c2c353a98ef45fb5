import type { Destination, ReportConsequence, StatusHistoryRow, Stores } from '#domain';

/**
 * Writes what the report lifecycle decided (`afterPlanned`, `afterDelivered`, `afterFailed`) in the unit of work:
 * an `advance` moves the report forward and is written to its history only when it moved (and is not quiet); a
 * `note` is written to the history as it is.
 */
export async function carryOut(
  tx: Pick<Stores, 'reports'>,
  board: string,
  consequences: readonly ReportConsequence[],
  source: Destination | 'KETENPOORT',
  at: Date,
): Promise<void> {
  const history: StatusHistoryRow[] = [];
  for (const c of consequences) {
    if (c.kind === 'note') {
      history.push({ board, reportId: c.reportId, status: c.status, source, detail: c.detail });
    } else if (
      (await tx.reports.advance(board, c.reportId, c.status, at, { externalRef: c.externalRef ?? null })) &&
      c.quiet !== true
    ) {
      history.push({ board, reportId: c.reportId, status: c.status, source, detail: c.detail ?? null });
    }
  }
  if (history.length > 0) await tx.reports.addHistory(history, at);
}
