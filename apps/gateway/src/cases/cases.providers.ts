import type { Provider } from '@nestjs/common';
import {
  DailyChecksUseCase,
  DecideReportUseCase,
  ReportCaseUseCase,
  SchoolDeliveriesUseCase,
  WorklistUseCase,
} from '#application';
import { type Infrastructure, openSignalServices } from '#runtime';
import { CasesController, WorklistController } from './cases.controller.js';

export const CASES_CONTROLLERS = [WorklistController, CasesController];

/** Cases per absence episode and the werkvoorraad (ADR 0018). No pupil finder yet: group/mentor match none. */
export function casesProviders(infra: Infrastructure): Provider[] {
  const stores = openSignalServices(infra);
  return [
    { provide: WorklistUseCase, useValue: new WorklistUseCase(stores.cases, infra.clock, null) },
    { provide: DailyChecksUseCase, useValue: new DailyChecksUseCase(stores.cases) },
    {
      provide: ReportCaseUseCase,
      inject: [DecideReportUseCase, SchoolDeliveriesUseCase],
      useFactory: (decide: DecideReportUseCase, deliveries: SchoolDeliveriesUseCase) =>
        new ReportCaseUseCase(stores.cases, stores.reports, decide, deliveries, infra.clock),
    },
  ];
}
