import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { benchResult } from './bench.test-support.js';

describe('ketenpoort bench dispatch', () => {
  it('delivers every report through outbox, broker and dispatcher to the simulated DUO exactly once', async () => {
    const result = await benchResult(['dispatch', '--records', '40']);
    assert.equal(result['records'], 40);
    assert.equal(result['registeredAtDuo'], 40, 'every report registered at the simulated DUO');
    assert.equal(result['duplicateRegistrations'], 0);
    assert.ok((result['recordsPerSecond'] as number) > 0);
    assert.ok((result['engineLimitRecordsPerSecond'] as number) > 0, 'the broker reference was measured');
    assert.ok((result['ratio'] as number) > 0);
    assert.match(String(result['mode']), /^(pglite|postgresql)\+(in-process|rabbitmq)$/);
  });

  it('refuses a record count that is not a positive integer with exit 2', async () => {
    await assert.rejects(
      benchResult(['dispatch', '--records', 'veel']),
      (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 2);
        assert.match(error.stderr, /--records must be a positive integer/);
        return true;
      },
    );
  });
});
