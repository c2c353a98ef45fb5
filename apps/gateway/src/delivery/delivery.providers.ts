import { randomUUID } from 'node:crypto';
import type { Provider } from '@nestjs/common';
import { ChainSummaryUseCase, LeerplichtInboxUseCase, SchoolDeliveriesUseCase } from '#application';
import { TypeOrmBoardSummary, TypeOrmDeliveryStore, TypeOrmLeerplichtInbox } from '#persistence';
import { type Infrastructure, type PrivacyServices, loadSigningKey, retryScheduleOf } from '#runtime';
import { PRIVACY_SERVICES } from '../privacy/privacy.module.js';
import {
  ChainSummaryController,
  DeliveriesController,
  LeerplichtInboxController,
  RETRY_SCHEDULE,
  ReportChainController,
  SIGNING_KEYS,
  SigningKeysController,
} from './delivery.controllers.js';

export const DELIVERY_CONTROLLERS = [
  ChainSummaryController,
  LeerplichtInboxController,
  DeliveriesController,
  ReportChainController,
  SigningKeysController,
];

export function deliveryProviders(infra: Infrastructure): Provider[] {
  const store = new TypeOrmDeliveryStore(infra.dataSource);
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
      inject: [PRIVACY_SERVICES],
      useFactory: (privacy: PrivacyServices) =>
        new LeerplichtInboxUseCase(inbox, store, privacy.pseudonymise, infra.clock),
    },
    {
      provide: SchoolDeliveriesUseCase,
      inject: [PRIVACY_SERVICES],
      useFactory: (privacy: PrivacyServices) =>
        new SchoolDeliveriesUseCase(store, privacy.pseudonymise, infra.clock, randomUUID),
    },
  ];
}
