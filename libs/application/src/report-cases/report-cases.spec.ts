import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import {
  type Actor,
  type CasePupil,
  FixedClock,
  type PupilFinder,
  type ReportCaseStore,
  type Report,
  type WorklistStamp,
} from '#domain';
import { WorklistUseCase } from './worklist.usecase.js';

const staff: Actor = { role: 'school_staff', subject: 's', board: 'B1', schools: ['99XX', '98YY'] };

function draft(id: string, localId: string, deadline: string | null, extra: Partial<Report> = {}): Report {
  return {
    id,
    kind: '16U_MINDERJARIG',
    status: 'DRAFT',
    fields: { 'absence.beginDate': '2026-11-02', 'absence.endDate': '2026-11-13' },
    action: 'REPORT',
    supersedes: null,
    board: 'B1',
    school: '99XX',
    pupil: { localId },
    signalId: `sig-${id}`,
    rule: 'LPW_16H_4W',
    mandatory: true,
    deadline,
    overdue: false,
    decidedBy: null,
    decidedAt: null,
    dismissReason: null,
    createdAt: '2026-11-14T08:00:00.000Z',
    updatedAt: '2026-11-14T08:00:00.000Z',
    ...extra,
  };
}

function store(reports: Report[]): Pick<ReportCaseStore, 'reportsOfPupilsWith' | 'endings'> & {
  asked: { schools: readonly string[] | null; today: string }[];
} {
  const asked: { schools: readonly string[] | null; today: string }[] = [];
  return {
    asked,
    reportsOfPupilsWith: (_board, schools, _status, today) => {
      asked.push({ schools, today });
      return Promise.resolve(reports.filter((r) => schools === null || schools.includes(r.school)));
    },
    endings: () => Promise.resolve(new Map()),
  };
}

describe('the werkvoorraad use case', () => {
  it('measures due states against the Amsterdam day of the injected clock (just after midnight there)', async () => {
    // 23:30 UTC on 4 December is 00:30 on 5 December in Amsterdam.
    const clock = new FixedClock(new Date('2026-12-04T23:30:00Z'));
    const fake = store([
      draft('a', '1', '2026-12-04'),
      draft('b', '2', '2026-12-05'),
      draft('c', '3', '2026-12-08'),
      draft('d', '4', null),
    ]);
    const list = await new WorklistUseCase(fake, clock).execute(staff, {});
    assert.equal(fake.asked[0]?.today, '2026-12-05');
    expect(list.items.map((r) => [r.pupil.localId, r.dueState])).toEqual([
      ['1', { state: 'overdue', days: 1 }],
      ['2', { state: 'today' }],
      ['3', { state: 'daysLeft', days: 3 }],
      ['4', null],
    ]);
  });

  it('filters on what a pupil finder returns for group and mentor, and on names through it', async () => {
    const finder: PupilFinder & { queries: unknown[] } = {
      queries: [],
      find(_board, _schools, query) {
        this.queries.push(query);
        const found: CasePupil[] =
          query.q === 'jansen' ? [{ school: '99XX', localId: '2' }] : [{ school: '99XX', localId: '1' }];
        return Promise.resolve(found);
      },
    };
    const clock = new FixedClock(new Date('2026-12-05T10:00:00Z'));
    const fake = store([draft('a', '1', '2026-12-04'), draft('b', '2', '2026-12-05')]);
    const useCase = new WorklistUseCase(fake, clock, finder);
    expect((await useCase.execute(staff, { group: '2B' })).items.map((r) => r.id)).toEqual(['a']);
    expect((await useCase.execute(staff, { q: 'Jansen' })).items.map((r) => r.id)).toEqual(['b']);
    expect(finder.queries).toEqual([{ group: '2B' }, { q: 'jansen' }]);
    // Without a finder, a group matches nobody: no pupil is known to be in it.
    assert.equal((await new WorklistUseCase(fake, clock).execute(staff, { mentor: 'X' })).total, 0);
  });

  it("names the page's pupils for the school's staff only, asking the roster for that page alone", async () => {
    const asked: CasePupil[][] = [];
    const finder: PupilFinder = {
      find: () => Promise.resolve([]),
      rosterOf(_board, pupils) {
        asked.push([...pupils]);
        return Promise.resolve(
          pupils
            .filter((p) => p.localId === '1')
            .map((p) => ({ ...p, displayName: 'Daan Proefsma', group: '2B' })),
        );
      },
    };
    const clock = new FixedClock(new Date('2026-12-05T10:00:00Z'));
    const fake = store([draft('a', '1', '2026-12-04'), draft('b', '2', '2026-12-05'), draft('c', '3', null)]);
    const page = await new WorklistUseCase(fake, clock, finder).execute(staff, { pageSize: 2 });
    expect(page.items.map((r) => r.pupil)).toEqual([
      { localId: '1', displayName: 'Daan Proefsma', group: '2B' },
      { localId: '2' },
    ]);
    expect(asked).toEqual([
      [
        { school: '99XX', localId: '1' },
        { school: '99XX', localId: '2' },
      ],
    ]);
    // An auditor of the board reads the same werkvoorraad without names.
    const auditor: Actor = { role: 'auditor', subject: 'a', board: 'B1' };
    const audited = await new WorklistUseCase(fake, clock, finder).execute(auditor, { pageSize: 2 });
    expect(audited.items.map((r) => r.pupil)).toEqual([{ localId: '1' }, { localId: '2' }]);
    assert.equal(asked.length, 1);
  });

  it('keeps to the scope: a school outside it is a coded 404, one school narrows the read', async () => {
    const clock = new FixedClock(new Date('2026-12-05T10:00:00Z'));
    const fake = store([draft('a', '1', '2026-12-04'), draft('b', '2', '2026-12-05', { school: '98YY' })]);
    const useCase = new WorklistUseCase(fake, clock);
    await assert.rejects(useCase.execute(staff, { school: '97ZZ' }), { code: 'SCHOOL_NOT_FOUND' });
    expect((await useCase.execute(staff, { school: '98YY' })).items.map((r) => r.id)).toEqual(['b']);
    expect(fake.asked.at(-1)?.schools).toEqual(['98YY']);
    await assert.rejects(useCase.execute(staff, { pageSize: 101 }), { code: 'FILTER_INVALID' });
    await assert.rejects(
      useCase.execute({ role: 'leerplicht_officer', subject: 'l', municipalities: ['0363'] }, {}),
      { code: 'ROLE_NOT_ALLOWED' },
    );
  });
});

