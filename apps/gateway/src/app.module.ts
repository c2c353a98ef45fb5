import { randomUUID } from 'node:crypto';
import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';
import {
  GetBellScheduleUseCase,
  GetRecordBatchUseCase,
  IngestPayloadUseCase,
  ListQuarantineUseCase,
  ListRecordBatchesUseCase,
  PutBellScheduleUseCase,
  PutReasonMappingUseCase,
  SubmitRecordBatchUseCase,
} from '#application';
import { SETTINGS, type Settings, isLoopbackHost } from '#config';
import {
  CLOCK,
  type Clock,
  PUPIL_DIRECTORY,
  type PupilDirectory,
  QUARANTINE_REPOSITORY,
  type QuarantineRepository,
  REASON_MAPPING_REPOSITORY,
  type ReasonMappingRepository,
  RECORD_BATCH_REPOSITORY,
  type RecordBatchRepository,
  TIMETABLE_REPOSITORY,
  type TimetableRepository,
} from '#domain';
import { type DataSource, TypeOrmPupilDirectory } from '#persistence';
import {
  DATA_SOURCE,
  LOGGER,
  PRIVACY_SERVICES,
  type PrivacyServices,
  adapterFor,
  openConsoleSessionStore,
} from '#runtime';
import { PrivacyModule } from './privacy/privacy.module.js';
import {
  AuthModule,
  ConsoleAuthController,
  ConsoleSessionService,
  LocalOidcProvider,
  demoKeyOffer,
  OidcSignIn,
  loadClaimsMapping,
} from './auth/index.js';
import { HealthController } from './health/health.controller.js';
import { IngestController } from './ingest/ingest.controller.js';
import { ProblemFilter } from './http/problem.filter.js';
import { PULL_STATUS, PullStatusController, type PullStatusSource } from './pull/pull-status.controller.js';
import { RecordsController } from './records/records.controller.js';
import { SIGNALS_CONTROLLERS, SIGNALS_PROVIDERS } from './signals/signals.providers.js';
import { DELIVERY_CONTROLLERS, DELIVERY_PROVIDERS } from './delivery/delivery.providers.js';
import { CASES_CONTROLLERS, CASES_PROVIDERS } from './cases/cases.providers.js';
import { CONSOLE_API_CONTROLLERS, CONSOLE_API_PROVIDERS } from './console-api/console-api.providers.js';

/** What the composition root passes besides the infrastructure (the policy engine comes with it). */
export interface GatewayOptions {
  /** The scheduled pulls' status (main passes its PullScheduler's); none: no sources. */
  readonly pullStatus?: PullStatusSource;
}

/** The gateway module's inputs: the infrastructure as a module, and the settings that shape the module itself. */
export interface GatewayModuleOptions extends GatewayOptions {
  /** The process's infrastructure in Nest's container: `InfrastructureModule.forRoot(infra)` (ADR 0031). */
  readonly infrastructure: DynamicModule;
  /**
   * Read while the module is declared, because they decide which controllers and providers exist (the local
   * issuer's and the demo sign-in's) and a bad claims-mapping file must fail start-up; everything else reads
   * the SETTINGS provider.
   */
  readonly settings: Settings;
}

