import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type Infrastructure, RetentionSchedule } from '#runtime';

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
 * them. The outbox relay and the delivery loop are started with the infrastructure.
 */
@Module({})
export class WorkerModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        {
          provide: RetentionSchedule,
          useFactory: async () =>
            new RetentionSchedule(
              await infra.privacy(),
              infra,
              infra.logger.child({ component: 'retention' }),
              infra.settings.privacy.retentionIntervalMs,
            ),
        },
        RetentionScheduleHost,
      ],
    };
  }
}
