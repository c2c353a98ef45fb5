import type { Logger } from 'pino';
import {
  DispatchDeliveryUseCase,
  EnqueueDueDeliveriesUseCase,
  type LeerplichtRouter,
  RecordDisclosureUseCase,
  type RetrySchedule,
  SchoolFeedbackGate,
  SyncChainStatusUseCase,
} from '#application';
import type { Settings } from '#config';
import {
  DELIVERY_DUE,
  REPORT_APPROVED,
  type MessageHandler,
  type ReportConnector,
  type ReportFieldSource,
  routingKeyOf,
} from '#domain';
import type { ReleasedPayload } from '#privacy';
import { TypeOrmDeliveryStore, TypeOrmPersonalNumberSource, TypeOrmUnitOfWork } from '#persistence';
import { randomUUID } from 'node:crypto';
import type { ProcessContext } from './process-context.js';
import { safeError } from './logger.js';
import type { PrivacyServices } from './retention.schedule.js';
import type { DuoStatusFeed } from './duo-identities.js';

/** The dispatcher's queue is `<BROKER_NAMESPACE>.worker.delivery`. */
export const deliveryQueueOf = (settings: Pick<Settings, 'brokerNamespace'>): string =>
  `${settings.brokerNamespace}.worker.delivery`;
/** How often sending parties' certificates are checked for (coming) expiry. */
export const CERTIFICATE_WATCH_MS = 86_400_000;
export const DELIVERY_ROUTING_KEYS = [routingKeyOf(REPORT_APPROVED), routingKeyOf(DELIVERY_DUE)];

export const retryScheduleOf = (settings: Settings): RetrySchedule => ({
  baseMs: settings.delivery.retryBaseMs,
  factor: settings.delivery.retryFactor,
  maxMs: settings.delivery.retryMaxMs,
  maxAttempts: settings.delivery.maxAttempts,
});

export interface DeliveryServices {
  readonly store: TypeOrmDeliveryStore;
  readonly dispatch: DispatchDeliveryUseCase;
  readonly enqueueDue: EnqueueDueDeliveriesUseCase;
  /**
   * The status feeds now: one per DUO identity in use (the settings identity and every sending party, ADR 0014),
   * or one per plain DUO connector. Asked again at every poll, since sending parties come and go.
   */
  statusSync(): Promise<readonly SyncChainStatusUseCase[]>;
  /** Logs the certificates that expire within 30 days (or did); how many. */
  warnExpiringCertificates(): Promise<number>;
}

/** A connector that speaks for several identities, each with its own status feed (the DUO router). */
interface FeedSource {
  feeds(): Promise<readonly DuoStatusFeed[]>;
  warnExpiring(): Promise<number>;
}
const isFeedSource = (connector: unknown): connector is FeedSource =>
  typeof (connector as Partial<FeedSource>).feeds === 'function';

/** The delivery side over an opened infrastructure: stores, the dispatcher with its connectors, status feeds. */
export function openDeliveryServices(
  infra: Pick<ProcessContext, 'settings' | 'dataSource' | 'clock' | 'logger'>,
  privacy: PrivacyServices,
  connectors: readonly ReportConnector<ReleasedPayload>[],
  router: LeerplichtRouter | null,
  options: { readonly random?: () => number; readonly fieldSource?: ReportFieldSource } = {},
): DeliveryServices {
  const store = new TypeOrmDeliveryStore(infra.dataSource);
  const unitOfWork = new TypeOrmUnitOfWork(infra.dataSource);
  const engine = privacy.engine;
  const disclosures = new RecordDisclosureUseCase(
    privacy.disclosures,
    privacy.resolver,
    engine,
    privacy.pseudonymise,
    infra.clock,
    randomUUID,
  );
  const dispatch = new DispatchDeliveryUseCase(
    store,
    unitOfWork,
    privacy.pupils,
    new TypeOrmPersonalNumberSource(infra.dataSource, privacy.keys.pupilData),
    privacy.resolver,
    engine,
    disclosures,
    privacy.pseudonymise,
    connectors,
    router,
    infra.clock,
    {
      duoOin: infra.settings.delivery.duoOin,
      leaseMs: infra.settings.delivery.leaseMs,
      schedule: retryScheduleOf(infra.settings),
      random: options.random ?? Math.random,
      ...(options.fieldSource ? { fieldSource: options.fieldSource } : {}),
      // The pupil's roster name, read at send time for the privacy decision per recipient (ADR 0027).
      roster: privacy.roster,
    },
    infra.logger.child({ component: 'dispatcher' }),
  );
  // The status feeds write what the school sees of the municipality's status through the engine (ADR 0026).
  const feedback = new SchoolFeedbackGate(privacy.resolver, engine, disclosures, privacy.pupils, infra.clock);
  const duo = connectors.filter((c) => c.destination === 'DUO');
  const statusSync = async (): Promise<SyncChainStatusUseCase[]> => {
    const syncs: SyncChainStatusUseCase[] = [];
    for (const connector of duo) {
      if (!isFeedSource(connector)) {
        syncs.push(
          new SyncChainStatusUseCase(
            store,
            unitOfWork,
            connector,
            privacy.pseudonymise,
            infra.clock,
            feedback,
          ),
        );
        continue;
      }
      for (const feed of await connector.feeds())
        syncs.push(
          new SyncChainStatusUseCase(
            store,
            unitOfWork,
            feed.connector,
            privacy.pseudonymise,
            infra.clock,
            feedback,
            {
              cursor: feed.cursor,
              board: feed.board,
            },
          ),
        );
    }
    return syncs;
  };
  const warnExpiringCertificates = async (): Promise<number> => {
    let warnings = 0;
    for (const connector of duo) if (isFeedSource(connector)) warnings += await connector.warnExpiring();
    return warnings;
  };
  const enqueueDue = new EnqueueDueDeliveriesUseCase(store, unitOfWork);
  return { store, dispatch, enqueueDue, statusSync, warnExpiringCertificates };
}

