import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../bin/ketenpoort.js', import.meta.url));

describe('ketenpoort bench decide', () => {
  it('prints the contracts §8 result for decisions on full report payloads with the default policy', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'bench', 'decide', '--records', '5000']);
    const result = JSON.parse(stdout) as Record<string, unknown>;
    for (const field of [
      'scenario',
      'records',
      'seconds',
      'recordsPerSecond',
      'engineLimitRecordsPerSecond',
      'ratio',
      'peakRssMb',
      'mode',
    ])
      assert.ok(field in result, `result has ${field}`);
    assert.equal(result['scenario'], 'decide');
    assert.equal(result['records'], 5000);
    assert.equal(result['fieldsPerRequest'], 28);
    assert.equal(result['permits'], 5000, 'every benchmark request is a permit');
    assert.ok((result['recordsPerSecond'] as number) > 0);
    assert.ok((result['ratio'] as number) > 0);
  });
});
