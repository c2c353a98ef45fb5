import { randomUUID } from 'node:crypto';
import type { Provider } from '@nestjs/common';
import {
  AnalyseAbsenceUseCase,
  DecideReportUseCase,
  EvaluateSignalsUseCase,
  GetSchoolCalendarUseCase,
  ListReportsUseCase,
  ListSignalsUseCase,
  PupilOverviewUseCase,
  PutSchoolCalendarUseCase,
  SchoolSettingsUseCase,
} from '#application';
import { type Infrastructure, type PrivacyServices, loadSignalEvaluator, openSignalServices } from '#runtime';
import { PRIVACY_SERVICES } from '../privacy/privacy.module.js';
import { PupilOverviewController } from './pupil-overview.controller.js';
import { ReportsController } from './reports.controller.js';
import { SchoolSignalsController } from './school-signals.controller.js';
import { EVALUATE_SIGNALS } from './signals.tokens.js';

export const SIGNALS_CONTROLLERS = [SchoolSignalsController, ReportsController, PupilOverviewController];

/** School calendars and settings, signals, report drafts and the periodic analysis. */
export function signalsProviders(infra: Infrastructure): Provider[] {
  const stores = openSignalServices(infra);
  const clock = infra.clock;
  return [
    { provide: PutSchoolCalendarUseCase, useValue: new PutSchoolCalendarUseCase(stores.calendars, clock) },
    { provide: GetSchoolCalendarUseCase, useValue: new GetSchoolCalendarUseCase(stores.calendars) },
    { provide: SchoolSettingsUseCase, useValue: new SchoolSettingsUseCase(stores.settings, clock) },
    { provide: ListSignalsUseCase, useValue: new ListSignalsUseCase(stores.signals) },
    { provide: ListReportsUseCase, useValue: new ListReportsUseCase(stores.reports, clock) },
    { provide: DecideReportUseCase, useValue: new DecideReportUseCase(stores.reports, clock) },
    { provide: AnalyseAbsenceUseCase, useValue: new AnalyseAbsenceUseCase(stores.analysis) },
    {
      provide: PupilOverviewUseCase,
      inject: [PRIVACY_SERVICES],
      useFactory: (privacy: PrivacyServices) =>
        new PupilOverviewUseCase(privacy.pupils, privacy.roster, stores.signals, stores.calendars, clock),
    },
    {
      provide: EVALUATE_SIGNALS,
      inject: [PRIVACY_SERVICES],
      useFactory: (privacy: PrivacyServices) =>
        new EvaluateSignalsUseCase(
          infra.signalEvaluator ?? loadSignalEvaluator(infra.settings),
          stores.signals,
          privacy.pupils,
          stores.calendars,
          stores.settings,
          clock,
          randomUUID,
        ),
    },
  ];
}
