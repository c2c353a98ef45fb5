import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { benchResult } from './bench.test-support.js';

describe('ketenpoort bench decide', () => {
  it('prints the contracts §8 result for decisions on full report payloads with the default policy', async () => {
    const result = await benchResult(['decide', '--records', '5000']);
    assert.equal(result['records'], 5000);
    assert.equal(result['fieldsPerRequest'], 28);
    assert.equal(result['permits'], 5000, 'every benchmark request is a permit');
    assert.ok((result['recordsPerSecond'] as number) > 0);
    assert.ok((result['ratio'] as number) > 0);
  });
});
