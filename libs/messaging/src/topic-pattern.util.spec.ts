import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { matchesAnyTopicPattern, matchesTopicPattern } from './topic-pattern.util.js';

describe('matchesTopicPattern (AMQP topic semantics)', () => {
  const cases: [pattern: string, key: string, expected: boolean][] = [
    ['canonical-records.changed.v1', 'canonical-records.changed.v1', true],
    ['canonical-records.changed.v1', 'canonical-records.changed.v2', false],
    ['canonical-records.changed.v1', 'canonical-records.changed', false],
    ['canonical-records.*.v1', 'canonical-records.changed.v1', true],
    ['records.*.v1', 'records.a.b.v1', false],
    ['records.*', 'records', false],
    ['*', 'records', true],
    ['*.*', 'records', false],
    ['#', 'canonical-records.changed.v1', true],
    ['#', '', true],
    ['records.#', 'records', true],
    ['records.#', 'records.a.b.c', true],
    ['records.#', 'recordsx.a', false],
    ['#.v1', 'canonical-records.changed.v1', true],
    ['#.v1', 'v1', true],
    ['#.v1', 'records.v2', false],
    ['records.#.v1', 'records.v1', true],
    ['records.#.v1', 'records.a.b.v1', true],
    ['#.*.v1', 'v1', false],
    ['#.*.v1', 'a.v1', true],
    ['*.#.*', 'a', false],
    ['*.#.*', 'a.b', true],
    ['#.#', 'a.b.c', true],
    ['canonical-records.chan*.v1', 'canonical-records.changed.v1', false],
  ];
  for (const [pattern, key, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} "${key}"`, () => {
      assert.equal(matchesTopicPattern(pattern, key), expected);
    });
  }

  it('matchesAnyTopicPattern is true when one pattern matches', () => {
    assert.equal(matchesAnyTopicPattern(['a.v1', 'b.*'], 'b.v2'), true);
    assert.equal(matchesAnyTopicPattern(['a.v1', 'b.*'], 'c.v1'), false);
    assert.equal(matchesAnyTopicPattern([], 'c.v1'), false);
  });
});
