import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../bin/ketenpoort.js', import.meta.url));

describe('ketenpoort bench', () => {
  for (const system of ['somtoday', 'magister']) {
    it(`normalise (${system}) prints the contracts §8 result, every generated record normalised`, async () => {
      const { stdout } = await run(process.execPath, [
        BIN,
        'bench',
        'normalise',
        '--records',
        '2000',
        '--system',
        system,
      ]);
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
      ]) {
        assert.ok(field in result, `result has ${field}`);
      }
      assert.equal(result['scenario'], 'normalise');
      assert.equal(result['records'], 2000);
      assert.equal(result['quarantined'], 0, 'the generated payload is valid input');
      assert.equal(result['canonicalRecords'], 2000);
      assert.ok((result['recordsPerSecond'] as number) > 0);
      assert.ok((result['ratio'] as number) > 0);
    });
  }

  it('refuses an unknown scenario with exit 2', async () => {
    await assert.rejects(
      run(process.execPath, [BIN, 'bench', 'warp-speed']),
      (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 2);
        assert.match(error.stderr, /available: normalise/);
        return true;
      },
    );
  });
});
