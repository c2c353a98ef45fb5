import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { BIN, benchResult, run } from './bench.test-support.js';

describe('ketenpoort bench', () => {
  for (const system of ['somtoday', 'magister']) {
    it(`normalise (${system}) prints the contracts §8 result, every generated record normalised`, async () => {
      const result = await benchResult(['normalise', '--records', '2000', '--system', system]);
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
