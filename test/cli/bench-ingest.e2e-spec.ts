import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { benchResult } from './bench.test-support.js';

describe('ketenpoort bench ingest', () => {
  it('prints the contracts §8 result with both references of issue 18, and its three phases', async () => {
    const result = await benchResult(['ingest', '--records', '3000']);
    assert.equal(result['records'], 3000);
    // The engine limit: the same records' information into a narrow table with no index.
    assert.match(String(result['engineLimit']), /narrow table/);
    assert.ok((result['engineLimitRecordsPerSecond'] as number) > 0);
    assert.ok((result['ratio'] as number) > 0);
    // The second reference: the same rows into the store's own table.
    assert.match(String(result['storeCopy']), /canonical_record/);
    assert.ok((result['storeCopyRecordsPerSecond'] as number) > 0);
    assert.ok((result['ratioToStoreCopy'] as number) > 0);
    assert.ok((result['resendSpeedup'] as number) > 0);
    const phases = result['phases'] as Record<string, Record<string, number>>;
    expect([
      phases['initial']['created'],
      phases['resend']['unchanged'],
      phases['changed10pct']['updated'],
    ]).toEqual([3000, 3000, 300]);
  });
});
