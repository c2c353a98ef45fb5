import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DEFAULT_RETRY_SCHEDULE,
  describeSchedule,
  mayRetry,
  nominalDelayMs,
  retryDelayMs,
  scheduleProblems,
} from './retry-schedule.js';

const schedules = fc.record({
  baseMs: fc.integer({ min: 1, max: 100_000 }),
  factor: fc.double({ min: 1, max: 4, noNaN: true }),
  maxMs: fc.integer({ min: 100_000, max: 10_000_000 }),
  maxAttempts: fc.integer({ min: 1, max: 40 }),
});

describe('retry schedule (exponential backoff, equal jitter)', () => {
  it('publishes the default: 15 s doubling, capped at 1 h, 12 attempts', () => {
    const table = describeSchedule(DEFAULT_RETRY_SCHEDULE);
    assert.equal(table.length, 11);
    expect(table[0]).toEqual({ afterAttempt: 1, minMs: 7_500, maxMs: 15_000 });
    expect(table[1]).toEqual({ afterAttempt: 2, minMs: 15_000, maxMs: 30_000 });
    expect(table[8]).toEqual({ afterAttempt: 9, minMs: 1_800_000, maxMs: 3_600_000 });
    expect(table[10]).toEqual({ afterAttempt: 11, minMs: 1_800_000, maxMs: 3_600_000 });
    assert.equal(mayRetry(DEFAULT_RETRY_SCHEDULE, 11), true);
    assert.equal(mayRetry(DEFAULT_RETRY_SCHEDULE, 12), false);
    expect(scheduleProblems(DEFAULT_RETRY_SCHEDULE)).toEqual([]);
  });

  it('every delay lies between half and all of the nominal delay, never above the cap', () => {
    fc.assert(
      fc.property(
        schedules,
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (s, n, r) => {
          const nominal = nominalDelayMs(s, n);
          const delay = retryDelayMs(s, n, r);
          assert.ok(
            delay >= Math.floor(nominal / 2) && delay <= Math.ceil(nominal),
            `${delay} vs ${nominal}`,
          );
          assert.ok(delay <= s.maxMs + 1);
        },
      ),
    );
  });

  it('the nominal delay never shrinks from one attempt to the next', () => {
    fc.assert(
      fc.property(schedules, fc.integer({ min: 1, max: 200 }), (s, n) => {
        assert.ok(nominalDelayMs(s, n + 1) >= nominalDelayMs(s, n));
      }),
    );
  });

  it('names what is wrong with a schedule from settings', () => {
    expect(scheduleProblems({ baseMs: 0, factor: 0.5, maxMs: -1, maxAttempts: 1.5 })).toEqual([
      'baseMs must be > 0',
      'factor must be >= 1',
      'maxMs must be >= baseMs',
      'maxAttempts must be an integer >= 1',
    ]);
  });
});
