import { parseArgs } from 'node:util';
import { VerifyAuditChainUseCase } from '#application';
import { TypeOrmAuditLog } from '#persistence';
import { withDatabase } from './cli-database.js';
import { UsageError } from './read-input.js';

/**
 * `audit verify [--database-url <url>]`: prints `{"entries":N,"valid":true,…}` or the first broken entry; exit 1
 * when broken. Extended (ADR 0012): `sealed` (the single chain of before, sealed) and `boards` (every board's
 * chain, from its checkpoint), each with its own verdict; `brokenAt.board` names the chain (null: sealed).
 */
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
      `ketenpoort audit: the ${result.brokenAt.board === null ? 'sealed chain' : `chain of board ${result.brokenAt.board}`} is broken at entry ${result.brokenAt.seq} (${result.brokenAt.reason})\n`,
    );
    return 1;
  }
  return 0;
}
