import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../bin/ketenpoort.js', import.meta.url));

describe('ketenpoort bench evaluate', () => {
  it('prints the contracts §8 result with the one-day increment', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'bench', 'evaluate', '--pupils', '300']);
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
    assert.equal(result['scenario'], 'evaluate');
    assert.equal(result['pupils'], 300);
    assert.ok((result['records'] as number) > 300 * 40);
    assert.ok((result['signals'] as number) > 0, 'the board triggers rules');
    const increment = result['increment'] as Record<string, number>;
    assert.ok(increment['records'] > 0 && increment['seconds'] >= 0);
  });
});
