import {
  type Clock,
  DELIVERY_DUE,
  type Delivery,
  type DeliveryDueV1,
  type DeliveryStore,
  type Destination,
  type DisclosureRequest,
  type Envelope,
  type NewAuditEntry,
  type OutboundContext,
  type PersonalNumberSource,
  type PolicyEngine,
  type Pseudonymise,
  type Pupil,
  type PupilRegistry,
  type PupilRosterStore,
  REPORT_APPROVED,
  type ReportApprovedV1,
  type ReportConnector,
  type Report,
  type ReportFieldSource,
  type SendResult,
  type UnitOfWork,
  afterDelivered,
  afterFailed,
  afterPlanned,
  checkRetention,
  isDomainError,
  parseRetentionPeriod,
} from '#domain';
import type { ReleasedPayload } from '#privacy';
import type { PolicyResolver } from '../privacy-engine/index.js';
import type { RecordDisclosureUseCase } from '../record-disclosure/index.js';
import { disclosureRequestFor } from './disclosure-request.js';
import { type LeerplichtRouter, planDeliveries } from './plan-deliveries.js';
import { type RetrySchedule, mayRetry, retryDelayMs } from './retry-schedule.js';
import { schoolToday } from '../shared/school-day.js';
import { DISPATCH_ERRORS } from './dispatch-error-codes.js';
import { PRIVACY_ENGINE_ERRORS } from '../privacy-engine/privacy-engine-error-codes.js';
import { carryOut } from './report-consequences.js';

export interface DispatchOptions {
  /** DUO's organisation identifier (OIN), the recipient id of every DUO delivery. */
  readonly duoOin: string;
  /** How long an attempt may take before another dispatcher may take the delivery over (> connector timeout). */
  readonly leaseMs: number;
  readonly schedule: RetrySchedule;
  /** In [0, 1): the jitter source (injected for tests). */
  readonly random: () => number;
  /**
   * Fields the report does not hold but DUO expects, from the pupil registry and the school's sending party
   * (`pupil.woongemeente`, `education.*`, the contact person): merged under the report's own fields before the
   * privacy decision, which decides on them like on any other. Absent: the report's fields only.
   */
  readonly fieldSource?: ReportFieldSource;
  /**
   * The roster (ADR 0019), read at send time for the pupil's name (`pupil.name`, ADR 0027): it goes into the
   * disclosure request and the privacy decision releases it per recipient (leerplicht and the Doorstroompunt,
   * never DUO). Never stored in a draft. Absent, or a pupil without a roster name: the report goes without it.
   */
  readonly roster?: Pick<PupilRosterStore, 'get'>;
}

export type AttemptOutcome = 'delivered' | 'retry' | 'rejected' | 'dead' | 'not-claimed';

export interface DispatchLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * The dispatcher (ADR 0011): plans an approved report's deliveries and attempts each one. Every attempt
 * re-checks retention and re-runs the privacy decision under the policy in force, reads the BSN only for that
 * send, hands the connector a ReleasedPayload and records the outcome: DISCLOSURE in the audit chain when
 * sent; RETRY_WAIT on the published schedule for transient errors; REJECTED (work queue) for permanent ones;
 * DEAD (dead-letter queue) once the schedule is exhausted. The delivery row is the idempotency record: a
 * redelivered message finds it claimed or done and changes nothing. What each outcome does to the report is the
 * report lifecycle's (`afterPlanned`, `afterDelivered`, `afterFailed`); the dispatcher writes it, with its audit
 * entry, in one unit of work (ADR 0032).
 */
export class DispatchDeliveryUseCase {
  private readonly connectors: ReadonlyMap<Destination, ReportConnector<ReleasedPayload>>;

