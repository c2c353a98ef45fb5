import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { CATEGORIES, CATEGORY_INFO, LEGAL_CLASSES, isConsistentLegalClass } from './categories.js';

describe('categories', () => {
  it('has a Dutch label for each of the 17 canonical categories', () => {
    assert.equal(CATEGORIES.length, 17);
    for (const category of CATEGORIES) assert.ok(CATEGORY_INFO[category].labelNl.length > 0);
  });

  it('fixes the legal class of every category but OTHER', () => {
    assert.equal(isConsistentLegalClass('SICK', 'authorised'), true);
    assert.equal(isConsistentLegalClass('SICK', 'unauthorised'), false);
    assert.equal(isConsistentLegalClass('UNEXPLAINED', 'pending'), true);
    assert.equal(isConsistentLegalClass('TIMETABLE_ADJUSTMENT', 'not_absence'), true);
    const otherClasses = LEGAL_CLASSES.filter((c) => isConsistentLegalClass('OTHER', c));
    expect(otherClasses).toEqual(['authorised', 'unauthorised']);
  });
});
