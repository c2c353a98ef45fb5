import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { effectiveVersionAt } from './lifecycle.js';
import { parsePolicy } from './parse-policy.js';
import { SMALL_POLICY } from './privacy.test-support.js';
import { retentionPeriod } from './retention.js';

const lineOf = (text: string, needle: string): number =>
  text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('parsePolicy', () => {
  it('accepts the spec policy, filling defaults (enabled, when, invariants)', () => {
    const parsed = parsePolicy(SMALL_POLICY);
    assert.ok(parsed.ok);
    assert.equal(parsed.value.rules.find((r) => r.id === 'no-free-text')?.enabled, true);
    expect(parsed.value.rules.find((r) => r.id === 'no-free-text')?.when).toEqual({});
  });

  it('reports every schema problem at once with its line and column', () => {
    const broken = SMALL_POLICY.replace("version: '1'", 'version: 1')
      .replace('ageBelow: 18', 'ageBelow: achttien')
      .replace('reason: Extra termijn', 'reason: Extra termijn\n    colour: blue')
      .replace('effect: forbid\n    reason: Vrije', 'effect: maybe\n    reason: Vrije');
    const parsed = parsePolicy(broken, 'broken.yaml');
    assert.ok(!parsed.ok);
    const found = parsed.issues.map((p) => ({ line: p.line, code: p.code, path: p.path }));
    expect(found.sort((a, b) => a.line - b.line)).toEqual([
      { line: lineOf(broken, 'version: 1'), code: 'SCHEMA_TYPE', path: 'version' },
      { line: lineOf(broken, 'achttien'), code: 'SCHEMA_TYPE', path: 'rules[1].when.ageBelow' },
      {
        line: lineOf(broken, 'colour: blue'),
        code: 'SCHEMA_ADDITIONAL_PROPERTIES',
        path: 'rules[2].colour',
      },
      { line: lineOf(broken, 'effect: maybe'), code: 'SCHEMA_ENUM', path: 'rules[4].effect' },
    ]);
    assert.ok(parsed.issues.every((p) => p.source === 'broken.yaml' && p.column > 0 && p.message.length > 0));
    const colour = parsed.issues.find((p) => p.code === 'SCHEMA_ADDITIONAL_PROPERTIES')!;
    assert.equal(colour.column, 5);
    assert.equal(colour.message, 'unknown property "colour"');
  });

  it('reports YAML syntax errors with their line', () => {
    const parsed = parsePolicy('id: x\nversion: [unclosed\nrules: []\n');
    assert.ok(!parsed.ok);
    assert.equal(parsed.issues[0].code, 'YAML_SYNTAX');
    assert.ok(parsed.issues[0].line >= 2);
  });

  it('finds references to unknown names, duplicate ids, reserved ids and empty ranges', () => {
    const broken = SMALL_POLICY.replace(
      'fields: [identification, absence]',
      'fields: [identificatie, absence, pupil.shoeSize]',
    )
      .replace('id: leerplicht-extra', 'id: duo')
      .replace('recipients: [JGZ], consent', 'recipients: [INSPECTIE], consent')
      .replace(
        'purposes: [STATUTORY_REPORT], ageBelow: 18',
        'purposes: [HANDHAVING], ageAtLeast: 20, ageBelow: 18',
      )
      .replace('id: later', 'id: default-deny')
      .replace("effectiveUntil: '2026-08-01'", "effectiveUntil: '2025-01-01'");
    const parsed = parsePolicy(broken);
    assert.ok(!parsed.ok);
    const codes = parsed.issues.map((p) => `${p.code}@${p.line}`).sort();
    const expected = [
      `UNKNOWN_DATA_CATEGORY@${lineOf(broken, 'identificatie')}`,
      `UNKNOWN_FIELD@${lineOf(broken, 'pupil.shoeSize')}`,
      `DUPLICATE_RULE_ID@${lineOf(broken, 'reason: Extra termijn') - 2}`,
      `UNKNOWN_RECIPIENT@${lineOf(broken, 'recipients: [INSPECTIE]')}`,
      `UNKNOWN_PURPOSE@${lineOf(broken, 'HANDHAVING')}`,
      `EMPTY_RANGE@${lineOf(broken, 'HANDHAVING')}`,
      `RESERVED_RULE_ID@${lineOf(broken, 'id: default-deny')}`,
      `EMPTY_RANGE@${lineOf(broken, "effectiveUntil: '2025-01-01'")}`,
    ].sort();
    expect(codes).toEqual(expected);
  });

  it('requires fields on a permit', () => {
    const parsed = parsePolicy(SMALL_POLICY.replace('    fields: [identification]\n', ''));
    assert.ok(!parsed.ok);
    assert.equal(parsed.issues[0].code, 'SCHEMA_REQUIRED');
    assert.equal(parsed.issues[0].message, 'missing required property "fields"');
  });
});

describe('retentionPeriod', () => {
  const parsed = parsePolicy(SMALL_POLICY);
  assert.ok(parsed.ok);
  it('takes the category and context, then the category default, then the policy default', () => {
    assert.equal(retentionPeriod(parsed.value, 'absence', 'after_leaving'), 'P5Y');
    assert.equal(retentionPeriod(parsed.value, 'absence', 'LEERPLICHT'), 'P2Y');
    assert.equal(retentionPeriod(parsed.value, 'signals', 'default'), 'P1Y');
    assert.equal(retentionPeriod(parsed.value, 'toString', 'constructor'), 'P1Y');
  });
});

describe('effectiveVersionAt', () => {
  const versions = [
    { version: '1', effectiveFrom: '2025-08-01', approved: true },
    { version: '2', effectiveFrom: '2026-01-01', effectiveUntil: '2026-08-01', approved: true },
    { version: '3', effectiveFrom: '2026-03-01', approved: false },
  ];
  it('picks the approved version in force, the latest start winning', () => {
    assert.equal(effectiveVersionAt(versions, '2025-07-31'), null);
    assert.equal(effectiveVersionAt(versions, '2025-08-01')?.version, '1');
    assert.equal(effectiveVersionAt(versions, '2026-01-01')?.version, '2');
    assert.equal(effectiveVersionAt(versions, new Date('2026-04-01T12:00:00Z'))?.version, '2');
    assert.equal(effectiveVersionAt(versions, '2026-08-01')?.version, '1');
    assert.equal(effectiveVersionAt([], '2026-08-01'), null);
  });
});
