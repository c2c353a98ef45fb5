import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { PrivacyPolicyEngine } from '#application';
import { ConfigurationError, assertStartable, loadSettings, processEnv } from '#config';
import {
  PinoNestLogger,
  RetentionSchedule,
  createLogger,
  loadSignalEvaluator,
  loadStartupPolicy,
  startInfrastructure,
} from '#runtime';
import { WorkerModule } from './worker.module.js';

/** The production worker: consumes from RabbitMQ and runs an outbox relay beside the gateway's. */
async function main(): Promise<void> {
  // The process's one privacy engine: the startup proof, the dispatcher and retention share it.
  const engine = new PrivacyPolicyEngine();
  let settings;
  let signalEvaluator;
  try {
    settings = loadSettings(processEnv());
    if (settings.amqpUrl === null) {
      throw new ConfigurationError([
        'AMQP_URL is required for a separate worker (in embedded mode the gateway runs the worker itself)',
      ]);
    }
    // Production keys shared by every replica, before anything is opened (ADR 0020).
    assertStartable(settings, 'worker');
    // The national rulepack and RULEPACK_REGIONAL, validated before anything starts (a bad pack: exit 78).
    signalEvaluator = loadSignalEvaluator(settings);
    // The policy that applies without a board version, proven before anything starts (failing: exit 78).
    loadStartupPolicy(settings, engine);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`ketenpoort-worker: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(settings).child({ app: 'worker' });
  const infra = await startInfrastructure(settings, logger, {
    relay: true,
    consumers: true,
    engine,
    signalEvaluator,
  });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(infra), {
    logger: new PinoNestLogger(logger),
  });
  app.enableShutdownHooks();
  const privacy = await infra.privacy();
  const retention = new RetentionSchedule(
    privacy,
    infra,
    logger.child({ component: 'retention' }),
    settings.privacy.retentionIntervalMs,
  );
  retention.start();
  const stop = (): void => void retention.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  logger.info({ mode: settings.mode }, 'worker consuming');
}

main().catch((error: unknown) => {
  process.stderr.write(`ketenpoort-worker: start-up failed: ${(error as Error).message}\n`);
  process.exit(1);
});