  constructor(
    private readonly store: Pick<DeliveryStore, 'report' | 'ofReport'>,
    private readonly unitOfWork: UnitOfWork,
    private readonly pupils: Pick<PupilRegistry, 'find'>,
    private readonly numbers: PersonalNumberSource,
    private readonly resolver: PolicyResolver,
    private readonly engine: PolicyEngine<ReleasedPayload>,
    private readonly disclosures: Pick<RecordDisclosureUseCase, 'execute'>,
    private readonly pseudonymise: Pseudonymise,
    connectors: readonly ReportConnector<ReleasedPayload>[],
    private readonly router: LeerplichtRouter | null,
    private readonly clock: Clock,
    private readonly options: DispatchOptions,
    private readonly logger?: DispatchLogger,
  ) {
    this.connectors = new Map(connectors.map((c) => [c.destination, c]));
  }

  /** Handles a broker message of the delivery queue; resolves when done (the message may be acknowledged). */
  async handle(envelope: Envelope): Promise<AttemptOutcome[]> {
    if (envelope.type === REPORT_APPROVED.type) {
      const payload = envelope.payload as Partial<ReportApprovedV1>;
      if (typeof payload.board !== 'string' || typeof payload.reportId !== 'string') return [];
      return this.onApproved(payload.board, payload.reportId);
    }
    if (envelope.type === DELIVERY_DUE.type) {
      const payload = envelope.payload as Partial<DeliveryDueV1>;
      if (typeof payload.deliveryId !== 'string' || typeof payload.attempt !== 'number') return [];
      return [await this.attempt(payload.deliveryId, payload.attempt - 1)];
    }
    return [];
  }

  /** Plans the deliveries of an approved report (idempotent) and makes the first attempt of each. */
  async onApproved(board: string, reportId: string): Promise<AttemptOutcome[]> {
    const report = await this.store.report(board, reportId);
    if (report === null) return [];
    let deliveries: Delivery[];
    if (report.status === 'APPROVED') {
      const pupil = await this.pupils.find({ board, schools: null }, report.pupil.localId, report.school);
      const original = report.supersedes ? await this.store.ofReport(board, report.supersedes) : [];
      const planned = planDeliveries({
        report,
        pupil,
        originalDeliveries: original,
        duoOin: this.options.duoOin,
        router: this.router,
      });
      const pseudonym = await this.pseudonymise(board, report.pupil.localId, report.school);
      const rejected =
        planned.length === 0
          ? {
              code: DISPATCH_ERRORS.NOTHING_TO_DELIVER,
              reason: 'De melding waarop dit betrekking heeft is nergens afgeleverd; niets te verzenden.',
            }
          : undefined;
      const audit = this.statusEntry(board, pseudonym, reportId, {
        status: rejected ? 'REJECTED' : 'QUEUED',
        deliveries: planned.map((p) => `${p.destination}:${p.skipped ? 'SKIPPED' : 'PENDING'}`),
        ...(rejected ? { code: rejected.code } : {}),
      });
      const at = this.clock.now();
      deliveries = await this.unitOfWork.run(async (tx) => {
        const locked = await tx.reports.lock(board, reportId);
        if (locked === null) return [];
        // Only an APPROVED report is planned; a redelivered approval of a report already planned changes nothing.
        const consequences = afterPlanned({ reportId, status: locked.status }, rejected);
        if (consequences.length > 0) {
          await tx.deliveries.insertPlanned({ board, school: locked.school, reportId }, planned, at);
          await carryOut(tx, board, consequences, 'KETENPOORT', at);
          await tx.audit.append([audit], at);
        }
        return tx.deliveries.ofReport(board, reportId);
      });
    } else {
      deliveries = await this.store.ofReport(board, reportId);
    }
    const outcomes: AttemptOutcome[] = [];
    // First attempts only; a delivery waiting for a retry keeps its schedule when an approval is redelivered.
    for (const delivery of deliveries) {
      outcomes.push(
        delivery.status === 'PENDING' ? await this.attempt(delivery.id, delivery.attempts) : 'not-claimed',
      );
    }
    return outcomes;
  }

