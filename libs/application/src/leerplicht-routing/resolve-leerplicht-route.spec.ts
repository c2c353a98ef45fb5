import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { REPORT_KINDS } from '#domain';
import type { LeerplichtRoutingTable } from './leerplicht-routing.types.js';
import {
  ageInYearsOn,
  directRecipients,
  endpointOfRecipient,
  resolveLeerplichtRoute,
} from './resolve-leerplicht-route.js';

const JWK = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' };
const TABLE: LeerplichtRoutingTable = {
  version: 'spec',
  doorstroompunt: { minAge: 18, maxAge: 23 },
  bodies: [
    {
      id: 'RMC-U',
      name: 'RMC Utrecht',
      kind: 'DOORSTROOMPUNT',
      endpoint: { channel: 'inbox', publicJwk: JWK },
    },
    {
      id: 'RBL',
      name: 'Regionaal Bureau',
      kind: 'LEERPLICHT',
      endpoint: { channel: 'webhook', webhookUrl: 'https://rbl.example/hook', publicJwk: JWK },
    },
    { id: 'RMC-OLD', name: 'Oud RMC', kind: 'DOORSTROOMPUNT', validTo: '2025-12-31' },
  ],
  arrangements: [
    { id: 'GR', kind: 'GEMEENSCHAPPELIJKE_REGELING', body: 'RBL', municipalities: ['0356', '1961'] },
    {
      id: 'ALT',
      kind: 'ALTERNATIEVE_ROUTERING',
      body: 'RBL',
      municipalities: ['0310'],
      validFrom: '2026-08-01',
    },
  ],
  municipalities: [
    { code: '0344', name: 'Utrecht', rmcRegion: 'RMC-U', endpoint: { channel: 'inbox', publicJwk: JWK } },
    { code: '0310', name: 'De Bilt', rmcRegion: 'RMC-U' },
    { code: '0356', name: 'Nieuwegein', rmcRegion: 'RMC-U' },
    { code: '0620', name: 'Vianen', rmcRegion: 'RMC-U', validTo: '2018-12-31', mergedInto: '1961' },
    { code: '1961', name: 'Vijfheerenlanden', rmcRegion: 'RMC-U', validFrom: '2019-01-01' },
    { code: '0999', name: 'Zonder RMC' },
    { code: '0998', name: 'Oud RMC', rmcRegion: 'RMC-OLD' },
  ],
};

const base = { birthDate: '2012-05-10', reportKind: '16U_MINDERJARIG' as const, date: '2026-03-02' };

