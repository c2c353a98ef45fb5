import 'reflect-metadata';
import { ConfigurationError, assertStartable, loadSettings, processEnv } from '#config';
import { PrivacyPolicyEngine } from '#application';
import {
  InfrastructureModule,
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
  // The consumers are message handlers of the worker microservice on the broker transport (ADR 0029); the
  // retention job runs in it as a lifecycle provider, over the opened infrastructure in Nest's container (ADR 0031).
  const infra = await startInfrastructure(settings, logger, {
    relay: true,
    consumers: true,
    engine,
    signalEvaluator,
    workerModules: (opened) => [InfrastructureModule.forRoot(opened), WorkerModule],
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void infra.close().finally(() => process.kill(process.pid, signal));
    });
  }
  logger.info({ mode: settings.mode }, 'worker consuming');
}

main().catch((error: unknown) => {
  process.stderr.write(`ketenpoort-worker: start-up failed: ${(error as Error).message}\n`);
  process.exit(1);
});