  /** One attempt of one delivery; `expectedAttempts`: the attempts the caller saw (stale messages do nothing). */
  async attempt(deliveryId: string, expectedAttempts: number | null): Promise<AttemptOutcome> {
    const at = this.clock.now();
    const claimed = await this.unitOfWork.run((tx) =>
      tx.deliveries.claim(deliveryId, expectedAttempts, this.options.leaseMs, at),
    );
    if (claimed === null) return 'not-claimed';
    const report = await this.store.report(claimed.board, claimed.reportId);
    const pseudonym = report
      ? await this.pseudonymise(claimed.board, report.pupil.localId, report.school)
      : null;
    try {
      if (report === null) {
        return await this.fail(claimed, pseudonym, {
          retryable: false,
          code: DISPATCH_ERRORS.REPORT_GONE,
          reason: 'De melding bestaat niet meer (bewaartermijn verstreken of verwijderd).',
        });
      }
      return await this.send(claimed, report, pseudonym!);
    } catch (error) {
      // A bug or an unreachable store: count it as a transient failure of this attempt, never lose the delivery.
      const code = (error as { code?: unknown }).code;
      this.logger?.warn(
        { deliveryId, code: typeof code === 'string' ? code : DISPATCH_ERRORS.DISPATCH_ERROR },
        'delivery attempt failed',
      );
      return this.fail(claimed, pseudonym, {
        retryable: true,
        code: typeof code === 'string' ? code : DISPATCH_ERRORS.DISPATCH_ERROR,
        reason: 'Interne fout bij verzenden; wordt opnieuw geprobeerd.',
      }).catch(() => 'retry' as const);
    }
  }

