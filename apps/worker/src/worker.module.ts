import {
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { SETTINGS, type Settings } from '#config';
import { CLOCK, type Clock } from '#domain';
import { LOGGER, PRIVACY_SERVICES, type PrivacyServices, RetentionSchedule } from '#runtime';

/** The retention job on its timer, as a lifecycle provider of the worker microservice. */
@Injectable()
export class RetentionScheduleHost implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(RetentionSchedule) readonly schedule: RetentionSchedule) {}

  onApplicationBootstrap(): void {
    this.schedule.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.schedule.stop();
  }
}

/**
 * The worker's own part of its microservice (the consumers come from `#runtime`): the timers that run beside
 * them. The outbox relay and the delivery loop are started with the infrastructure; the parts it reads come from
 * the InfrastructureModule that the worker's main imports beside it (ADR 0031).
 */
@Module({
  providers: [
    {
      provide: RetentionSchedule,
      inject: [PRIVACY_SERVICES, CLOCK, LOGGER, SETTINGS],
      useFactory: (privacy: PrivacyServices, clock: Clock, logger: Logger, settings: Settings) =>
        new RetentionSchedule(
          privacy,
          { clock },
          logger.child({ component: 'retention' }),
          settings.privacy.retentionIntervalMs,
        ),
    },
    RetentionScheduleHost,
  ],
})
export class WorkerModule {}
