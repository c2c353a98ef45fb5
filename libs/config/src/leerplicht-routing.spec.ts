import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { resolveLeerplichtRoute } from '#application';
import { ValidationError } from '#domain';
import { type RoutingIssue, loadLeerplichtRouting, parseLeerplichtRouting } from './leerplicht-routing.js';

const ROUTING_FILE = new URL('../../../../config/leerplicht/routing.yaml', import.meta.url);
const SCHEMA = JSON.parse(
  readFileSync(new URL('../../../../config/leerplicht/routing.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const schemaValid = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(SCHEMA);

function issuesOf(text: string): RoutingIssue[] {
  try {
    parseLeerplichtRouting(text);
  } catch (error) {
    assert.ok(error instanceof ValidationError);
    assert.equal(error.code, 'LEERPLICHT_ROUTING_INVALID');
    return error.issues as RoutingIssue[];
  }
  assert.fail('expected a LEERPLICHT_ROUTING_INVALID');
}

describe('parseLeerplichtRouting', () => {
  it('reads the shipped table, which also passes the published schema', () => {
    const table = loadLeerplichtRouting(ROUTING_FILE.pathname);
    assert.equal(table.doorstroompunt.minAge, 18);
    assert.equal(table.doorstroompunt.maxAge, 23);
    assert.ok(table.municipalities.some((m) => m.code === '0344'));
    assert.ok(table.bodies.some((b) => b.kind === 'DOORSTROOMPUNT'));
    assert.ok(table.arrangements.length > 0);
    assert.ok(schemaValid(parseYaml(readFileSync(ROUTING_FILE, 'utf8'))), JSON.stringify(schemaValid.errors));
  });

  it('reads JSON as well and defaults the Doorstroompunt ages', () => {
    const table = parseLeerplichtRouting(
      JSON.stringify({ version: '1', municipalities: [{ code: '0344', name: 'Utrecht' }] }),
    );
    expect(table).toEqual({
      version: '1',
      doorstroompunt: { minAge: 18, maxAge: 23 },
      municipalities: [{ code: '0344', name: 'Utrecht' }],
      bodies: [],
      arrangements: [],
    });
  });

  it('reports every problem at once with field, code and line', () => {
    const text = [
      "version: '1'", // 1
      'extra: true', // 2
      'bodies:', // 3
      '  - id: RMC-X', // 4
      '    name: RMC X', // 5
      '    kind: LEERPLICHT', // 6
      'municipalities:', // 7
      '  - code: 344', // 8
      '    name: Utrecht', // 9
      '    rmcRegion: RMC-X', // 10
      '  - code: "0310"', // 11
      '    name: De Bilt', // 12
      '    rmcRegion: NOPE', // 13
      '    validFrom: "2026-02-30"', // 14
      '    endpoint: { channel: webhook }', // 15
      '  - code: "0310"', // 16
      '    name: De Bilt again', // 17
      '    endpoint: { channel: inbox, webhookUrl: "ftp://x", publicJwk: { kty: EC, crv: P-256, x: a, y: b, d: c } }', // 18
      'arrangements:', // 19
      '  - id: GR', // 20
      '    kind: GR', // 21
      '    body: RMC-X', // 22
      '    municipalities: ["9999"]', // 23
    ].join('\n');
    const found = issuesOf(text).map((i) => `${i.line}:${i.field}:${i.code}`);
    expect(found.sort()).toEqual(
      [
        '10:municipalities[0].rmcRegion:NOT_A_DOORSTROOMPUNT',
        '13:municipalities[1].rmcRegion:UNKNOWN_BODY',
        '14:municipalities[1].validFrom:INVALID_DATE',
        '15:municipalities[1].endpoint.webhookUrl:REQUIRED',
        '16:municipalities[2].code:OVERLAPPING_PERIOD',
        '18:municipalities[2].endpoint.publicJwk:PRIVATE_KEY_IN_CONFIG',
        '18:municipalities[2].endpoint.webhookUrl:INVALID_URL',
        '18:municipalities[2].endpoint.webhookUrl:NOT_ALLOWED',
        '21:arrangements[0].kind:NOT_ALLOWED',
        '23:arrangements[0].municipalities[0]:UNKNOWN_MUNICIPALITY',
        '2:extra:UNKNOWN_KEY',
        '8:municipalities[0].code:NOT_A_STRING',
      ].sort(),
    );
  });

  it('checks mergers, arrangement bodies, overlapping arrangements and age order', () => {
    const text = `
version: '1'
doorstroompunt: { minAge: 23, maxAge: 18 }
bodies:
  - { id: RMC-X, name: RMC X, kind: DOORSTROOMPUNT }
  - { id: RBL, name: Bureau, kind: LEERPLICHT }
arrangements:
  - { id: A, kind: GEMEENSCHAPPELIJKE_REGELING, body: RMC-X, municipalities: ['0344'] }
  - { id: B, kind: ALTERNATIEVE_ROUTERING, body: RBL, municipalities: ['0344'] }
  - { id: C, kind: ALTERNATIEVE_ROUTERING, body: RBL, municipalities: ['0344'], validFrom: '2030-01-01' }
municipalities:
  - { code: '0344', name: Utrecht, mergedInto: '0344' }
  - { code: '0620', name: Vianen, validTo: '2018-12-31', mergedInto: '1961' }
`;
    const found = issuesOf(text).map((i) => `${i.field}:${i.code}`);
    expect(found.sort()).toEqual(
      [
        'arrangements[0].body:NOT_A_LEERPLICHT_BODY',
        'arrangements[1].municipalities:OVERLAPPING_ARRANGEMENT',
        'arrangements[2].municipalities:OVERLAPPING_ARRANGEMENT',
        'arrangements[2].municipalities:OVERLAPPING_ARRANGEMENT',
        'doorstroompunt.maxAge:AGE_ORDER',
        'municipalities[0].mergedInto:MERGE_LOOP',
        'municipalities[0].mergedInto:MERGE_WITHOUT_END',
        'municipalities[1].mergedInto:UNKNOWN_MUNICIPALITY',
      ].sort(),
    );
  });

  it('refuses YAML syntax errors, a non-mapping, a missing list and an unreadable file', () => {
    assert.equal(issuesOf('version: [1\n')[0].code, 'YAML_SYNTAX');
    expect(issuesOf('- 1').map((i) => i.code)).toEqual(['NOT_AN_OBJECT']);
    expect(issuesOf("version: '1'").map((i) => `${i.field}:${i.code}`)).toEqual(['municipalities:REQUIRED']);
    assert.throws(
      () => loadLeerplichtRouting('/nonexistent/routing.yaml'),
      (error: unknown) => error instanceof ValidationError && error.code === 'LEERPLICHT_ROUTING_INVALID',
    );
  });

  it('the published schema refuses what the parser refuses structurally', () => {
    const bad = {
      version: '1',
      municipalities: [{ code: '344', name: 'x', endpoint: { channel: 'webhook' } }],
    };
    assert.equal(schemaValid(bad), false);
    assert.throws(() => parseLeerplichtRouting(JSON.stringify(bad)), ValidationError);
  });

  it('the shipped example table routes the region as documented', () => {
    const table = loadLeerplichtRouting(ROUTING_FILE.pathname);
    const minor = { birthDate: '2012-05-10', reportKind: '16U_MINDERJARIG' as const, date: '2026-03-02' };
    const to = (request: Parameters<typeof resolveLeerplichtRoute>[1]): string => {
      const r = resolveLeerplichtRoute(table, request);
      assert.ok(r.ok, JSON.stringify(r));
      return `${r.value.recipient.kind}:${r.value.recipient.id}:${r.value.channel}`;
    };
    assert.equal(to({ ...minor, woongemeente: '0344' }), 'LEERPLICHT:0344:inbox');
    assert.equal(to({ ...minor, woongemeente: '0310' }), 'LEERPLICHT:0310:webhook');
    assert.equal(to({ ...minor, woongemeente: '0355' }), 'LEERPLICHT:0355:none');
    assert.equal(to({ ...minor, woongemeente: '0356' }), 'LEERPLICHT:RBL-LEKSTROOM-EXAMPLE:inbox');
    assert.equal(to({ ...minor, woongemeente: '0620' }), 'LEERPLICHT:RBL-LEKSTROOM-EXAMPLE:inbox');
    assert.equal(
      to({ ...minor, woongemeente: '0355', birthDate: '2007-01-01' }),
      'DOORSTROOMPUNT:RMC-UTRECHT-EXAMPLE:inbox',
    );
  });
});