  private async send(delivery: Delivery, report: Report, pseudonym: string): Promise<AttemptOutcome> {
    const now = this.clock.now();
    const connector = this.connectors.get(delivery.destination);
    if (!connector) {
      return this.fail(delivery, pseudonym, {
        retryable: true,
        code: DISPATCH_ERRORS.CONNECTOR_NOT_CONFIGURED,
        reason: `Geen verbinding met ${delivery.destination} ingesteld; wordt opnieuw geprobeerd.`,
      });
    }
    const pupil = await this.pupils.find(
      { board: delivery.board, schools: null },
      report.pupil.localId,
      report.school,
    );
    if (pupil === null) {
      return this.fail(delivery, pseudonym, {
        retryable: false,
        code: DISPATCH_ERRORS.PUPIL_UNKNOWN,
        reason:
          'De leerling staat niet (meer) in het leerlingregister; vul de gegevens aan en verstuur opnieuw.',
      });
    }
    let policy;
    try {
      policy = await this.resolver.inForce(delivery.board, now);
    } catch (error) {
      // The version in force fails the proof (ADR 0012): nothing is decided or sent under it. The delivery is
      // held, not lost, until the board's privacy officers approve a version that holds.
      if (!isDomainError(error) || error.code !== PRIVACY_ENGINE_ERRORS.POLICY_IN_FORCE_FAILS_PROOF)
        throw error;
      return this.fail(delivery, pseudonym, {
        retryable: true,
        hold: true,
        code: DISPATCH_ERRORS.POLICY_IN_FORCE_FAILS_PROOF,
        reason:
          'Het geldende privacybeleid van het bestuur breekt een privacygarantie; de melding wacht tot een nieuwe versie is goedgekeurd.',
      });
    }
    if (!this.withinRetention(pupil, policy.text, now)) {
      return this.fail(delivery, pseudonym, {
        retryable: false,
        code: DISPATCH_ERRORS.RETENTION_EXPIRED,
        reason: 'De bewaartermijn van deze gegevens is verstreken; de melding is niet verzonden.',
      });
    }
    const request = await this.disclosureRequest(delivery, report, pupil);
    if (request === null) {
      return this.fail(delivery, pseudonym, {
        retryable: false,
        code: DISPATCH_ERRORS.PUPIL_DATA_INVALID,
        reason:
          'De geboortedatum van de leerling past niet bij de meldingsperiode; controleer de leerlinggegevens.',
      });
    }
    const { decision, released } = this.engine.release(policy.text, request, now);
    if (released === null) {
      await this.disclosures.execute({
        board: delivery.board,
        pupilLocalId: report.pupil.localId,
        pupilSchool: report.school,
        request,
        decision,
        sent: false,
        reference: delivery.id,
      });
      return this.fail(delivery, pseudonym, {
        retryable: false,
        code: DISPATCH_ERRORS.PRIVACY_DENIED,
        reason: decision.explanation,
      });
    }
    const original =
      delivery.operation === 'REGISTER' || report.supersedes === null
        ? null
        : ((await this.store.ofReport(delivery.board, report.supersedes)).find(
            (d) => d.destination === delivery.destination && d.operation === 'REGISTER',
          ) ?? null);
    if (delivery.operation !== 'REGISTER' && original?.status !== 'DELIVERED') {
      return this.fail(delivery, pseudonym, {
        retryable: true,
        code: DISPATCH_ERRORS.ORIGINAL_NOT_DELIVERED,
        reason: 'De oorspronkelijke melding is nog niet afgeleverd; de wijziging wacht daarop.',
      });
    }
    const context: OutboundContext = {
      idempotencyKey: delivery.idempotencyKey,
      operation: delivery.operation,
      reportId: original?.reportId ?? report.id,
      reportKind: report.kind,
      board: delivery.board,
      school: report.school,
      externalRef: original?.externalRef ?? null,
      recipient: delivery.recipient,
      attempt: delivery.attempts,
      sentAt: now,
    };
    let result: SendResult;
    try {
      result = await connector.send(context, released);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      result = {
        ok: false,
        retryable: (error as { retryable?: unknown }).retryable !== false,
        code: typeof code === 'string' ? code : DISPATCH_ERRORS.CONNECTOR_ERROR,
        reason: 'De verbinding gaf een onverwachte fout.',
      };
    }
    if (!result.ok) return this.fail(delivery, pseudonym, result);
    await this.disclosures.execute({
      board: delivery.board,
      pupilLocalId: report.pupil.localId,
      pupilSchool: report.school,
      request,
      decision,
      sent: true,
      reference: `${delivery.destination}:${delivery.idempotencyKey}`,
    });
    const audit = this.statusEntry(delivery.board, pseudonym, delivery.reportId, {
      status: result.status,
      deliveryId: delivery.id,
      destination: delivery.destination,
      operation: delivery.operation,
      recipient: `${delivery.recipient.kind}:${delivery.recipient.id}`,
      attempt: delivery.attempts,
      externalRef: result.externalRef,
      fields: [...released.paths].sort(),
      ...(result.sentBy ? { sentBy: result.sentBy.party, senderOin: result.sentBy.oin } : {}),
    });
    const at = this.clock.now();
    const { externalRef, status } = result;
    await this.unitOfWork.run(async (tx) => {
      const done = await tx.deliveries.markDelivered(delivery.id, externalRef, at);
      if (done === null) return; // already recorded (a re-send after a crash answered again)
      const own = await tx.reports.lock(done.board, done.reportId);
      const consequences = afterDelivered({
        reportId: done.reportId,
        operation: done.operation,
        destination: done.destination,
        supersedes: own?.supersedes ?? null,
        result: { externalRef, status },
      });
      await carryOut(tx, done.board, consequences, done.destination, at);
      await tx.audit.append([audit], at);
    });
    this.logger?.info(
      { deliveryId: delivery.id, destination: delivery.destination, attempt: delivery.attempts },
      'delivered',
    );
    return 'delivered';
  }

  private withinRetention(pupil: Pupil, policyText: string, now: Date): boolean {
    let period: string | undefined;
    try {
      period = this.engine.retentionPeriod(policyText, 'absence', { sector: pupil.sector });
      parseRetentionPeriod(period);
    } catch {
      period = undefined;
    }
    return checkRetention({ leftOn: pupil.leftOn, legalHold: pupil.legalHold !== null }, now, period).keep;
  }

