import {
  type Clock,
  type Delivery,
  type DeliveryStore,
  type Pseudonymise,
  type ReportConnector,
  type StatusChange,
  type UnitOfWork,
} from '#domain';
import { applyChainStatus } from './apply-chain-status.js';
import type { SchoolFeedbackGate } from './school-feedback.js';
import { statusAudit, feedbackAudit } from './report-status-audit.js';

/**
 * Brings DUO's status changes back (AanvraagGewijzigdeMeldingRelatiefVerzuim since the last moment asked):
 * each change moves its report forward (never back) with history and an audit entry; the cursor advances only
 * after every change was applied, so a crash repeats a page, which changes nothing the second time.
 */
export class SyncChainStatusUseCase {
  constructor(
    private readonly store: DeliveryStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly connector: Pick<ReportConnector, 'destination' | 'fetchStatusChanges'>,
    private readonly pseudonymise: Pseudonymise,
    private readonly clock: Clock,
    /** The privacy engine between the municipality's status and the school (ADR 0026). */
    private readonly feedback: SchoolFeedbackGate,
    /**
     * One identity's feed (ADR 0014): its own cursor, and only its board's reports (DUO lists the sender's reports;
     * a report number seen under another board is not this feed's). Default: `<destination>-status`, any board.
     */
    private readonly feed: { readonly cursor: string; readonly board: string | null } | null = null,
  ) {}

  get cursorName(): string {
    return this.feed?.cursor ?? `${this.connector.destination.toLowerCase()}-status`;
  }

  async run(): Promise<{ changes: number; applied: number; unknown: number }> {
    const since = (await this.store.cursor(this.cursorName)) ?? new Date(0);
    const { changes, until } = await this.connector.fetchStatusChanges(since);
    let applied = 0;
    let unknown = 0;
    for (const change of changes) {
      const delivery = await this.store.findByExternalRef(
        this.connector.destination,
        change.externalRef,
        this.feed?.board ?? undefined,
      );
      if (delivery === null) {
        unknown += 1;
        continue;
      }
      if ((await this.apply(delivery, change)) === 'applied') applied += 1;
    }
    if (until.getTime() > since.getTime()) await this.store.setCursor(this.cursorName, until);
    return { changes: changes.length, applied, unknown };
  }

  private async apply(delivery: Delivery, change: StatusChange): Promise<'applied' | 'unchanged'> {
    const report = await this.store.report(delivery.board, delivery.reportId);
    if (report === null) return 'unchanged';
    // Decided before the write; logged only when it was written (a change that moves nothing discloses nothing).
    const gate = await this.feedback.decide(report, change);
    const result = await applyChainStatus(
      this.unitOfWork,
      delivery.id,
      change,
      [
        statusAudit(
          delivery.board,
          await this.pseudonymise(delivery.board, report.pupil.localId, report.school),
          report.id,
          {
            status: change.status,
            source: delivery.destination,
            externalRef: change.externalRef,
            closingReason: change.closingReason ?? null,
            closingExplanation: change.closingExplanation ?? null,
            ...feedbackAudit(gate),
          },
        ),
      ],
      this.clock.now(),
      gate.feedback,
    );
    if (result === 'applied' && gate.record) {
      await gate.record(`${delivery.destination}:${report.id}:${change.status}`);
    }
    return result;
  }
}
