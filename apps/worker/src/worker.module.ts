import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Infrastructure } from '#runtime';

const INFRASTRUCTURE = Symbol('Infrastructure');

/** Holds the worker's infrastructure for the Nest lifecycle; consumers were subscribed when it opened. */
@Module({})
export class WorkerModule implements OnApplicationShutdown {
  constructor(@Inject(INFRASTRUCTURE) private readonly infra: Infrastructure) {}

  static forRoot(infra: Infrastructure): DynamicModule {
    return { module: WorkerModule, providers: [{ provide: INFRASTRUCTURE, useValue: infra }] };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.infra.close();
  }
}
