import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mulberry32 } from './seeded-random.js';

describe('mulberry32', () => {
  it('gives the same sequence for the same seed, every value in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), fc.nat(50), (seed, n) => {
        const a = mulberry32(seed);
        const b = mulberry32(seed);
        for (let i = 0; i <= n; i++) {
          const value = a();
          assert.equal(value, b());
          assert.ok(value >= 0 && value < 1);
        }
      }),
    );
  });

  it('keeps its sequence (seed 1): simulators and bench boards replay as before', () => {
    const random = mulberry32(1);
    expect([random(), random(), random()].map((v) => Math.floor(v * 2 ** 32))).toEqual([
      2693262067, 11749833, 2265367787,
    ]);
  });
});
