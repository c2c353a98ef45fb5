import { randomUUID } from 'node:crypto';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GetRecordBatchUseCase, ListRecordBatchesUseCase, SubmitRecordBatchUseCase } from '#application';
import { SETTINGS } from '#config';
import type { Infrastructure } from '#runtime';
import { AuthModule } from './auth/index.js';
import { HealthController } from './health/health.controller.js';
import { ConsoleController } from './http/console.controller.js';
import { ProblemFilter } from './http/problem.filter.js';
import { RecordsController } from './records/records.controller.js';
import { INFRASTRUCTURE } from './tokens.js';

@Module({})
export class AppModule {
  /** The gateway composed over already-opened infrastructure (so tests and main share one path). */
  static forRoot(infra: Infrastructure): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [AuthModule.forRoot(infra.settings)],
      controllers: [ConsoleController, HealthController, RecordsController],
      providers: [
        { provide: SETTINGS, useValue: infra.settings },
        { provide: INFRASTRUCTURE, useValue: infra },
        { provide: APP_FILTER, useFactory: () => new ProblemFilter(infra.logger) },
        {
          provide: SubmitRecordBatchUseCase,
          useFactory: () => new SubmitRecordBatchUseCase(infra.batches, infra.clock, randomUUID),
        },
        { provide: GetRecordBatchUseCase, useFactory: () => new GetRecordBatchUseCase(infra.batches) },
        { provide: ListRecordBatchesUseCase, useFactory: () => new ListRecordBatchesUseCase(infra.batches) },
      ],
      exports: [SETTINGS, INFRASTRUCTURE],
    };
  }
}
