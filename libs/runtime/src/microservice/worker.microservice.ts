import type { DynamicModule, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import type { MessageConsumer } from '#domain';
import { BrokerExceptionFilter, BrokerTransport } from './broker.transport.js';
import { type WorkerHandlers, WorkerMicroserviceModule } from './worker.consumers.js';

export interface WorkerMicroserviceOptions {
  readonly broker: MessageConsumer;
  /** `BROKER_NAMESPACE`. */
  readonly namespace: string;
  readonly handlers: WorkerHandlers;
  /** Nest's own logging (the process's pino logger through `PinoNestLogger`). */
  readonly logger: LoggerService | false;
  /** Modules the process adds to the microservice (its timers as lifecycle providers). */
  readonly imports?: NonNullable<DynamicModule['imports']>;
}

/**
 * Creates the worker as a Nest microservice on the broker transport and starts listening: every consumer is
 * subscribed when this resolves (ADR 0029).
 */
export async function startWorkerMicroservice(
  options: WorkerMicroserviceOptions,
): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(
    WorkerMicroserviceModule.forRoot(options.handlers, options.imports),
    {
      strategy: new BrokerTransport({ broker: options.broker, namespace: options.namespace }),
      logger: options.logger,
      abortOnError: false,
    },
  );
  app.useGlobalFilters(new BrokerExceptionFilter());
  try {
    await app.listen();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
