import type { Provider } from '@nestjs/common';
import {
  GetReasonMappingUseCase,
  PreviewReportUseCase,
  SendingPartyFieldSource,
  UnmappedReasonsUseCase,
} from '#application';
import { SETTINGS, type Settings } from '#config';
import {
  CLOCK,
  type Clock,
  DELIVERY_STORE,
  QUARANTINE_REPOSITORY,
  type QuarantineRepository,
  REASON_MAPPING_REPOSITORY,
  type ReasonMappingRepository,
  SENDING_PARTY_STORE,
} from '#domain';
import type { TypeOrmDeliveryStore, TypeOrmSendingPartyStore } from '#persistence';
import {
  PRIVACY_SERVICES,
  type PrivacyServices,
  SIGNAL_STORES,
  type SignalServices,
  leerplichtRouterOf,
} from '#runtime';
import { MappingsController, ReportPreviewController } from './console-api.controllers.js';

export const CONSOLE_API_CONTROLLERS = [ReportPreviewController, MappingsController];

/** The small read endpoints the console needs beside the existing API (report preview, mappings, unmapped codes). */
export const CONSOLE_API_PROVIDERS: Provider[] = [
  {
    provide: PreviewReportUseCase,
    inject: [SETTINGS, SIGNAL_STORES, DELIVERY_STORE, SENDING_PARTY_STORE, PRIVACY_SERVICES, CLOCK],
    useFactory: (
      settings: Settings,
      stores: SignalServices,
      deliveries: TypeOrmDeliveryStore,
      parties: TypeOrmSendingPartyStore,
      privacy: PrivacyServices,
      clock: Clock,
    ) =>
      new PreviewReportUseCase(
        stores.reports,
        deliveries,
        privacy.pupils,
        privacy.resolver,
        privacy.engine,
        clock,
        {
          duoOin: settings.delivery.duoOin,
          router: leerplichtRouterOf(settings),
          // The fields the dispatcher merges in (DUO's education and contact fields), so the preview shows them.
          fieldSource: new SendingPartyFieldSource(parties),
          // Whether the dispatcher would add the pupil's roster name (ADR 0027); the preview never shows it.
          roster: privacy.roster,
        },
      ),
  },
  {
    provide: GetReasonMappingUseCase,
    inject: [REASON_MAPPING_REPOSITORY],
    useFactory: (mappings: ReasonMappingRepository) => new GetReasonMappingUseCase(mappings),
  },
  {
    provide: UnmappedReasonsUseCase,
    inject: [QUARANTINE_REPOSITORY],
    useFactory: (quarantine: QuarantineRepository) => new UnmappedReasonsUseCase(quarantine),
  },
];
