import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { type Actor, type CanonicalRecord, ForbiddenError, ValidationError } from '#domain';
import { SubmitRecordBatchCommand } from './submit-record-batch.command.js';

const staff: Actor = { role: 'school_staff', subject: 's', board: 'B1', schools: ['99XX'] };

function record(overrides: Partial<CanonicalRecord> = {}): CanonicalRecord {
  return {
    recordId: 'r1',
    sourceSystem: 'magister',
    sourceRecordType: 'absentie',
    sourceId: '1',
    pupil: { localId: 'p1' },
    school: { brin: '99XX' },
    date: '2026-01-13',
    start: '2026-01-13T09:20:00+01:00',
    end: '2026-01-13T10:10:00+01:00',
    wholeDay: false,
    lessonHourFrom: 2,
    lessonHourTo: 2,
    category: 'UNAUTHORISED',
    legalClass: 'unauthorised',
    registeredVia: 'REPORT',
    missedMinutes: 50,
    missedLessons: 1,
    reasonCode: null,
    explainedBy: null,
    mapping: { source: 'fallback' },
    ...overrides,
  };
}

function issuesOf(actor: Actor, records: CanonicalRecord[]): { field: string; code: string }[] {
  try {
    SubmitRecordBatchCommand.create(actor, records);
  } catch (error) {
    assert.ok(error instanceof ValidationError);
    assert.equal(error.code, 'RECORD_BATCH_INVALID');
    return error.issues.map(({ field, code }) => ({ field, code }));
  }
  assert.fail('expected the batch to be refused');
}

describe('SubmitRecordBatchCommand', () => {
  it('accepts a consistent batch inside the scope', () => {
    const command = SubmitRecordBatchCommand.create(staff, [record(), record({ recordId: 'r2' })]);
    assert.equal(command.records.length, 2);
    expect(command.scope).toEqual({ board: 'B1', schools: ['99XX'] });
  });

  it('names every bad record and field', () => {
    const issues = issuesOf(staff, [
      record(),
      record({ recordId: 'r1' }),
      record({ recordId: 'r3', category: 'SICK', legalClass: 'unauthorised' }),
      record({ recordId: 'r4', end: '2026-01-13T09:00:00+01:00' }),
      record({ recordId: 'r5', school: { brin: '11AA' } }),
      record({ recordId: 'r6', start: null, missedMinutes: 20 }),
      record({ recordId: 'r7', lessonHourFrom: 3, lessonHourTo: 2 }),
    ]);
    expect(issues).toEqual([
      { field: 'records[1].recordId', code: 'DUPLICATE_RECORD_ID' },
      { field: 'records[2].legalClass', code: 'LEGAL_CLASS_MISMATCH' },
      { field: 'records[3].end', code: 'END_BEFORE_START' },
      { field: 'records[4].school.brin', code: 'SCHOOL_OUT_OF_SCOPE' },
      { field: 'records[5].missedMinutes', code: 'MINUTES_WITHOUT_TIMES' },
      { field: 'records[6].lessonHourTo', code: 'LESSON_HOURS_REVERSED' },
    ]);
  });

  it('refuses an empty batch', () => {
    expect(issuesOf(staff, [])).toEqual([{ field: 'records', code: 'BATCH_EMPTY' }]);
  });

  it('keeps an integration client to its own school and system', () => {
    const client: Actor = {
      role: 'integration_client',
      subject: 'c',
      board: 'B1',
      school: '99XX',
      system: 'somtoday',
    };
    expect(issuesOf(client, [record()])).toEqual([
      { field: 'records[0].sourceSystem', code: 'SYSTEM_OUT_OF_SCOPE' },
    ]);
  });

  it('refuses roles that may not write records', () => {
    const fg: Actor = { role: 'privacy_officer', subject: 'f', board: 'B1' };
    assert.throws(() => SubmitRecordBatchCommand.create(fg, [record()]), ForbiddenError);
  });
});
