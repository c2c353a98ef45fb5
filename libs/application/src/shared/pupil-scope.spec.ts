import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import type { BoardScope, RegisteredPupilAt } from '#domain';
import { aCanonicalRecord } from '#testing';
import { placeRecords } from './pupil-scope.js';

/** The registry's answers as a plain list: a per-school board with number 1001 at 99XX and 99XY, 2002 at 99XX. */
const REGISTERED: RegisteredPupilAt[] = [
  { localId: '1001', school: '99XX', administration: '99XX' },
  { localId: '1001', school: '99XY', administration: '99XY' },
  { localId: '2002', school: '99XX', administration: '99XX' },
];
const view = (shared: boolean, registered = REGISTERED) => ({
  shared,
  registeredAt: (ids: readonly string[]) => registered.filter((p) => ids.includes(p.localId)),
});
const record = (localId: string, brin: string | null) =>
  aCanonicalRecord({ recordId: `r-${localId}-${brin}`, pupil: { localId }, school: brin ? { brin } : null });
const codes = (refused: readonly { issue: { code: string } }[]) => refused.map((r) => r.issue.code);

describe('placeRecords: records go to a pupil inside the scope (ADR 0017)', () => {
  const y: BoardScope = { board: 'B', schools: ['99XY'] };
  const both: BoardScope = { board: 'B', schools: ['99XX', '99XY'] };

  it('per school, a record with a school is that school’s pupil: nothing looked up, nothing refused', async () => {
    const result = await placeRecords(view(false, []), y, [record('2002', '99XY')]);
    expect(codes(result.refused)).toEqual([]);
    assert.equal(result.placed[0].school?.brin, '99XY');
  });

  it('a record without a school takes the one pupil of the number inside the scope', async () => {
    const result = await placeRecords(view(false), y, [record('1001', null)]);
    assert.equal(result.placed[0].school?.brin, '99XY');
  });

  it('refuses alike a number of another school only and an unknown number', async () => {
    const result = await placeRecords(view(false), y, [record('2002', null), record('9999', null)]);
    expect(codes(result.refused)).toEqual(['PUPIL_OUT_OF_SCOPE', 'PUPIL_OUT_OF_SCOPE']);
    expect(result.refused[0].issue.message).toEqual(result.refused[1].issue.message);
    expect(result.refused.map((r) => r.issue.field)).toEqual([
      'records[0].pupil.localId',
      'records[1].pupil.localId',
    ]);
  });

  it('asks for the school when two schools of the scope use the number', async () => {
    const result = await placeRecords(view(false), both, [record('1001', null)]);
    expect(codes(result.refused)).toEqual(['PUPIL_AMBIGUOUS']);
  });

  it('in a shared administration refuses a pupil registered outside the scope, whatever school the record names', async () => {
    const shared: RegisteredPupilAt[] = [{ localId: '2002', school: '99XX', administration: '*' }];
    const result = await placeRecords(view(true, shared), y, [
      record('2002', '99XY'),
      record('3003', '99XY'),
    ]);
    expect(codes(result.refused)).toEqual(['PUPIL_OUT_OF_SCOPE']);
    expect(result.placed.map((r) => r.pupil.localId)).toEqual(['3003']);
  });
});