/** The dispatcher's message handler (worker microservice): acknowledged only after the attempt's outcome committed. */
export function deliveryConsumerOf(services: DeliveryServices, logger: Logger): MessageHandler {
  return async (envelope) => {
    const outcomes = await services.dispatch.handle(envelope);
    logger.debug({ messageId: envelope.messageId, outcomes }, 'delivery message handled');
  };
}

/**
 * The timers of the delivery side: every DELIVERY_SWEEP_MS due deliveries (retries on the schedule, attempts
 * whose dispatcher died) get a DELIVERY_DUE message through the outbox; every DUO_STATUS_POLL_MS DUO is asked
 * for status changes. Failures are logged (codes only) and tried again at the next tick.
 */
export class DeliveryLoop {
  private sweepTimer: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private certificateTimer: NodeJS.Timeout | null = null;
  private running = new Set<Promise<unknown>>();
  private stopped = true;
  private sweeping = false;
  private syncing = false;

  constructor(
    private readonly services: DeliveryServices,
    private readonly infra: Pick<ProcessContext, 'settings' | 'clock' | 'logger'>,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const { sweepMs, duoStatusPollMs } = this.infra.settings.delivery;
    this.sweepTimer = setInterval(() => {
      if (this.sweeping) return;
      this.sweeping = true;
      this.track(this.sweepNow().finally(() => (this.sweeping = false)));
    }, sweepMs);
    this.sweepTimer.unref();
    if (duoStatusPollMs > 0) {
      this.statusTimer = setInterval(() => {
        if (this.syncing) return;
        this.syncing = true;
        this.track(this.syncStatusNow().finally(() => (this.syncing = false)));
      }, duoStatusPollMs);
      this.statusTimer.unref();
    }
    // Sending parties' certificates: a warning in the log from 30 days before expiry, at start and daily.
    const watch = (): void =>
      this.track(
        this.services.warnExpiringCertificates().catch((error: unknown) => {
          this.infra.logger.warn({ err: safeError(error) }, 'certificate watch failed; next run retries');
        }),
      );
    watch();
    this.certificateTimer = setInterval(watch, CERTIFICATE_WATCH_MS);
    this.certificateTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.statusTimer) clearInterval(this.statusTimer);
    if (this.certificateTimer) clearInterval(this.certificateTimer);
    this.sweepTimer = this.statusTimer = this.certificateTimer = null;
    await Promise.allSettled([...this.running]);
  }

  /** Enqueues every due delivery now; returns how many. */
  async sweepNow(): Promise<number> {
    try {
      let total = 0;
      for (;;) {
        const n = await this.services.enqueueDue.execute(
          this.infra.clock.now(),
          this.infra.settings.delivery.leaseMs,
          500,
        );
        total += n;
        if (n < 500) return total;
      }
    } catch (error) {
      this.infra.logger.warn({ err: safeError(error) }, 'delivery sweep failed; next tick retries');
      return 0;
    }
  }

  /** Asks every status feed for changes now. */
  async syncStatusNow(): Promise<{ changes: number; applied: number; unknown: number }> {
    const total = { changes: 0, applied: 0, unknown: 0 };
    let syncs: readonly SyncChainStatusUseCase[];
    try {
      syncs = await this.services.statusSync();
    } catch (error) {
      this.infra.logger.warn({ err: safeError(error) }, 'status feeds unavailable; next tick retries');
      return total;
    }
    for (const sync of syncs) {
      try {
        const r = await sync.run();
        total.changes += r.changes;
        total.applied += r.applied;
        total.unknown += r.unknown;
      } catch (error) {
        this.infra.logger.warn({ err: safeError(error) }, 'status sync failed; next tick retries');
      }
    }
    return total;
  }

  private track(promise: Promise<unknown>): void {
    if (this.stopped) return;
    this.running.add(promise);
    void promise.finally(() => this.running.delete(promise));
  }
}