describe('resolveLeerplichtRoute', () => {
  it('a minor goes to the woongemeente with its channel, explained in Dutch', () => {
    const r = resolveLeerplichtRoute(TABLE, { ...base, woongemeente: '0344' });
    assert.ok(r.ok);
    expect(r.value.recipient).toEqual({ kind: 'LEERPLICHT', id: '0344', name: 'Utrecht' });
    assert.equal(r.value.channel, 'inbox');
    expect(r.value.publicJwk).toEqual(JWK);
    assert.match(r.value.explanation.join(' '), /Utrecht \(0344\) behandelt de melding zelf/);
  });

  it('a joint arrangement sends the report to the regional body', () => {
    const r = resolveLeerplichtRoute(TABLE, { ...base, woongemeente: '0356' });
    assert.ok(r.ok);
    expect(r.value.recipient).toEqual({ kind: 'LEERPLICHT', id: 'RBL', name: 'Regionaal Bureau' });
    assert.equal(r.value.channel, 'webhook');
    assert.equal(r.value.webhookUrl, 'https://rbl.example/hook');
    assert.match(r.value.explanation.join(' '), /Gemeenschappelijke regeling GR/);
  });

  it('an effective-dated alternative routing applies from its first day only', () => {
    const before = resolveLeerplichtRoute(TABLE, { ...base, woongemeente: '0310', date: '2026-07-31' });
    const from = resolveLeerplichtRoute(TABLE, { ...base, woongemeente: '0310', date: '2026-08-01' });
    assert.ok(before.ok && from.ok);
    assert.equal(before.value.recipient.id, '0310');
    assert.equal(before.value.channel, 'none');
    assert.match(before.value.explanation.join(' '), /DUO stuurt de melding door/);
    assert.equal(from.value.recipient.id, 'RBL');
    assert.match(from.value.explanation.join(' '), /Alternatieve routering ALT/);
  });

  it('a herindeling: the old code routes as the new municipality after the merger, as itself before', () => {
    const after = resolveLeerplichtRoute(TABLE, { ...base, woongemeente: '0620' });
    assert.ok(after.ok);
    assert.equal(after.value.recipient.id, 'RBL');
    assert.match(after.value.explanation[0], /Vianen \(0620\) bestaat sinds 2019-01-01 niet meer/);
    const before = resolveLeerplichtRoute(TABLE, {
      ...base,
      woongemeente: '0620',
      date: '2018-12-31',
      birthDate: '2005-01-01',
    });
    assert.ok(before.ok);
    assert.equal(before.value.recipient.id, '0620');
    const tooEarly = resolveLeerplichtRoute(TABLE, {
      ...base,
      woongemeente: '1961',
      date: '2018-12-31',
      birthDate: '2005-01-01',
    });
    assert.ok(!tooEarly.ok && tooEarly.issues[0].code === 'ROUTE_UNKNOWN_MUNICIPALITY');
  });

  it('18–23 without startkwalificatie, and any DOORSTROOMPUNT report, go to the RMC region', () => {
    const adult = resolveLeerplichtRoute(TABLE, { ...base, woongemeente: '0356', birthDate: '2007-01-01' });
    assert.ok(adult.ok);
    expect(adult.value.recipient).toEqual({ kind: 'DOORSTROOMPUNT', id: 'RMC-U', name: 'RMC Utrecht' });
    assert.match(adult.value.explanation[0], /19 jaar.*geen bekende startkwalificatie/);
    const withStart = resolveLeerplichtRoute(TABLE, {
      ...base,
      woongemeente: '0356',
      birthDate: '2007-01-01',
      startkwalificatie: true,
    });
    assert.ok(withStart.ok);
    assert.equal(withStart.value.recipient.id, 'RBL');
    const kind = resolveLeerplichtRoute(TABLE, {
      ...base,
      woongemeente: '0344',
      reportKind: 'DOORSTROOMPUNT',
    });
    assert.ok(kind.ok);
    assert.equal(kind.value.recipient.kind, 'DOORSTROOMPUNT');
  });

  it('coded errors: missing or unknown municipality, no RMC region, bad dates', () => {
    const code = (request: Parameters<typeof resolveLeerplichtRoute>[1]): string => {
      const r = resolveLeerplichtRoute(TABLE, request);
      assert.ok(!r.ok);
      return r.issues.map((i) => `${i.field}:${i.code}`).join();
    };
    assert.equal(code({ ...base }), 'woongemeente:ROUTE_UNKNOWN_MUNICIPALITY');
    assert.equal(code({ ...base, woongemeente: '344' }), 'woongemeente:ROUTE_UNKNOWN_MUNICIPALITY');
    assert.equal(code({ ...base, woongemeente: '0001' }), 'woongemeente:ROUTE_UNKNOWN_MUNICIPALITY');
    assert.equal(
      code({ ...base, woongemeente: '0999', reportKind: 'DOORSTROOMPUNT' }),
      'woongemeente:ROUTE_NO_DOORSTROOMPUNT',
    );
    assert.equal(
      code({ ...base, woongemeente: '0998', reportKind: 'DOORSTROOMPUNT' }),
      'woongemeente:ROUTE_NO_DOORSTROOMPUNT',
    );
    assert.equal(code({ ...base, woongemeente: '0344', date: '2026-02-30' }), 'date:ROUTE_INVALID_REQUEST');
    assert.equal(
      code({ ...base, woongemeente: '0344', birthDate: '2030-01-01' }),
      'birthDate:ROUTE_INVALID_REQUEST',
    );
    assert.equal(
      code({ ...base, woongemeente: '0344', birthDate: 'gisteren' }),
      'birthDate:ROUTE_INVALID_REQUEST',
    );
  });

  it('a body named by an arrangement that is not a leerplicht body on the date is ROUTE_UNKNOWN_BODY', () => {
    const table = {
      ...TABLE,
      arrangements: [
        { id: 'X', kind: 'GEMEENSCHAPPELIJKE_REGELING' as const, body: 'RMC-U', municipalities: ['0344'] },
      ],
    };
    const r = resolveLeerplichtRoute(table, { ...base, woongemeente: '0344' });
    assert.ok(!r.ok && r.issues[0].code === 'ROUTE_UNKNOWN_BODY');
  });

  it('ages: whole years, a 29 February birthday counts from 1 March', () => {
    assert.equal(ageInYearsOn('2008-03-02', '2026-03-01'), 17);
    assert.equal(ageInYearsOn('2008-03-02', '2026-03-02'), 18);
    assert.equal(ageInYearsOn('2008-02-29', '2026-02-28'), 17);
    assert.equal(ageInYearsOn('2008-02-29', '2026-03-01'), 18);
    assert.equal(ageInYearsOn('2008-02-30', '2026-03-01'), null);
  });
});

