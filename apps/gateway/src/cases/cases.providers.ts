import type { Provider } from '@nestjs/common';
import {
  DailyChecksUseCase,
  DecideReportUseCase,
  ReportCaseUseCase,
  SchoolDeliveriesUseCase,
  WorklistUseCase,
} from '#application';
import { type Infrastructure, type PrivacyServices, openSignalServices } from '#runtime';
import { PRIVACY_SERVICES } from '../privacy/privacy.module.js';
import { CasesController, WorklistController } from './cases.controller.js';

export const CASES_CONTROLLERS = [WorklistController, CasesController];

/**
 * Cases per absence episode and the werkvoorraad (ADR 0018). The pupil roster (ADR 0019) finds pupils by name,
 * class and mentor for the school staff's filters.
 */
export function casesProviders(infra: Infrastructure): Provider[] {
  const stores = openSignalServices(infra);
  return [
    {
      provide: WorklistUseCase,
      inject: [PRIVACY_SERVICES],
      useFactory: (privacy: PrivacyServices) =>
        new WorklistUseCase(stores.cases, infra.clock, privacy.roster),
    },
    { provide: DailyChecksUseCase, useValue: new DailyChecksUseCase(stores.cases) },
    {
      provide: ReportCaseUseCase,
      inject: [DecideReportUseCase, SchoolDeliveriesUseCase],
      useFactory: (decide: DecideReportUseCase, deliveries: SchoolDeliveriesUseCase) =>
        new ReportCaseUseCase(stores.cases, stores.reports, decide, deliveries, infra.clock),
    },
  ];
}
