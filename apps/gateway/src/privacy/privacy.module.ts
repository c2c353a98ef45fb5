import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  BoardSettingsUseCase,
  BrowseAuditLogUseCase,
  BuildAccessReportUseCase,
  DecideDisclosureUseCase,
  FeedRosterUseCase,
  LegalHoldUseCase,
  ProcessingRegisterUseCase,
  RetentionOverviewUseCase,
  PolicyVersionsUseCase,
  PutPupilUseCase,
  RecordDisclosureUseCase,
  SchoolRosterUseCase,
  SearchPupilsUseCase,
  SimulatePolicyUseCase,
  ValidatePolicyDraftUseCase,
  VerifyAuditChainUseCase,
} from '#application';
import { SETTINGS, type Settings } from '#config';
import { CLOCK, type Clock } from '#domain';
import type { Logger } from 'pino';
import {
  LOGGER,
  PRIVACY_SERVICES,
  type PrivacyServices,
  RetentionSchedule,
  registerConfiguration,
} from '#runtime';
import { BoardSettingsController } from './board-settings.controller.js';
import { DecisionsController } from './decisions.controller.js';
import { PoliciesController } from './policies.controller.js';
import { PupilsController } from './pupils.controller.js';
import { RetentionController } from './retention.controller.js';
import { RosterController } from './roster.controller.js';

/** Runs the retention job where the worker runs (embedded: in the gateway). */
@Injectable()
export class RetentionScheduleHost implements OnApplicationBootstrap, OnModuleDestroy {
  readonly schedule: RetentionSchedule;

  constructor(
    @Inject(PRIVACY_SERVICES) services: PrivacyServices,
    @Inject(CLOCK) clock: Clock,
    @Inject(LOGGER) logger: Logger,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {
    this.schedule = new RetentionSchedule(
      services,
      { clock },
      logger.child({ component: 'retention' }),
      settings.privacy.retentionIntervalMs,
    );
  }

  onApplicationBootstrap(): void {
    if (this.settings.workerInProcess) this.schedule.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.schedule.stop();
  }
}

type Factory<T> = (services: PrivacyServices, clock: Clock) => T;
/** A use case over the privacy services and the clock. */
const fromServices = <T>(token: abstract new (...args: never[]) => T, factory: Factory<T>) => ({
  provide: token,
  inject: [PRIVACY_SERVICES, CLOCK],
  useFactory: factory,
});

/**
 * Pupil registry, legal hold, access requests, disclosure decisions, policy lifecycle and simulation, audit
 * verification, retention.
 */
@Module({
  controllers: [
    PupilsController,
    RosterController,
    PoliciesController,
    DecisionsController,
    BoardSettingsController,
    RetentionController,
  ],
  providers: [
    fromServices(
      PutPupilUseCase,
      (s, clock) => new PutPupilUseCase(s.pupils, s.pseudonymise, clock, s.boards, s.roster),
    ),
    fromServices(SearchPupilsUseCase, (s) => new SearchPupilsUseCase(s.roster)),
    fromServices(FeedRosterUseCase, (s, clock) => new FeedRosterUseCase(s.roster, clock)),
    fromServices(SchoolRosterUseCase, (s) => new SchoolRosterUseCase(s.roster)),
    fromServices(BoardSettingsUseCase, (s, clock) => new BoardSettingsUseCase(s.boards, clock)),
    fromServices(LegalHoldUseCase, (s, clock) => new LegalHoldUseCase(s.pupils, s.pseudonymise, clock)),
    fromServices(
      BuildAccessReportUseCase,
      (s, clock) => new BuildAccessReportUseCase(s.pupils, s.disclosures, s.pseudonymise, clock),
    ),
    fromServices(
      PolicyVersionsUseCase,
      (s, clock) => new PolicyVersionsUseCase(s.policies, s.engine, clock, s.resolver),
    ),
    fromServices(
      SimulatePolicyUseCase,
      (s, clock) => new SimulatePolicyUseCase(s.policies, s.disclosures, s.engine, clock, s.resolver),
    ),
    {
      provide: ValidatePolicyDraftUseCase,
      inject: [PRIVACY_SERVICES, SimulatePolicyUseCase],
      useFactory: (s: PrivacyServices, simulation: SimulatePolicyUseCase) =>
        new ValidatePolicyDraftUseCase(s.policies, s.engine, simulation),
    },
    fromServices(
      RetentionOverviewUseCase,
      (s, clock) => new RetentionOverviewUseCase(s.retentionRecords, s.resolver, s.engine, clock),
    ),
    {
      provide: ProcessingRegisterUseCase,
      inject: [PRIVACY_SERVICES, CLOCK, SETTINGS],
      useFactory: (s: PrivacyServices, clock: Clock, settings: Settings) =>
        new ProcessingRegisterUseCase(s.retentionRecords, s.resolver, clock, registerConfiguration(settings)),
    },
    fromServices(VerifyAuditChainUseCase, (s) => new VerifyAuditChainUseCase(s.auditLog)),
    fromServices(
      BrowseAuditLogUseCase,
      (s) => new BrowseAuditLogUseCase(s.auditBrowser, s.pupils, s.pseudonymise),
    ),
    fromServices(
      RecordDisclosureUseCase,
      (s, clock) =>
        new RecordDisclosureUseCase(s.disclosures, s.resolver, s.engine, s.pseudonymise, clock, randomUUID),
    ),
    {
      provide: DecideDisclosureUseCase,
      inject: [PRIVACY_SERVICES, RecordDisclosureUseCase, CLOCK],
      useFactory: (s: PrivacyServices, record: RecordDisclosureUseCase, clock: Clock) =>
        new DecideDisclosureUseCase(s.resolver, s.engine, record, s.pupils, clock),
    },
    RetentionScheduleHost,
  ],
  exports: [RecordDisclosureUseCase, RetentionScheduleHost],
})
export class PrivacyModule {}
