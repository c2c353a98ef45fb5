import assert from 'node:assert/strict';
import { beforeAll, describe, it } from '@jest/globals';
import { benchResult } from './bench.test-support.js';

type Fields = Record<string, unknown>;
const at = (value: unknown, key: string): Fields => (value as Fields)[key] as Fields;

describe('ketenpoort bench evaluate', () => {
  let result: Fields;
  // One run of 300 pupils: the in-memory figures, then the same board from the store (PostgreSQL with
  // DATABASE_URL, else embedded PGlite).
  beforeAll(async () => {
    result = await benchResult(['evaluate', '--pupils', '300']);
  });

  it('prints the contracts §8 result with the one-day increment', () => {
    assert.equal(result['pupils'], 300);
    assert.ok((result['records'] as number) > 300 * 40);
    assert.ok((result['signals'] as number) > 0, 'the board triggers rules');
    const increment = result['increment'] as Record<string, number>;
    assert.ok(increment['records'] > 0 && increment['seconds'] >= 0);
  });

  it('times the same day from the store as the worker does it, and agrees with the in-memory evaluator', () => {
    const increment = result['increment'] as Record<string, unknown>;
    const store = result['store'] as Fields;
    assert.match(String(store['mode']), process.env['DATABASE_URL'] ? /PostgreSQL/ : /PGlite/);
    assert.equal(store['date'], increment['date']);
    assert.equal(store['dayRecords'], increment['records']);
    for (const field of [
      'seconds',
      'readSeconds',
      'evaluateSeconds',
      'writeSeconds',
      'pupils',
      'recordsRead',
    ]) {
      assert.equal(typeof store[field], 'number', `store.${field} is a number`);
      assert.ok((store[field] as number) >= 0, `store.${field} is not negative`);
    }
    // The reads of the next slices overlap the evaluation of one (issue 18); the rules and the writes take turns.
    const parts = ['evaluateSeconds', 'writeSeconds'].map((f) => store[f] as number);
    assert.ok(
      parts.reduce((a, b) => a + b) <= (store['seconds'] as number) + 0.003,
      'the rules and the writes fit the total',
    );
    assert.equal(at(store, 'target')['seconds'], 1);

    // Every pupil with a record that day was evaluated, from what the rules read of its stored records: fewer than
    // all of them (the presence marks of days without absence stay out).
    assert.ok((store['pupils'] as number) > 0);
    assert.equal(store['evaluated'], store['pupils']);
    assert.ok((store['recordsRead'] as number) > 0);
    assert.ok((store['recordsRead'] as number) < (store['recordsOfThesePupils'] as number));
    const ports = store['ports'] as Record<string, Record<string, number>>;
    assert.equal(ports['signals.recordsForRules']['rows'], store['recordsRead']);
    // The registry is read once per slice of pupils, not once per pupil; it found every one of them.
    assert.ok(ports['pupilRegistry.findEach']['calls'] < (store['pupils'] as number));
    assert.equal(ports['pupilRegistry.findEach']['rows'], store['pupils']);
    assert.equal(ports['evaluator.evaluatePupil']['calls'], store['pupils']);

    // The cross-check: the use case over the store against the in-memory IncrementalEvaluator of the same day,
    // for the pupils whose records changed — the same pupils, the same changes, the same open signal ids.
    const check = at(store, 'crossCheck');
    assert.equal(at(check, 'pupils')['store'], at(check, 'pupils')['inMemory']);
    const changes = at(store, 'signalChanges');
    assert.equal(changes['opened'], at(check, 'inMemory')['opened']);
    assert.equal(changes['withdrawn'], at(check, 'inMemory')['withdrawnInStore']);
    const open = at(check, 'openSignals');
    assert.ok((open['inMemory'] as number) > 0, 'the pupils of that day have open signals to compare');
    assert.equal(open['store'], open['inMemory']);
    assert.equal(open['same'], true, 'the store holds the open signals the in-memory evaluator holds');
    assert.equal(check['matches'], true);

    // The stored state was the whole board, and the run removed it again.
    assert.equal(store['leftBehindRows'], 0);
    const load = at(store, 'load');
    assert.equal(load['pupils'], 300);
    assert.equal(
      (load['records'] as number) + (increment['records'] as number),
      result['records'],
      'the records up to the day before, and that day',
    );
  });
});