describe('endpoints of recipients', () => {
  it('finds the endpoint of a municipality or a body by its id, on the date; none for one without', () => {
    expect(endpointOfRecipient(TABLE, '0344', '2026-03-02')).toEqual({ channel: 'inbox', publicJwk: JWK });
    assert.equal(endpointOfRecipient(TABLE, 'RBL', '2026-03-02')?.webhookUrl, 'https://rbl.example/hook');
    assert.equal(endpointOfRecipient(TABLE, '0310', '2026-03-02'), null);
    assert.equal(endpointOfRecipient(TABLE, 'NOPE', '2026-03-02'), null);
  });

  it('every route resolved to a direct channel names a recipient with an endpoint', () => {
    expect(directRecipients(TABLE, '2026-03-02').sort()).toEqual(['0344', 'RBL', 'RMC-U']);
    for (const woongemeente of ['0344', '0356', '0310', '1961']) {
      for (const birthDate of ['2012-05-10', '2006-01-01']) {
        const route = resolveLeerplichtRoute(TABLE, { ...base, woongemeente, birthDate });
        if (!route.ok || route.value.channel === 'none') continue;
        expect(endpointOfRecipient(TABLE, route.value.recipient.id, base.date)?.channel).toEqual(
          route.value.channel,
        ); // `${woongemeente} ${birthDate}`
      }
    }
  });
});

const isoDate = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const addYears = (date: string, years: number): string =>
  `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
const dayBefore = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const notLeapDay = isoDate.filter((d) => !d.endsWith('-02-29'));

describe('resolveLeerplichtRoute properties', () => {
  it('every pupil routes to exactly one recipient or a coded error', () => {
    const codes = [...TABLE.municipalities.map((m) => m.code), '0001', '12', undefined];
    fc.assert(
      fc.property(
        fc.constantFrom(...codes),
        isoDate,
        isoDate,
        fc.option(fc.boolean(), { nil: undefined }),
        fc.constantFrom(...REPORT_KINDS),
        (woongemeente, birthDate, date, startkwalificatie, reportKind) => {
          const r = resolveLeerplichtRoute(TABLE, {
            ...(woongemeente !== undefined ? { woongemeente } : {}),
            ...(startkwalificatie !== undefined ? { startkwalificatie } : {}),
            birthDate,
            date,
            reportKind,
          });
          if (r.ok) {
            const { recipient, channel, explanation } = r.value;
            assert.ok(['LEERPLICHT', 'DOORSTROOMPUNT'].includes(recipient.kind));
            assert.ok(recipient.id.length > 0);
            assert.ok(['webhook', 'inbox', 'none'].includes(channel));
            assert.equal(channel === 'webhook', r.value.webhookUrl !== undefined);
            assert.ok(explanation.length >= 2);
            const known =
              recipient.kind === 'DOORSTROOMPUNT'
                ? TABLE.bodies.some((b) => b.id === recipient.id && b.kind === 'DOORSTROOMPUNT')
                : TABLE.municipalities.some((m) => m.code === recipient.id) || recipient.id === 'RBL';
            assert.ok(known);
          } else {
            assert.equal(r.issues.length, 1);
            assert.match(r.issues[0].code, /^ROUTE_[A-Z_]+$/);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the Doorstroompunt range includes the 18th birthday and the whole 23rd year, and not the day before 18', () => {
    fc.assert(
      fc.property(
        notLeapDay.filter((d) => d < '2015-01-01'),
        (birthDate) => {
          const route = (date: string): string => {
            const r = resolveLeerplichtRoute(TABLE, {
              woongemeente: '0344',
              birthDate,
              date,
              reportKind: 'OVERIG',
            });
            assert.ok(r.ok);
            return r.value.recipient.kind;
          };
          const eighteenth = addYears(birthDate, 18);
          const twentyThird = addYears(birthDate, 23);
          const twentyFourth = addYears(birthDate, 24);
          assert.equal(route(dayBefore(eighteenth)), 'LEERPLICHT');
          assert.equal(route(eighteenth), 'DOORSTROOMPUNT');
          assert.equal(route(twentyThird), 'DOORSTROOMPUNT');
          assert.equal(route(dayBefore(twentyFourth)), 'DOORSTROOMPUNT');
          assert.equal(route(twentyFourth), 'LEERPLICHT');
        },
      ),
      { numRuns: 200 },
    );
  });
});
