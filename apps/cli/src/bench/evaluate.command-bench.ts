import { parseArgs } from 'node:util';
import { loadRulepack, parseRulepack } from '#signals';
import { NATIONAL_RULEPACK } from '../commands/evaluate.command.js';
import { UsageError, readText } from '../commands/read-input.js';
import { evaluateInMemory } from './evaluate.bench.js';
import { evaluateFromStore } from './evaluate-store.bench.js';

/**
 * `bench evaluate [--pupils N]`: a board of 30,000 pupils by default, the national rulepack. The in-memory figures
 * first (contracts §8 fields), then `store`: the same board's last school day as the worker evaluates it from the
 * store (PostgreSQL with DATABASE_URL, else embedded PGlite; `evaluate-store.bench.ts`).
 */
export async function benchEvaluateCommand(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: false,
    allowPositionals: true,
    options: { pupils: { type: 'string' } },
  });
  const pupils = Number(values.pupils ?? 30_000);
  if (!Number.isInteger(pupils) || pupils < 1) throw new UsageError('--pupils must be a positive integer');
  const parsed = parseRulepack(await readText(NATIONAL_RULEPACK, 'rulepack'), NATIONAL_RULEPACK);
  if (!parsed.ok) throw new UsageError('the shipped national rulepack is invalid');
  const rulepack = loadRulepack(parsed.value);
  const memory = evaluateInMemory(pupils, rulepack);
  const store = await evaluateFromStore(memory, rulepack);
  process.stdout.write(JSON.stringify({ ...memory.result, store }) + '\n');
  return 0;
}
