import { parseArgs } from 'node:util';
import { VerifyAuditChainUseCase } from '#application';
import { TypeOrmAuditLog } from '#persistence';
import { withDatabase } from './cli-database.js';
import { UsageError } from './read-input.js';

/** `audit verify [--database-url <url>]`: prints `{"entries":N,"valid":true,…}` or the first broken entry; exit 1 when broken. */
export async function runAudit(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { 'database-url': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1 || positionals[0] !== 'verify') {
    throw new UsageError('expected: audit verify [--database-url <url>]');
  }
  const result = await withDatabase(values['database-url'], (dataSource) =>
    new VerifyAuditChainUseCase(new TypeOrmAuditLog(dataSource)).execute(),
  );
  process.stdout.write(JSON.stringify(result) + '\n');
  if (!result.valid) {
    process.stderr.write(
      `ketenpoort audit: the chain is broken at entry ${result.brokenAt.seq} (${result.brokenAt.reason})\n`,
    );
    return 1;
  }
  return 0;
}
