import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { durationInWords } from './overview.js';

describe('durationInWords', () => {
  it('says ISO 8601 periods in Dutch, singular and plural', () => {
    assert.equal(durationInWords('P5Y'), '5 jaar');
    assert.equal(durationInWords('P1Y'), '1 jaar');
    assert.equal(durationInWords('P6M'), '6 maanden');
    assert.equal(durationInWords('P1M'), '1 maand');
    assert.equal(durationInWords('P2W'), '2 weken');
    assert.equal(durationInWords('P1D'), '1 dag');
    assert.equal(durationInWords('P1Y6M'), '1 jaar en 6 maanden');
    assert.equal(durationInWords('P1Y2M3D'), '1 jaar, 2 maanden en 3 dagen');
  });

  it('gives back what it cannot read', () => {
    assert.equal(durationInWords('P'), 'P');
    assert.equal(durationInWords('PT5H'), 'PT5H');
  });
});
