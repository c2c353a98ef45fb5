import { parseArgs } from 'node:util';
import { ConfigurationError, loadSettings, parsePullSources, processEnv } from '#config';
import type { PolicyEngine, PullRunResult } from '#domain';
import type { ReleasedPayload } from '#privacy';
import {
  PullScheduler,
  createLogger,
  pullClientFactory,
  pullSourceUseCase,
  startInfrastructure,
} from '#runtime';
import { UsageError, readText } from './read-input.js';

/**
 * `pull --source <name> [--sources <file>] [--once]`: pulls one configured source into the store (DATABASE_URL,
 * or the embedded database in DATA_DIR) and prints each run result as a JSON line. With `--once` it runs one
 * pull and exits (0 when the run had no errors, 1 otherwise); without, it runs the source on its interval until
 * SIGINT/SIGTERM. The outbox events wait for the gateway's or worker's relay.
 */
/** `engine`: the CLI process's privacy engine (made by `main`); the infrastructure needs one. */
export async function runPull(
  args: readonly string[],
  engine: PolicyEngine<ReleasedPayload>,
): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      source: { type: 'string' },
      sources: { type: 'string' },
      once: { type: 'boolean', default: false },
    },
  });
  if (!values.source) throw new UsageError('pull needs --source <name>');
  let settings;
  let sources;
  try {
    settings = loadSettings(processEnv());
    const file = values.sources ?? settings.pullSourcesFile;
    if (file === null) throw new UsageError('pull needs --sources <file> (or PULL_SOURCES_FILE)');
    sources = parsePullSources(await readText(file, 'sources file'), processEnv());
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(error.message);
    throw error;
  }
  const source = sources.find((s) => s.name === values.source);
  if (!source) {
    throw new UsageError(
      `unknown source "${values.source}"; configured: ${sources.map((s) => s.name).join(', ') || '(none)'}`,
    );
  }

  const logger = createLogger(settings, process.stderr);
  const infra = await startInfrastructure(settings, logger, { relay: false, consumers: false, engine });
  const print = (result: PullRunResult): void => {
    process.stdout.write(JSON.stringify(result) + '\n');
  };
  let failed = false;
  const scheduler = new PullScheduler({
    sources: [source],
    useCase: pullSourceUseCase(infra),
    clientFor: pullClientFactory(infra.clock, logger.child({ component: 'pull' })),
    logger: logger.child({ component: 'pull' }),
    onResult: (result) => {
      failed = !result.ok;
      print(result);
    },
  });
  try {
    if (values.once) {
      await scheduler.runNow(source.name);
      return failed ? 1 : 0;
    }
    scheduler.start();
    // The scheduler's timers are unref'd: this wait is what keeps the process alive until a signal.
    await new Promise<void>((resolve) => {
      const keepAlive = setInterval(() => undefined, 60_000);
      const stop = (): void => {
        clearInterval(keepAlive);
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return failed ? 1 : 0;
  } finally {
    await scheduler.stop();
    await infra.close();
  }
}
