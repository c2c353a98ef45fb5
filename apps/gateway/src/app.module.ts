import { PULL_STATUS, PullStatusController, type PullStatusSource } from './pull/pull-status.controller.js';
import { randomUUID } from 'node:crypto';
import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
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
import { adapterFor, openConsoleSessionStore } from '#runtime';
import { TypeOrmPupilDirectory } from '#persistence';
import { SETTINGS } from '#config';
import type { Infrastructure, PrivacyServices } from '#runtime';
import { PRIVACY_SERVICES, PrivacyModule } from './privacy/privacy.module.js';
import {
  AuthModule,
  ConsoleAuthController,
  ConsoleSessionService,
  LocalOidcProvider,
  demoKeyOffer,
  OidcSignIn,
  loadClaimsMapping,
} from './auth/index.js';
import { isLoopbackHost } from '#config';
import { HealthController } from './health/health.controller.js';
import { IngestController } from './ingest/ingest.controller.js';
import { ProblemFilter } from './http/problem.filter.js';
import { RecordsController } from './records/records.controller.js';
import { SIGNALS_CONTROLLERS, signalsProviders } from './signals/signals.providers.js';
import { DELIVERY_CONTROLLERS, deliveryProviders } from './delivery/delivery.providers.js';
import { CASES_CONTROLLERS, casesProviders } from './cases/cases.providers.js';
import { INFRASTRUCTURE } from './tokens.js';
import { CONSOLE_API_CONTROLLERS, consoleApiProviders } from './console-api/console-api.providers.js';

/** What the composition root passes besides the infrastructure (the policy engine comes with it). */
export interface GatewayOptions {
  /** The scheduled pulls' status (main passes its PullScheduler's); none: no sources. */
  readonly pullStatus?: PullStatusSource;
}

@Module({})
export class AppModule {
  /** The gateway composed over already-opened infrastructure (so tests and main share one path). */
  static forRoot(infra: Infrastructure, options: GatewayOptions = {}): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [AuthModule.forRoot(infra.settings), PrivacyModule.forRoot(infra)],
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
        { provide: SETTINGS, useValue: infra.settings },
        { provide: PULL_STATUS, useValue: options.pullStatus ?? (() => []) },
        { provide: INFRASTRUCTURE, useValue: infra },
        ...consoleSignInProviders(infra),
        { provide: APP_FILTER, useFactory: () => new ProblemFilter(infra.logger) },
        {
          provide: SubmitRecordBatchUseCase,
          useFactory: () =>
            new SubmitRecordBatchUseCase(
              infra.batches,
              infra.clock,
              randomUUID,
              new TypeOrmPupilDirectory(infra.dataSource),
            ),
        },
        { provide: GetRecordBatchUseCase, useFactory: () => new GetRecordBatchUseCase(infra.batches) },
        { provide: ListRecordBatchesUseCase, useFactory: () => new ListRecordBatchesUseCase(infra.batches) },
        {
          provide: IngestPayloadUseCase,
          useFactory: () =>
            new IngestPayloadUseCase(
              infra.batches,
              infra.mappings,
              adapterFor,
              infra.clock,
              randomUUID,
              infra.timetables,
              new TypeOrmPupilDirectory(infra.dataSource),
            ),
        },
        {
          provide: PutReasonMappingUseCase,
          inject: [PRIVACY_SERVICES],
          useFactory: (privacy: PrivacyServices) =>
            new PutReasonMappingUseCase(
              infra.mappings,
              infra.quarantine,
              infra.batches,
              infra.clock,
              randomUUID,
              { pupils: privacy.pupils, policies: privacy.resolver, engine: privacy.engine },
            ),
        },
        { provide: ListQuarantineUseCase, useFactory: () => new ListQuarantineUseCase(infra.quarantine) },
        {
          provide: PutBellScheduleUseCase,
          useFactory: () => new PutBellScheduleUseCase(infra.timetables, infra.clock),
        },
        { provide: GetBellScheduleUseCase, useFactory: () => new GetBellScheduleUseCase(infra.timetables) },
        ...signalsProviders(infra),
        ...deliveryProviders(infra),
        ...casesProviders(infra),
        ...consoleApiProviders(infra),
      ],
      exports: [SETTINGS, INFRASTRUCTURE, ConsoleSessionService],
    };
  }
}

/** Console sign-in (ADR 0016): the local demo provider or a configured one, the claims mapping, the sessions. */
function consoleSignInProviders(infra: Infrastructure): Provider[] {
  const settings = infra.settings.console;
  // A bad claims-mapping file fails start-up (exit 78), not the first sign-in.
  const mapping = loadClaimsMapping(settings.claimsMappingFile);
  const local = settings.localProvider
    ? new LocalOidcProvider(
        infra.settings.host,
        settings.sessionTtlSeconds,
        // The demo municipality's key is handed out in embedded mode only (ADR 0023), never in production.
        demoKeyOffer(infra.settings),
      )
    : null;
  const flow = local
    ? OidcSignIn.forLocal(local, isLoopbackHost)
    : settings.oidc
      ? OidcSignIn.forProvider(settings.oidc)
      : null;
  return [
    ...(local ? [{ provide: LocalOidcProvider, useValue: local }] : []),
    {
      provide: ConsoleSessionService,
      useValue: new ConsoleSessionService(
        openConsoleSessionStore(infra),
        infra.clock,
        mapping,
        flow,
        settings.sessionTtlSeconds,
      ),
    },
  ];
}
