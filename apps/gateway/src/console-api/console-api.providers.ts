import type { Provider } from '@nestjs/common';
import {
  GetReasonMappingUseCase,
  PreviewReportUseCase,
  SendingPartyFieldSource,
  UnmappedReasonsUseCase,
} from '#application';
import { TypeOrmDeliveryStore } from '#persistence';
import {
  type Infrastructure,
  type PrivacyServices,
  leerplichtRouterOf,
  openSendingPartyStore,
  openSignalServices,
} from '#runtime';
import { PRIVACY_SERVICES } from '../privacy/privacy.module.js';
import { MappingsController, ReportPreviewController } from './console-api.controllers.js';

export const CONSOLE_API_CONTROLLERS = [ReportPreviewController, MappingsController];

/** The small read endpoints the console needs beside the existing API (report preview, mappings, unmapped codes). */
export function consoleApiProviders(infra: Infrastructure): Provider[] {
  return [
    {
      provide: PreviewReportUseCase,
      inject: [PRIVACY_SERVICES],
      useFactory: (privacy: PrivacyServices) =>
        new PreviewReportUseCase(
          openSignalServices(infra).reports,
          new TypeOrmDeliveryStore(infra.dataSource),
          privacy.pupils,
          privacy.resolver,
          privacy.engine,
          infra.clock,
          {
            duoOin: infra.settings.delivery.duoOin,
            router: leerplichtRouterOf(infra.settings),
            // The fields the dispatcher merges in (DUO's education and contact fields), so the preview shows them.
            fieldSource: new SendingPartyFieldSource(openSendingPartyStore(infra.dataSource, privacy.keys)),
            // Whether the dispatcher would add the pupil's roster name (ADR 0027); the preview never shows it.
            roster: privacy.roster,
          },
        ),
    },
    { provide: GetReasonMappingUseCase, useValue: new GetReasonMappingUseCase(infra.mappings) },
    { provide: UnmappedReasonsUseCase, useValue: new UnmappedReasonsUseCase(infra.quarantine) },
  ];
}
