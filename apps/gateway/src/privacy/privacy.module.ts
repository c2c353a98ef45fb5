import { randomUUID } from 'node:crypto';
import {
  type DynamicModule,
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
import {
  type Infrastructure,
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

export const PRIVACY_SERVICES = Symbol('PrivacyServices');
const PRIVACY_INFRA = Symbol('PrivacyInfrastructure');

/** Runs the retention job where the worker runs (embedded: in the gateway). */
@Injectable()
export class RetentionScheduleHost implements OnApplicationBootstrap, OnModuleDestroy {
  readonly schedule: RetentionSchedule;

  constructor(
    @Inject(PRIVACY_SERVICES) services: PrivacyServices,
    @Inject(PRIVACY_INFRA) private readonly infra: Infrastructure,
  ) {
    this.schedule = new RetentionSchedule(
      services,
      infra,
      infra.logger.child({ component: 'retention' }),
      infra.settings.privacy.retentionIntervalMs,
    );
  }

  onApplicationBootstrap(): void {
    if (this.infra.settings.workerInProcess) this.schedule.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.schedule.stop();
  }
}

type Factory<T> = (services: PrivacyServices) => T;
const fromServices = <T>(token: abstract new (...args: never[]) => T, factory: Factory<T>) => ({
  provide: token,
  inject: [PRIVACY_SERVICES],
  useFactory: factory,
});

/**
 * Pupil registry, legal hold, access requests, disclosure decisions, policy lifecycle and simulation, audit
 * verification, retention.
 */
@Module({})
export class PrivacyModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    const clock = infra.clock;
    return {
      module: PrivacyModule,
      controllers: [
        PupilsController,
        RosterController,
        PoliciesController,
        DecisionsController,
        BoardSettingsController,
        RetentionController,
      ],
      providers: [
        { provide: PRIVACY_INFRA, useValue: infra },
        // The process's privacy services (shared with the in-process dispatcher): opened once.
        { provide: PRIVACY_SERVICES, useFactory: () => infra.privacy() },
        fromServices(
          PutPupilUseCase,
          (s) => new PutPupilUseCase(s.pupils, s.pseudonymise, clock, s.boards, s.roster),
        ),
        fromServices(SearchPupilsUseCase, (s) => new SearchPupilsUseCase(s.roster)),
        fromServices(FeedRosterUseCase, (s) => new FeedRosterUseCase(s.roster, clock)),
        fromServices(SchoolRosterUseCase, (s) => new SchoolRosterUseCase(s.roster)),
        fromServices(BoardSettingsUseCase, (s) => new BoardSettingsUseCase(s.boards, clock)),
        fromServices(LegalHoldUseCase, (s) => new LegalHoldUseCase(s.pupils, s.pseudonymise, clock)),
        fromServices(
          BuildAccessReportUseCase,
          (s) => new BuildAccessReportUseCase(s.pupils, s.disclosures, s.pseudonymise, clock),
        ),
        fromServices(
          PolicyVersionsUseCase,
          (s) => new PolicyVersionsUseCase(s.policies, s.engine, clock, s.resolver),
        ),
        fromServices(
          SimulatePolicyUseCase,
          (s) => new SimulatePolicyUseCase(s.policies, s.disclosures, s.engine, clock, s.resolver),
        ),
        {
          provide: ValidatePolicyDraftUseCase,
          inject: [PRIVACY_SERVICES, SimulatePolicyUseCase],
          useFactory: (s: PrivacyServices, simulation: SimulatePolicyUseCase) =>
            new ValidatePolicyDraftUseCase(s.policies, s.engine, simulation),
        },
        fromServices(
          RetentionOverviewUseCase,
          (s) => new RetentionOverviewUseCase(s.retentionRecords, s.resolver, s.engine, clock),
        ),
        fromServices(
          ProcessingRegisterUseCase,
          (s) =>
            new ProcessingRegisterUseCase(
              s.retentionRecords,
              s.resolver,
              clock,
              registerConfiguration(infra.settings),
            ),
        ),
        fromServices(VerifyAuditChainUseCase, (s) => new VerifyAuditChainUseCase(s.auditLog)),
        fromServices(
          BrowseAuditLogUseCase,
          (s) => new BrowseAuditLogUseCase(s.auditBrowser, s.pupils, s.pseudonymise),
        ),
        fromServices(
          RecordDisclosureUseCase,
          (s) =>
            new RecordDisclosureUseCase(
              s.disclosures,
              s.resolver,
              s.engine,
              s.pseudonymise,
              clock,
              randomUUID,
            ),
        ),
        {
          provide: DecideDisclosureUseCase,
          inject: [PRIVACY_SERVICES, RecordDisclosureUseCase],
          useFactory: (s: PrivacyServices, record: RecordDisclosureUseCase) =>
            new DecideDisclosureUseCase(s.resolver, s.engine, record, s.pupils, clock),
        },
        RetentionScheduleHost,
      ],
      exports: [PRIVACY_SERVICES, RecordDisclosureUseCase, RetentionScheduleHost],
    };
  }
}
