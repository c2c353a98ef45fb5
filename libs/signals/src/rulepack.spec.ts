import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { SIGNAL_RULES } from '#domain';
import { loadRulepack, parseRulepack, ruleConfig } from './rulepack.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (path: string): string => readFileSync(`${ROOT}${path}`, 'utf8');

describe('rulepacks', () => {
  it('the shipped national pack validates and sets every rule', () => {
    const result = parseRulepack(read('config/rulepacks/national.yaml'));
    assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
    for (const rule of SIGNAL_RULES) assert.ok(result.value.rules[rule], rule);
  });

  it('the regional pack overrides by key and names itself on the rules it touched', () => {
    const national = parseRulepack(read('config/rulepacks/national.yaml'));
    const regional = parseRulepack(read('config/rulepacks/regional/rmc-utrecht.yaml'));
    assert.ok(national.ok && regional.ok);
    const pack = loadRulepack(national.value, regional.value);
    const lpw = ruleConfig(pack, 'LPW_16H_4W');
    assert.equal(lpw?.adultReport, 'EXPECTED');
    assert.equal(lpw?.threshold, 16, 'kept from the national pack');
    expect(lpw?.source).toEqual({ id: 'rmc-utrecht', version: '2025.1' });
    expect(ruleConfig(pack, 'LPW_LRV')?.source).toEqual({ id: 'nl-national', version: '2025.1' });
    assert.equal(ruleConfig(pack, 'LATENESS_LADDER')?.steps.length, 5);
    assert.equal(ruleConfig(pack, 'MAZL')?.windowCalendarDays, 91);
    assert.equal(ruleConfig(national.value, 'LATENESS_LADDER'), null, 'disabled nationally');
  });

  it('reports every problem at once, with codes and field paths', () => {
    const result = parseRulepack(
      JSON.stringify({
        id: '',
        version: '1',
        effectiveFrom: '2025-02-30',
        kind: 'regional',
        extra: 1,
        rules: {
          LPW_16H_4W: { threshold: -1, unitBySector: { vo: 'MINUTE', xx: 'CLOCK_HOUR' } },
          NOPE: {},
          LATENESS_LADDER: {
            steps: [
              { count: 6, action: 'a' },
              { count: 3, action: '' },
            ],
          },
        },
      }),
    );
    assert.ok(!result.ok);
    const got = result.issues.map((i) => `${i.field}:${i.code}`).sort();
    expect(got).toEqual([
      'effectiveFrom:INVALID_DATE',
      'extra:UNKNOWN_FIELD',
      'id:REQUIRED',
      'rules.LATENESS_LADDER.steps[1].action:NOT_A_STRING',
      'rules.LATENESS_LADDER.steps[1].count:STEP_NOT_ASCENDING',
      'rules.LPW_16H_4W.threshold:NOT_A_NUMBER',
      'rules.LPW_16H_4W.unitBySector.vo:INVALID_UNIT',
      'rules.LPW_16H_4W.unitBySector.xx:UNKNOWN_SECTOR',
      'rules.NOPE:UNKNOWN_RULE',
    ]);
  });

  it('a national pack must set every rule and field; unparseable text is a coded problem', () => {
    const result = parseRulepack(
      'id: x\nversion: "1"\neffectiveFrom: 2025-08-01\nkind: national\nrules:\n  MAZL:\n    enabled: true\n',
    );
    assert.ok(!result.ok);
    assert.ok(result.issues.some((i) => i.field === 'rules.LPW_16H_4W' && i.code === 'REQUIRED'));
    assert.ok(result.issues.some((i) => i.field === 'rules.MAZL.sickReports' && i.code === 'REQUIRED'));
    const bad = parseRulepack('id: [unclosed', 'x.yaml');
    assert.ok(!bad.ok);
    assert.equal(bad.issues[0].code, 'UNPARSEABLE');
  });
});