@Module({})
export class AppModule {
  /** The gateway over the infrastructure module the composition root built (so tests and main share one path). */
  static forRoot(options: GatewayModuleOptions): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [options.infrastructure, AuthModule.forRoot(options.settings), PrivacyModule],
      controllers: [
        ConsoleAuthController,
        HealthController,
        RecordsController,
        IngestController,
        PullStatusController,
        ...SIGNALS_CONTROLLERS,
        ...DELIVERY_CONTROLLERS,
        ...CASES_CONTROLLERS,
        ...CONSOLE_API_CONTROLLERS,
      ],
      providers: [
        { provide: PULL_STATUS, useValue: options.pullStatus ?? (() => []) },
        ...consoleSignInProviders(options.settings),
        { provide: APP_FILTER, inject: [LOGGER], useFactory: (logger: Logger) => new ProblemFilter(logger) },
        {
          provide: PUPIL_DIRECTORY,
          inject: [DATA_SOURCE],
          useFactory: (dataSource: DataSource) => new TypeOrmPupilDirectory(dataSource),
        },
        {
          provide: SubmitRecordBatchUseCase,
          inject: [RECORD_BATCH_REPOSITORY, CLOCK, PUPIL_DIRECTORY],
          useFactory: (batches: RecordBatchRepository, clock: Clock, pupils: PupilDirectory) =>
            new SubmitRecordBatchUseCase(batches, clock, randomUUID, pupils),
        },
        {
          provide: GetRecordBatchUseCase,
          inject: [RECORD_BATCH_REPOSITORY],
          useFactory: (batches: RecordBatchRepository) => new GetRecordBatchUseCase(batches),
        },
        {
          provide: ListRecordBatchesUseCase,
          inject: [RECORD_BATCH_REPOSITORY],
          useFactory: (batches: RecordBatchRepository) => new ListRecordBatchesUseCase(batches),
        },
        {
          provide: IngestPayloadUseCase,
          inject: [
            RECORD_BATCH_REPOSITORY,
            REASON_MAPPING_REPOSITORY,
            CLOCK,
            TIMETABLE_REPOSITORY,
            PUPIL_DIRECTORY,
          ],
          useFactory: (
            batches: RecordBatchRepository,
            mappings: ReasonMappingRepository,
            clock: Clock,
            timetables: TimetableRepository,
            pupils: PupilDirectory,
          ) => new IngestPayloadUseCase(batches, mappings, adapterFor, clock, randomUUID, timetables, pupils),
        },
        {
          provide: PutReasonMappingUseCase,
          inject: [
            REASON_MAPPING_REPOSITORY,
            QUARANTINE_REPOSITORY,
            RECORD_BATCH_REPOSITORY,
            CLOCK,
            PRIVACY_SERVICES,
          ],
          useFactory: (
            mappings: ReasonMappingRepository,
            quarantine: QuarantineRepository,
            batches: RecordBatchRepository,
            clock: Clock,
            privacy: PrivacyServices,
          ) =>
            new PutReasonMappingUseCase(mappings, quarantine, batches, clock, randomUUID, {
              pupils: privacy.pupils,
              policies: privacy.resolver,
              engine: privacy.engine,
            }),
        },
        {
          provide: ListQuarantineUseCase,
          inject: [QUARANTINE_REPOSITORY],
          useFactory: (quarantine: QuarantineRepository) => new ListQuarantineUseCase(quarantine),
        },
        {
          provide: PutBellScheduleUseCase,
          inject: [TIMETABLE_REPOSITORY, CLOCK],
          useFactory: (timetables: TimetableRepository, clock: Clock) =>
            new PutBellScheduleUseCase(timetables, clock),
        },
        {
          provide: GetBellScheduleUseCase,
          inject: [TIMETABLE_REPOSITORY],
          useFactory: (timetables: TimetableRepository) => new GetBellScheduleUseCase(timetables),
        },
        ...SIGNALS_PROVIDERS,
        ...DELIVERY_PROVIDERS,
        ...CASES_PROVIDERS,
        ...CONSOLE_API_PROVIDERS,
      ],
      exports: [ConsoleSessionService],
    };
  }
}

/** Console sign-in (ADR 0016): the local demo provider or a configured one, the claims mapping, the sessions. */
function consoleSignInProviders(settings: Settings): Provider[] {
  // A bad claims-mapping file fails start-up (exit 78), not the first sign-in.
  const mapping = loadClaimsMapping(settings.console.claimsMappingFile);
  const local = settings.console.localProvider;
  return [
    ...(local
      ? [
          {
            provide: LocalOidcProvider,
            inject: [SETTINGS],
            useFactory: (s: Settings) =>
              new LocalOidcProvider(
                s.host,
                s.console.sessionTtlSeconds,
                // The demo municipality's key is handed out in embedded mode only (ADR 0023), never in production.
                demoKeyOffer(s),
              ),
          },
        ]
      : []),
    {
      provide: ConsoleSessionService,
      inject: [SETTINGS, DATA_SOURCE, CLOCK, { token: LocalOidcProvider, optional: true }],
      useFactory: (
        s: Settings,
        dataSource: DataSource,
        clock: Clock,
        provider: LocalOidcProvider | undefined,
      ) =>
        new ConsoleSessionService(
          openConsoleSessionStore({ dataSource }),
          clock,
          mapping,
          provider
            ? OidcSignIn.forLocal(provider, isLoopbackHost)
            : s.console.oidc
              ? OidcSignIn.forProvider(s.console.oidc)
              : null,
          s.console.sessionTtlSeconds,
        ),
    },
  ];
}
