import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const BIN = fileURLToPath(new URL('../../../bin/ketenpoort.js', import.meta.url));

/** The fields of contracts §8 every benchmark result carries. */
const CONTRACT_FIELDS = [
  'scenario',
  'records',
  'seconds',
  'recordsPerSecond',
  'engineLimitRecordsPerSecond',
  'ratio',
  'peakRssMb',
  'mode',
];

/** Runs `ketenpoort bench <args>`, checks the contracts §8 shape and returns the result. */
export async function benchResult(
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [BIN, 'bench', ...args], env ? { env } : {});
  const result = JSON.parse(stdout) as Record<string, unknown>;
  for (const field of CONTRACT_FIELDS) assert.ok(field in result, `result has ${field}`);
  assert.equal(result['scenario'], args[0]);
  return result;
}
