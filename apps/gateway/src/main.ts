import 'reflect-metadata';
import { PrivacyPolicyEngine } from '#application';
import { ConfigurationError, assertStartable, loadSettings, processEnv } from '#config';
import {
  createLogger,
  createPullScheduler,
  loadSignalEvaluator,
  loadStartupPolicy,
  startInfrastructure,
} from '#runtime';
import { createGateway } from './create-gateway.js';
import { seedDemoData } from './demo/seed-demo-data.js';
import { printDemoAccess } from './demo/print-demo-access.js';

async function main(): Promise<void> {
  // The process's one privacy engine: the startup proof, the privacy module and the dispatcher share it.
  const engine = new PrivacyPolicyEngine();
  let settings;
  let signalEvaluator;
  try {
    settings = loadSettings(processEnv());
    // Production keys and verification keys, before anything is opened (ADR 0020).
    assertStartable(settings, 'gateway');
    // The national rulepack and RULEPACK_REGIONAL, validated before anything starts (a bad pack: exit 78).
    signalEvaluator = loadSignalEvaluator(settings);
    // The policy that applies without a board version, proven before anything starts (failing: exit 78).
    loadStartupPolicy(settings, engine);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`ketenpoort: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(settings);
  const infra = await startInfrastructure(settings, logger, {
    relay: true,
    consumers: settings.workerInProcess,
    engine,
    signalEvaluator,
  });
  // Validated before serving: a bad PULL_SOURCES_FILE fails start-up (exit 78). No file: no pulls.
  const pulls = createPullScheduler(infra);
  const app = await createGateway(infra, { pullStatus: () => pulls.status() });
  if (settings.demoData) await seedDemoData(app, infra);
  await app.listen(settings.port, settings.host);
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  logger.info({ url, mode: settings.mode, workerInProcess: settings.workerInProcess }, 'gateway listening');
  if (settings.auth.localIssuer) printDemoAccess(url, settings);
  pulls.start();

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    await pulls.stop();
    await app.close();
    await infra.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    // Settings that only a component can judge (e.g. verification keys) fail during bootstrap.
    process.stderr.write(`ketenpoort: ${error.message}\n`);
    process.exit(78);
  }
  const code = (error as { code?: string }).code;
  process.stderr.write(
    `ketenpoort: start-up failed${code ? ` (${code})` : ''}: ${(error as Error).message}\n`,
  );
  process.exit(1);
});
