import type { Provider } from '@nestjs/common';
import {
  DailyChecksUseCase,
  DecideReportUseCase,
  ReportCaseUseCase,
  SchoolDeliveriesUseCase,
  WorklistUseCase,
} from '#application';
import { CLOCK, type Clock } from '#domain';
import { PRIVACY_SERVICES, type PrivacyServices, SIGNAL_STORES, type SignalServices } from '#runtime';
import { CasesController, WorklistController } from './cases.controller.js';

export const CASES_CONTROLLERS = [WorklistController, CasesController];

/**
 * Cases per absence episode and the werkvoorraad (ADR 0018). The pupil roster (ADR 0019) finds pupils by name,
 * class and mentor for the school staff's filters.
 */
export const CASES_PROVIDERS: Provider[] = [
  {
    provide: WorklistUseCase,
    inject: [SIGNAL_STORES, CLOCK, PRIVACY_SERVICES],
    useFactory: (stores: SignalServices, clock: Clock, privacy: PrivacyServices) =>
      new WorklistUseCase(stores.cases, clock, privacy.roster),
  },
  {
    provide: DailyChecksUseCase,
    inject: [SIGNAL_STORES],
    useFactory: (stores: SignalServices) => new DailyChecksUseCase(stores.cases),
  },
  {
    provide: ReportCaseUseCase,
    inject: [SIGNAL_STORES, DecideReportUseCase, SchoolDeliveriesUseCase, CLOCK],
    useFactory: (
      stores: SignalServices,
      decide: DecideReportUseCase,
      deliveries: SchoolDeliveriesUseCase,
      clock: Clock,
    ) => new ReportCaseUseCase(stores.cases, stores.reports, decide, deliveries, clock),
  },
];
