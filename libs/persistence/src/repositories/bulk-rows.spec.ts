import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { CanonicalRecord } from '#domain';
import { contentHash, copyText, stageRow, stageText } from './bulk-rows.js';

const record = (over: Partial<CanonicalRecord>): CanonicalRecord => ({
  recordId: 'rec_0123456789abcdef0123456789abcdef',
  sourceSystem: 'somtoday',
  sourceRecordType: 'absentiemelding',
  sourceId: '42',
  pupil: { localId: 'p1' },
  school: { brin: '99XX' },
  date: '2026-01-13',
  start: '2026-01-13T08:20:00+01:00',
  end: '2026-01-13T09:10:00+01:00',
  wholeDay: false,
  lessonHourFrom: 1,
  lessonHourTo: 1,
  category: 'SICK',
  legalClass: 'authorised',
  registeredVia: 'REPORT',
  missedMinutes: 50,
  missedLessons: 1,
  reasonCode: 'ZK',
  explainedBy: null,
  mapping: { source: 'fallback' },
  ...over,
});

describe('bulk rows', () => {
  it('stages the same COPY text as copyText over stageRow, and reports each school', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            sourceId: fc.string(),
            localId: fc.string(),
            reasonCode: fc.option(fc.string()),
            brin: fc.option(fc.constantFrom('99XX', 'a\tb', 'c\\d', 'e\nf\r')),
          }),
          { maxLength: 8 },
        ),
        (items) => {
          const records = items.map((i) =>
            record({
              sourceId: i.sourceId,
              pupil: { localId: i.localId },
              reasonCode: i.reasonCode,
              school: i.brin === null ? null : { brin: i.brin },
            }),
          );
          const schools: (string | null)[] = [];
          const text = stageText(records, (brin) => schools.push(brin));
          assert.equal(text, copyText(records.map(stageRow)));
          expect(schools).toEqual(records.map((r) => r.school?.brin ?? null));
        },
      ),
    );
  });

  it('keeps the content hash: SHA-256 of the JSON, base64url (stored hashes stay comparable)', () => {
    assert.equal(contentHash(''), '47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU');
    assert.equal(contentHash('{"a":1}').length, 43);
  });
});
