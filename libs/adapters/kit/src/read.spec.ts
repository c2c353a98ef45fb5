import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { QUARANTINE_REASONS } from '#domain';
import { ok, problem } from './read.js';

describe('Read', () => {
  it('ok carries the value and problem the reason and detail, never both', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.constantFrom(...QUARANTINE_REASONS),
        fc.string(),
        (value, reason, detail) => {
          const read = ok(value);
          assert.ok(read.ok);
          assert.equal(read.value, value);
          const failed = problem(reason, detail);
          expect(failed).toEqual({ ok: false, problem: { reason, detail } });
          assert.ok(!('value' in failed));
        },
      ),
    );
  });
});
