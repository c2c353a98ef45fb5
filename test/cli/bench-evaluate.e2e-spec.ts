import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { benchResult } from './bench.test-support.js';

describe('ketenpoort bench evaluate', () => {
  it('prints the contracts §8 result with the one-day increment', async () => {
    const result = await benchResult(['evaluate', '--pupils', '300']);
    assert.equal(result['pupils'], 300);
    assert.ok((result['records'] as number) > 300 * 40);
    assert.ok((result['signals'] as number) > 0, 'the board triggers rules');
    const increment = result['increment'] as Record<string, number>;
    assert.ok(increment['records'] > 0 && increment['seconds'] >= 0);
  });
});
