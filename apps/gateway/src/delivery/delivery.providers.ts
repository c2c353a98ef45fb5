import { randomUUID } from 'node:crypto';
import type { Provider } from '@nestjs/common';
import {
  ChainSummaryUseCase,
  LeerplichtInboxUseCase,
  PutSendingPartyUseCase,
  RecordDisclosureUseCase,
  SchoolDeliveriesUseCase,
  SchoolFeedbackGate,
  SendingPartiesUseCase,
} from '#application';
import { readCertificateBundle } from '#connector-duo-rod';
import {
  TypeOrmBoardSummary,
  TypeOrmDeliveryStore,
  TypeOrmLeerplichtInbox,
  TypeOrmUnitOfWork,
} from '#persistence';
import {
  type Infrastructure,
  type PrivacyServices,
  loadSigningKey,
  openSendingPartyStore,
  retryScheduleOf,
} from '#runtime';
import { PRIVACY_SERVICES } from '../privacy/privacy.module.js';
import {
  ChainSummaryController,
  DeliveriesController,
  LeerplichtInboxController,
  RETRY_SCHEDULE,
  ReportWayController,
  SIGNING_KEYS,
  SigningKeysController,
} from './delivery.controllers.js';
import { SendingPartiesController } from './sending-parties.controller.js';

export const DELIVERY_CONTROLLERS = [
  ChainSummaryController,
  LeerplichtInboxController,
  DeliveriesController,
  ReportWayController,
  SigningKeysController,
  SendingPartiesController,
];

export function deliveryProviders(infra: Infrastructure): Provider[] {
  const store = new TypeOrmDeliveryStore(infra.dataSource);
  const unitOfWork = new TypeOrmUnitOfWork(infra.dataSource);
  const inbox = new TypeOrmLeerplichtInbox(infra.dataSource);
  return [
    { provide: RETRY_SCHEDULE, useValue: retryScheduleOf(infra.settings) },
    {
      provide: ChainSummaryUseCase,
      useValue: new ChainSummaryUseCase(new TypeOrmBoardSummary(infra.dataSource)),
    },
    {
      provide: SIGNING_KEYS,
      useFactory: async () => ({ keys: [(await loadSigningKey(infra.settings)).publicJwk] }),
    },
    {
      provide: LeerplichtInboxUseCase,
      inject: [PRIVACY_SERVICES, RecordDisclosureUseCase],
      useFactory: (privacy: PrivacyServices, disclosures: RecordDisclosureUseCase) =>
        new LeerplichtInboxUseCase(
          inbox,
          store,
          unitOfWork,
          privacy.pseudonymise,
          infra.clock,
          // The officer's status reaches the school through the privacy engine (ADR 0026).
          new SchoolFeedbackGate(privacy.resolver, privacy.engine, disclosures, privacy.pupils, infra.clock),
        ),
    },
    {
      provide: PutSendingPartyUseCase,
      inject: [PRIVACY_SERVICES],
      useFactory: (privacy: PrivacyServices) =>
        new PutSendingPartyUseCase(
          openSendingPartyStore(infra.dataSource, privacy.keys),
          readCertificateBundle,
          infra.clock,
        ),
    },
    {
      provide: SendingPartiesUseCase,
      inject: [PRIVACY_SERVICES],
      useFactory: (privacy: PrivacyServices) =>
        new SendingPartiesUseCase(openSendingPartyStore(infra.dataSource, privacy.keys), infra.clock),
    },
    {
      provide: SchoolDeliveriesUseCase,
      inject: [PRIVACY_SERVICES],
      useFactory: (privacy: PrivacyServices) =>
        new SchoolDeliveriesUseCase(store, unitOfWork, privacy.pseudonymise, infra.clock, randomUUID),
    },
  ];
}
