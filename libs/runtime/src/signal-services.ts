import type {
  AnalysisStore,
  ReportCaseStore,
  ReportStore,
  SchoolCalendarStore,
  SchoolSettingsStore,
  SignalStore,
  UnitOfWork,
} from '#domain';
import {
  TypeOrmAnalysisStore,
  TypeOrmReportCaseStore,
  TypeOrmReportStore,
  TypeOrmSchoolCalendarStore,
  TypeOrmSchoolSettingsStore,
  TypeOrmSignalStore,
  TypeOrmUnitOfWork,
} from '#persistence';
import type { Infrastructure } from './infrastructure.js';

/** The signal side's stores over an opened infrastructure. */
export interface SignalServices {
  readonly signals: SignalStore;
  readonly reports: ReportStore;
  readonly calendars: SchoolCalendarStore;
  readonly settings: SchoolSettingsStore;
  readonly analysis: AnalysisStore;
  readonly cases: ReportCaseStore;
  /** Decisions on reports and what they announce commit through it (ADR 0032). */
  readonly unitOfWork: UnitOfWork;
}

export function openSignalServices(infra: Pick<Infrastructure, 'dataSource'>): SignalServices {
  return {
    signals: new TypeOrmSignalStore(infra.dataSource),
    reports: new TypeOrmReportStore(infra.dataSource),
    calendars: new TypeOrmSchoolCalendarStore(infra.dataSource),
    settings: new TypeOrmSchoolSettingsStore(infra.dataSource),
    analysis: new TypeOrmAnalysisStore(infra.dataSource),
    cases: new TypeOrmReportCaseStore(infra.dataSource),
    unitOfWork: new TypeOrmUnitOfWork(infra.dataSource),
  };
}
