import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { SETTINGS } from '#config';
import {
  CLOCK,
  OUTBOX_STORE,
  QUARANTINE_REPOSITORY,
  REASON_MAPPING_REPOSITORY,
  RECORD_BATCH_REPOSITORY,
  SIGNAL_EVALUATOR,
  TIMETABLE_REPOSITORY,
} from '#domain';
import type { Infrastructure } from './infrastructure.js';
import { openSignalServices } from './signal-services.js';

/**
 * The opened `Infrastructure` itself: provided inside `InfrastructureModule` only and never exported, so the
 * parts below are the only way into it and no provider can use it as a service locator (ADR 0031).
 */
const INFRASTRUCTURE = Symbol('Infrastructure');

/** The process's pino `Logger`. */
export const LOGGER = Symbol('Logger');
/** The opened TypeORM `DataSource` (PGlite or PostgreSQL). */
export const DATA_SOURCE = Symbol('DataSource');
/** The readiness checks (`readonly HealthCheck[]`: database and broker). */
export const HEALTH_CHECKS = Symbol('HealthChecks');
/** The signal side's stores (`SignalServices`). */
export const SIGNAL_STORES = Symbol('SignalServices');
/** The process's privacy services (`PrivacyServices`), opened once and shared with the in-process dispatcher. */
export const PRIVACY_SERVICES = Symbol('PrivacyServices');

/** A part of the infrastructure as a provider of its own. */
const part = (provide: symbol, pick: (infra: Infrastructure) => unknown): Provider => ({
  provide,
  inject: [INFRASTRUCTURE],
  useFactory: pick,
});

/**
 * The process's infrastructure in Nest's container: a global module whose providers are the parts of the one
 * `Infrastructure` that the composition root (a main, `createGateway`, a test harness) opened. The domain's ports
 * go under the domain's own tokens (`CLOCK`, `RECORD_BATCH_REPOSITORY`, `SIGNAL_EVALUATOR`, …), the rest under
 * the tokens above; `SETTINGS` is `#config`'s. The modules of the
 * gateway and the worker import it (or rely on it being global) and ask for the parts by token; it opens and
 * closes nothing itself: the composition root still calls `infra.close()` after the application closed.
 */
@Module({})
export class InfrastructureModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    const exported = [
      SETTINGS,
      LOGGER,
      CLOCK,
      DATA_SOURCE,
      RECORD_BATCH_REPOSITORY,
      OUTBOX_STORE,
      REASON_MAPPING_REPOSITORY,
      QUARANTINE_REPOSITORY,
      TIMETABLE_REPOSITORY,
      HEALTH_CHECKS,
      SIGNAL_EVALUATOR,
      SIGNAL_STORES,
      PRIVACY_SERVICES,
    ];
    return {
      module: InfrastructureModule,
      global: true,
      providers: [
        { provide: INFRASTRUCTURE, useValue: infra },
        part(SETTINGS, (i) => i.settings),
        part(LOGGER, (i) => i.logger),
        part(CLOCK, (i) => i.clock),
        part(DATA_SOURCE, (i) => i.dataSource),
        part(RECORD_BATCH_REPOSITORY, (i) => i.batches),
        part(OUTBOX_STORE, (i) => i.outbox),
        part(REASON_MAPPING_REPOSITORY, (i) => i.mappings),
        part(QUARANTINE_REPOSITORY, (i) => i.quarantine),
        part(TIMETABLE_REPOSITORY, (i) => i.timetables),
        part(HEALTH_CHECKS, (i) => i.healthChecks),
        part(SIGNAL_EVALUATOR, (i) => i.signalEvaluator ?? null),
        part(SIGNAL_STORES, (i) => openSignalServices(i)),
        // Opened once per process (keys, the startup policy): the same services as the in-process dispatcher's.
        part(PRIVACY_SERVICES, (i) => i.privacy()),
      ],
      exports: exported,
    };
  }
}
