import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { FALLBACK_MAPPING, RecordFactory } from './canonical-record.js';

describe('RecordFactory: objects shared within one normalise call', () => {
  it('one frozen mapping object per version; the fallback is always the same object', () => {
    const factory = new RecordFactory();
    const v3 = factory.mappingOf({ source: 'school', version: '3' });
    assert.equal(factory.mappingOf({ source: 'school', version: '3' }), v3);
    assert.notEqual(factory.mappingOf({ source: 'school', version: '4' }), v3);
    assert.ok(Object.isFrozen(v3));
    expect(v3).toEqual({ source: 'school', version: '3' });
    assert.equal(factory.mappingOf({ source: 'fallback' }), FALLBACK_MAPPING);
  });

  it('consecutive records of one pupil share the pupil object; another pupil in between starts a new one', () => {
    const factory = new RecordFactory();
    const first = factory.pupilOf('p1');
    assert.equal(factory.pupilOf('p1'), first);
    const other = factory.pupilOf('p2');
    assert.notEqual(other, first);
    assert.notEqual(factory.pupilOf('p1'), first);
    expect(first).toEqual({ localId: 'p1' });
  });

  it('two factories (two normalise calls) share nothing but the fallback', () => {
    const a = new RecordFactory();
    const b = new RecordFactory();
    assert.notEqual(
      a.mappingOf({ source: 'school', version: '1' }),
      b.mappingOf({ source: 'school', version: '1' }),
    );
    assert.notEqual(a.pupilOf('p1'), b.pupilOf('p1'));
  });
});
