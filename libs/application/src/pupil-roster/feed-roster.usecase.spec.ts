import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { type Actor, type RosterEntry, type RosterReader, FixedClock } from '#domain';
import { FeedRosterUseCase, ROSTER_MAX_PUPILS } from './feed-roster.usecase.js';

const staff: Actor = { role: 'school_staff', subject: 's', board: 'B', schools: ['99XX'] };
const entry: RosterEntry = { name: { achternaam: 'Proefsma' }, group: '1A', mentor: null };
const readerOf = (count: number, extra: Partial<RosterEntry> = {}): RosterReader => ({
  system: 'test',
  format: 'json',
  read: () => ({
    pupils: Array.from({ length: count }, (_, i) => ({ localId: `p${i}`, entry: { ...entry, ...extra } })),
    problems: [],
  }),
});

describe('feeding a roster', () => {
  it(`refuses more than ${ROSTER_MAX_PUPILS} pupils, storing nothing`, async () => {
    let stored = 0;
    const feed = new FeedRosterUseCase(
      { put: () => Promise.resolve(++stored > 0) },
      new FixedClock(new Date('2026-01-01T00:00:00Z')),
    );
    await assert.rejects(feed.execute(staff, '99XX', readerOf(ROSTER_MAX_PUPILS + 1), ''), {
      code: 'ROSTER_TOO_LARGE',
    });
    assert.equal(stored, 0);
  });

  it('answers an entry a reader could not keep to one line as a problem naming the field, not the value', async () => {
    const feed = new FeedRosterUseCase(
      { put: () => Promise.resolve(true) },
      new FixedClock(new Date('2026-01-01T00:00:00Z')),
    );
    const result = await feed.execute(staff, '99XX', readerOf(1, { mentor: 'Geheime\u0000Naam' }), '');
    assert.equal(result.stored, 0);
    expect(result.problems).toEqual([
      { sourceId: 'p0', reason: 'WRONG_TYPE', detail: 'mentor: one line of at most 100 characters' },
    ]);
  });

  it('lists the numbers that are not registered at the school', async () => {
    const feed = new FeedRosterUseCase(
      { put: (_b, _s, localId) => Promise.resolve(localId !== 'p1') },
      new FixedClock(new Date('2026-01-01T00:00:00Z')),
    );
    const result = await feed.execute(staff, '99XX', readerOf(3), '');
    expect([result.stored, result.notRegistered]).toEqual([2, ['p1']]);
  });
});
