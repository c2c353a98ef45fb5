import { parseArgs } from 'node:util';
import { PolicyResolver, ProcessingRegisterUseCase } from '#application';
import { type PolicyEngine, isDomainError } from '#domain';
import { TypeOrmPolicyVersionStore, TypeOrmRetentionRecords } from '#persistence';
import { registerCsv } from '#privacy';
import { loadStartupPolicy, registerConfiguration, systemClock } from '#runtime';
import { withDatabase } from './cli-database.js';
import { UsageError } from './read-input.js';

/**
 * `register --kind controller|processor [--board <board>] [--format json|csv] [--database-url <url>]`: the
 * verwerkingsregister (ADR 0025) as GET /v1/privacy/register gives it for a board; `--kind processor` without
 * `--board` is the host's register across every board of the installation (art. 30(2)), for the operator.
 */
/** `engine`: the CLI process's privacy engine (made by `main`). */
export async function runRegister(args: readonly string[], engine: PolicyEngine): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      kind: { type: 'string', default: 'controller' },
      board: { type: 'string' },
      format: { type: 'string', default: 'json' },
      'database-url': { type: 'string' },
    },
    strict: true,
  });
  const { kind, board, format } = values;
  if (kind !== 'controller' && kind !== 'processor')
    throw new UsageError('--kind is controller or processor');
  if (format !== 'json' && format !== 'csv') throw new UsageError('--format is json or csv');
  if (kind === 'controller' && !board)
    throw new UsageError('--board <board> is required for --kind controller');
  try {
    const register = await withDatabase(values['database-url'], async (dataSource, settings) => {
      const resolver = new PolicyResolver(
        new TypeOrmPolicyVersionStore(dataSource),
        engine,
        loadStartupPolicy(settings, engine),
      );
      const useCase = new ProcessingRegisterUseCase(
        new TypeOrmRetentionRecords(dataSource),
        resolver,
        systemClock,
        registerConfiguration(settings),
      );
      if (board === undefined) return useCase.processorForHost();
      return useCase.execute({ role: 'privacy_officer', subject: 'cli', board }, kind);
    });
    process.stdout.write(format === 'csv' ? registerCsv(register) : JSON.stringify(register, null, 2) + '\n');
    return 0;
  } catch (error) {
    if (isDomainError(error)) {
      process.stderr.write(`ketenpoort register: ${error.message} (${error.code})\n`);
      return 1;
    }
    throw error;
  }
}