  private async disclosureRequest(
    delivery: Delivery,
    report: Report,
    pupil: Pupil,
  ): Promise<DisclosureRequest | null> {
    const supplied = this.options.fieldSource
      ? await this.options.fieldSource.fieldsFor(delivery.board, report.school, pupil)
      : {};
    const bsn = pupil.hasBsn
      ? await this.numbers.bsnOf(delivery.board, report.pupil.localId, pupil.administration)
      : null;
    const name = await this.rosterName(delivery.board, report);
    return disclosureRequestFor(
      report,
      pupil,
      delivery.recipient,
      bsn,
      schoolToday(this.clock.now()),
      name === null ? supplied : { ...supplied, 'pupil.name': name },
    );
  }

  /** The pupil's roster name as the school writes it ("Emma de Vries"), decrypted for this send only; or null. */
  private async rosterName(board: string, report: Report): Promise<string | null> {
    if (!this.options.roster) return null;
    const roster = await this.options.roster.get(board, report.school, report.pupil.localId);
    const name = roster?.displayName?.trim();
    return name ? name : null;
  }

  private async fail(
    delivery: Delivery,
    pseudonym: string | null,
    failure: {
      readonly retryable: boolean;
      readonly code: string;
      readonly reason: string;
      readonly hold?: boolean;
    },
  ): Promise<AttemptOutcome> {
    const now = this.clock.now();
    const { schedule } = this.options;
    // On hold (no usable identity to send with, ADR 0014): nothing went out, so the attempt does not count; it
    // waits the longest step of the schedule and looks again, for as long as it takes a person to fix it.
    const hold = failure.hold === true;
    const outcome = hold
      ? ('RETRY_WAIT' as const)
      : !failure.retryable
        ? ('REJECTED' as const)
        : mayRetry(schedule, delivery.attempts)
          ? ('RETRY_WAIT' as const)
          : ('DEAD' as const);
    const nextAttemptAt = hold
      ? new Date(now.getTime() + schedule.maxMs)
      : outcome === 'RETRY_WAIT'
        ? new Date(now.getTime() + retryDelayMs(schedule, delivery.attempts, this.options.random()))
        : null;
    const audit = this.statusEntry(delivery.board, pseudonym, delivery.reportId, {
      status: outcome,
      deliveryId: delivery.id,
      destination: delivery.destination,
      operation: delivery.operation,
      attempt: delivery.attempts,
      code: failure.code,
      nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
      ...(hold ? { held: 'true' } : {}),
    });
    const { code, reason } = failure;
    await this.unitOfWork.run(async (tx) => {
      const failed = await tx.deliveries.markFailed(
        delivery.id,
        { outcome, code, reason, nextAttemptAt, refundAttempt: hold },
        now,
      );
      if (failed === null) return;
      const consequences = afterFailed({ reportId: failed.reportId, outcome, code, reason });
      await carryOut(tx, failed.board, consequences, failed.destination, now);
      await tx.audit.append([audit], now);
    });
    this.logger?.info(
      {
        deliveryId: delivery.id,
        destination: delivery.destination,
        attempt: delivery.attempts,
        code: failure.code,
      },
      `delivery ${outcome.toLowerCase()}`,
    );
    return outcome === 'RETRY_WAIT' ? 'retry' : outcome === 'REJECTED' ? 'rejected' : 'dead';
  }

  private statusEntry(
    board: string,
    pseudonym: string | null,
    reportId: string,
    entry: Record<string, string | number | null | readonly string[]>,
  ): NewAuditEntry {
    return {
      board,
      kind: 'REPORT_STATUS',
      entry: { reportId, ...(pseudonym ? { pupil: pseudonym } : {}), ...entry },
    };
  }
}
