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
  readAheadOn,
} from '#application';
import { SETTINGS, type Settings } from '#config';
import {
  CLOCK,
  type Clock,
  SIGNAL_EVALUATOR,
  type SignalEvaluator,
  UNIT_OF_WORK,
  type UnitOfWork,
} from '#domain';
import {
  PRIVACY_SERVICES,
  type PrivacyServices,
  SIGNAL_STORES,
  type SignalServices,
  loadSignalEvaluator,
} from '#runtime';
import { PupilOverviewController } from './pupil-overview.controller.js';
import { ReportsController } from './reports.controller.js';
import { SchoolSignalsController } from './school-signals.controller.js';
import { EVALUATE_SIGNALS } from './signals.tokens.js';

export const SIGNALS_CONTROLLERS = [SchoolSignalsController, ReportsController, PupilOverviewController];

/** School calendars and settings, signals, report drafts and the periodic analysis. */
export const SIGNALS_PROVIDERS: Provider[] = [
  {
    provide: PutSchoolCalendarUseCase,
    inject: [SIGNAL_STORES, CLOCK],
    useFactory: (stores: SignalServices, clock: Clock) =>
      new PutSchoolCalendarUseCase(stores.calendars, clock),
  },
  {
    provide: GetSchoolCalendarUseCase,
    inject: [SIGNAL_STORES],
    useFactory: (stores: SignalServices) => new GetSchoolCalendarUseCase(stores.calendars),
  },
  {
    provide: SchoolSettingsUseCase,
    inject: [SIGNAL_STORES, CLOCK],
    useFactory: (stores: SignalServices, clock: Clock) => new SchoolSettingsUseCase(stores.settings, clock),
  },
  {
    provide: ListSignalsUseCase,
    inject: [SIGNAL_STORES],
    useFactory: (stores: SignalServices) => new ListSignalsUseCase(stores.signals),
  },
  {
    provide: ListReportsUseCase,
    inject: [SIGNAL_STORES, CLOCK],
    useFactory: (stores: SignalServices, clock: Clock) => new ListReportsUseCase(stores.reports, clock),
  },
  {
    provide: DecideReportUseCase,
    inject: [SIGNAL_STORES, CLOCK],
    useFactory: (stores: SignalServices, clock: Clock) =>
      new DecideReportUseCase(stores.reports, stores.unitOfWork, clock),
  },
  {
    provide: AnalyseAbsenceUseCase,
    inject: [SIGNAL_STORES],
    useFactory: (stores: SignalServices) => new AnalyseAbsenceUseCase(stores.analysis),
  },
  {
    provide: PupilOverviewUseCase,
    inject: [PRIVACY_SERVICES, SIGNAL_STORES, CLOCK],
    useFactory: (privacy: PrivacyServices, stores: SignalServices, clock: Clock) =>
      new PupilOverviewUseCase(privacy.pupils, privacy.roster, stores.signals, stores.calendars, clock),
  },
  {
    provide: EVALUATE_SIGNALS,
    inject: [SIGNAL_EVALUATOR, SETTINGS, PRIVACY_SERVICES, SIGNAL_STORES, UNIT_OF_WORK, CLOCK],
    useFactory: (
      evaluator: SignalEvaluator | null,
      settings: Settings,
      privacy: PrivacyServices,
      stores: SignalServices,
      uow: UnitOfWork,
      clock: Clock,
    ) =>
      new EvaluateSignalsUseCase(
        evaluator ?? loadSignalEvaluator(settings),
        stores.signals,
        uow,
        privacy.pupils,
        stores.calendars,
        stores.settings,
        clock,
        randomUUID,
        { readAhead: readAheadOn(settings.databaseUrl === null ? 'embedded' : 'server') },
      ),
  },
];
