import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  AUDIT_KINDS,
  type Actor,
  type AuditSearch,
  type FoundAuditEntry,
  type Pupil,
  REPORT_FIELD_PATHS,
} from '#domain';
import { BrowseAuditLogUseCase, amsterdamMidnight, explainAuditEntry } from './browse-audit-log.usecase.js';

const WALL = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
/** "2026-10-25 00:00" in Amsterdam wall time. */
const wall = (d: Date): string => {
  const p = Object.fromEntries(WALL.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}`;
};

const days = fc
  .date({ min: new Date('2000-01-01T12:00:00Z'), max: new Date('2099-12-31T12:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('amsterdamMidnight', () => {
  it('is the first instant of the school-local day, summer and winter (property)', () => {
    fc.assert(
      fc.property(days, (day) => {
        const start = amsterdamMidnight(day);
        return wall(start) === `${day} 00:00` && wall(new Date(start.getTime() - 1)).slice(0, 10) < day;
      }),
    );
    assert.equal(amsterdamMidnight('2026-07-01').toISOString(), '2026-06-30T22:00:00.000Z');
    assert.equal(amsterdamMidnight('2026-12-05').toISOString(), '2026-12-04T23:00:00.000Z');
  });
});

const item = fc.record({
  seq: fc.nat(),
  chainSeq: fc.option(fc.nat(), { nil: null }),
  at: fc.constant('2026-12-05T13:05:00.000Z'),
  kind: fc.constantFrom(...AUDIT_KINDS),
  pupil: fc.constant(null),
  aboutPupil: fc.boolean(),
  recipient: fc.constant({ kind: 'LEERPLICHT', id: '0344' }),
  purpose: fc.constantFrom('STATUTORY_REPORT', 'LEERPLICHT_ENFORCEMENT', null),
  reportKind: fc.constantFrom('16U_MINDERJARIG', 'LRV', null),
  decision: fc.constantFrom('permit' as const, 'deny' as const, null),
  released: fc.subarray([...REPORT_FIELD_PATHS]),
  withheld: fc.array(
    fc.record({
      field: fc.constantFrom(...REPORT_FIELD_PATHS),
      rule: fc.constantFrom('default-deny', 'unknown-field', 'policy-not-effective', 'bsn-alleen-naar-duo'),
    }),
    { maxLength: 5 },
  ),
  determinedBy: fc.constant([]),
  policy: fc.option(fc.constant({ id: 'beleid', version: '2026.1' }), { nil: null }),
  legalBasis: fc.constantFrom('Leerplichtwet 1969 art. 21a', null),
  retainedUntil: fc.constant(null),
  reference: fc.constant(null),
  by: fc.constantFrom('fg-1', null),
  status: fc.constant(null),
  category: fc.constant(null),
  count: fc.option(fc.nat(), { nil: null }),
});

describe('explainAuditEntry', () => {
  it('writes Dutch without field paths, purposes, report kinds or entry kinds (property)', () => {
    fc.assert(
      fc.property(item, (i) => {
        const text = explainAuditEntry(i);
        return (
          text.length > 0 &&
          !/\b(pupil|absence|parent|school|report|health|registration)\.[a-z]/i.test(text) &&
          !/STATUTORY|LEERPLICHT_|16U_|LRV|default-deny|unknown-field|policy-not-effective/.test(text) &&
          !AUDIT_KINDS.some((k) => text.includes(k)) &&
          // Whatever a policy decided names the policy's version.
          (i.policy === null ||
            !/^(DECISION|DISCLOSURE|DELETION_RECEIPT|POLICY_)/.test(i.kind) ||
            text.includes(`beleid ${i.policy.id}, versie ${i.policy.version}`))
        );
      }),
    );
  });
});

describe('BrowseAuditLogUseCase', () => {
  const officer: Actor = { role: 'privacy_officer', subject: 'fg', board: 'B' };
  const registered = (school: string, administration: string): Pupil =>
    ({ localId: 'p-1', school, administration }) as unknown as Pupil;
  function setUp(pupils: Pupil[] = []) {
    const asked: AuditSearch[] = [];
    const found: FoundAuditEntry[] = [];
    const useCase = new BrowseAuditLogUseCase(
      {
        search: (q) => {
          asked.push(q);
          return Promise.resolve(found.slice(0, q.limit));
        },
      },
      {
        findAll: (scope) => Promise.resolve(scope.board === 'B' ? pupils : []),
        pseudonymOf: (_b, administration) => Promise.resolve(`stored-${administration}`),
      },
      (board, localId, school) => `hmac-${board}-${localId}-${school ?? '*'}`,
    );
    return { useCase, asked, found };
  }

  it("searches the caller's board only, with every pseudonym the pupil has had", async () => {
    const { useCase, asked } = setUp([registered('99XX', '99XX'), registered('98YY', '98YY')]);
    await useCase.execute(officer, { pupil: 'p-1', school: '99XX' });
    assert.equal(asked[0].board, 'B');
    expect(asked[0].pupils).toEqual(['stored-99XX', 'hmac-B-p-1-99XX']);
    await useCase.execute(officer, { pupil: 'p-1' });
    expect(asked[1].pupils).toEqual(['stored-99XX', 'stored-98YY', 'hmac-B-p-1-*']);
  });

  it('turns the period into Amsterdam midnights, the last day inclusive, and pages with one extra row', async () => {
    const { useCase, asked } = setUp();
    const page = await useCase.execute(officer, {
      from: '2026-10-25',
      to: '2026-10-25',
      page: 3,
      pageSize: 10,
    });
    assert.equal(asked[0].from!.toISOString(), '2026-10-24T22:00:00.000Z');
    assert.equal(
      asked[0].to!.toISOString(),
      '2026-10-25T23:00:00.000Z',
      'the day the clocks go back has 25 hours',
    );
    assert.equal(asked[0].offset, 20);
    assert.equal(asked[0].limit, 11);
    assert.equal(page.hasMore, false);
  });

  it('refuses other roles and bad filters with codes, naming every bad field', async () => {
    const { useCase } = setUp();
    await assert.rejects(
      useCase.execute({ role: 'school_staff', subject: 's', board: 'B', schools: ['99XX'] }, {}),
      { code: 'ROLE_NOT_ALLOWED' },
    );
    await assert.rejects(
      useCase.execute(officer, {
        from: '2026-11-05',
        to: '2026-11-01',
        school: '99XX',
        kind: 'X',
        pageSize: 101,
        purpose: 'a b',
      }),
      (error: { code: string; issues: { field: string }[] }) => {
        assert.equal(error.code, 'AUDIT_QUERY_INVALID');
        expect(error.issues.map((i) => i.field).sort()).toEqual([
          'kind',
          'pageSize',
          'purpose',
          'school',
          'to',
        ]);
        return true;
      },
    );
  });
});
