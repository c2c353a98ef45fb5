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
import { SETTINGS, type Settings } from '#config';
import { readCertificateBundle } from '#connector-duo-rod';
import {
  CLOCK,
  type Clock,
  DELIVERY_STORE,
  SENDING_PARTY_STORE,
  UNIT_OF_WORK,
  type UnitOfWork,
} from '#domain';
import {
  type DataSource,
  TypeOrmBoardSummary,
  TypeOrmDeliveryStore,
  TypeOrmLeerplichtInbox,
  type TypeOrmSendingPartyStore,
  TypeOrmUnitOfWork,
} from '#persistence';
import {
  DATA_SOURCE,
  PRIVACY_SERVICES,
  type PrivacyServices,
  loadSigningKey,
  openSendingPartyStore,
  retryScheduleOf,
} from '#runtime';
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

export const DELIVERY_PROVIDERS: Provider[] = [
  {
    provide: DELIVERY_STORE,
    inject: [DATA_SOURCE],
    useFactory: (dataSource: DataSource) => new TypeOrmDeliveryStore(dataSource),
  },
  {
    provide: UNIT_OF_WORK,
    inject: [DATA_SOURCE],
    useFactory: (dataSource: DataSource) => new TypeOrmUnitOfWork(dataSource),
  },
  {
    provide: SENDING_PARTY_STORE,
    inject: [DATA_SOURCE, PRIVACY_SERVICES],
    useFactory: (dataSource: DataSource, privacy: PrivacyServices) =>
      openSendingPartyStore(dataSource, privacy.keys),
  },
  {
    provide: RETRY_SCHEDULE,
    inject: [SETTINGS],
    useFactory: (settings: Settings) => retryScheduleOf(settings),
  },
  {
    provide: ChainSummaryUseCase,
    inject: [DATA_SOURCE],
    useFactory: (dataSource: DataSource) => new ChainSummaryUseCase(new TypeOrmBoardSummary(dataSource)),
  },
  {
    provide: SIGNING_KEYS,
    inject: [SETTINGS],
    useFactory: async (settings: Settings) => ({ keys: [(await loadSigningKey(settings)).publicJwk] }),
  },
  {
    provide: LeerplichtInboxUseCase,
    inject: [DATA_SOURCE, DELIVERY_STORE, UNIT_OF_WORK, PRIVACY_SERVICES, RecordDisclosureUseCase, CLOCK],
    useFactory: (
      dataSource: DataSource,
      store: TypeOrmDeliveryStore,
      unitOfWork: UnitOfWork,
      privacy: PrivacyServices,
      disclosures: RecordDisclosureUseCase,
      clock: Clock,
    ) =>
      new LeerplichtInboxUseCase(
        new TypeOrmLeerplichtInbox(dataSource),
        store,
        unitOfWork,
        privacy.pseudonymise,
        clock,
        // The officer's status reaches the school through the privacy engine (ADR 0026).
        new SchoolFeedbackGate(privacy.resolver, privacy.engine, disclosures, privacy.pupils, clock),
      ),
  },
  {
    provide: PutSendingPartyUseCase,
    inject: [SENDING_PARTY_STORE, CLOCK],
    useFactory: (parties: TypeOrmSendingPartyStore, clock: Clock) =>
      new PutSendingPartyUseCase(parties, readCertificateBundle, clock),
  },
  {
    provide: SendingPartiesUseCase,
    inject: [SENDING_PARTY_STORE, CLOCK],
    useFactory: (parties: TypeOrmSendingPartyStore, clock: Clock) =>
      new SendingPartiesUseCase(parties, clock),
  },
  {
    provide: SchoolDeliveriesUseCase,
    inject: [DELIVERY_STORE, UNIT_OF_WORK, PRIVACY_SERVICES, CLOCK],
    useFactory: (
      store: TypeOrmDeliveryStore,
      unitOfWork: UnitOfWork,
      privacy: PrivacyServices,
      clock: Clock,
    ) => new SchoolDeliveriesUseCase(store, unitOfWork, privacy.pseudonymise, clock, randomUUID),
  },
];
