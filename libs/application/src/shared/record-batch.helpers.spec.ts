import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CANONICAL_RECORDS_CHANGED, type ChangedRecords } from '#domain';
import { aCanonicalRecord } from '#testing';
import { recordsChangedEvents, withSchool } from './record-batch.helpers.js';

const ids = fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 30 });
const changedPart: fc.Arbitrary<ChangedRecords> = fc
  .record({ parts: fc.integer({ min: 1, max: 500 }), created: ids, updated: ids, deleted: ids })
  .chain((c) => fc.integer({ min: 1, max: c.parts }).map((part) => ({ ...c, part })));

describe('recordsChangedEvents: what a stored batch announces', () => {
  it('makes one canonical-records.changed v1 per part: the ids as given, keyed by batch and part', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string({ minLength: 1 }), changedPart, (batchId, board, changed) => {
        const events = recordsChangedEvents(batchId, board)(changed);
        assert.equal(events.length, 1);
        const [event] = events;
        expect([event.type, event.version]).toEqual([
          CANONICAL_RECORDS_CHANGED.type,
          CANONICAL_RECORDS_CHANGED.version,
        ]);
        assert.equal(event.idempotencyKey, `canonical-records.changed:${batchId}:${changed.part}`);
        expect(event.payload).toEqual({
          batchId,
          board,
          part: changed.part,
          parts: changed.parts,
          created: changed.created,
          updated: changed.updated,
          deleted: changed.deleted,
        });
      }),
    );
  });

  it('gives every part of one batch its own idempotency key, and the same part the same key again', () => {
    fc.assert(
      fc.property(fc.uuid(), changedPart, changedPart, (batchId, a, b) => {
        const key = (c: ChangedRecords) => recordsChangedEvents(batchId, 'B')(c)[0].idempotencyKey;
        assert.equal(key(a) === key(b), a.part === b.part);
      }),
    );
  });
});

describe('withSchool', () => {
  it("gives a record without a school the payload's school and leaves one with a school alone", () => {
    const bare = { ...aCanonicalRecord(), school: null };
    assert.equal(withSchool(bare, '11AA').school?.brin, '11AA');
    const own = aCanonicalRecord({ school: { brin: '22BB' } });
    assert.equal(withSchool(own, '11AA'), own);
  });
});