describe('the werkvoorraad keeps its grouping while the stamp holds', () => {
  it('groups once per stamp: paging and filtering reuse it, a changed stamp (any report or end date) regroups', async () => {
    const clock = new FixedClock(new Date('2026-12-05T10:00:00Z'));
    const reports = [draft('a', '1', '2026-12-04'), draft('b', '2', '2026-12-08')];
    const fake = store(reports);
    const stampOf = (hash: string): WorklistStamp => ({
      reports: { count: reports.length, hash },
      cases: { count: 0, hash: '0' },
      reportsChangedAt: null,
      casesChangedAt: null,
    });
    let stamp = stampOf('1');
    const stamped = { ...fake, worklistStamp: () => Promise.resolve(stamp) };
    const useCase = new WorklistUseCase(stamped, clock);
    assert.equal((await useCase.execute(staff, {})).total, 2);
    assert.equal((await useCase.execute(staff, { pageSize: 1, page: 2 })).items[0]?.pupil.localId, '2');
    assert.equal((await useCase.execute(staff, { q: '1' })).total, 1);
    assert.equal(fake.asked.length, 1, 'one grouping for three requests');
    // A report changed (here: a new one): the stamp differs, the next request groups again and sees it.
    reports.push(draft('c', '3', '2026-12-10'));
    stamp = stampOf('2');
    assert.equal((await useCase.execute(staff, {})).total, 3);
    assert.equal(fake.asked.length, 2);
    // Another scope (one school) is grouped on its own.
    await useCase.execute(staff, { school: '99XX' });
    assert.equal(fake.asked.length, 3);
  });

  it('without a stamp, groups on every request (nothing kept)', async () => {
    const fake = store([draft('a', '1', '2026-12-04')]);
    const useCase = new WorklistUseCase(fake, new FixedClock(new Date('2026-12-05T10:00:00Z')));
    await useCase.execute(staff, {});
    await useCase.execute(staff, {});
    assert.equal(fake.asked.length, 2);
  });
});
