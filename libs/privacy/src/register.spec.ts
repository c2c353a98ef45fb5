import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CATEGORIES, type DisclosureRequest, RECIPIENT_KINDS, REPORT_FIELD_PATHS } from '#domain';
import { decide } from './decide.js';
import { parsePolicy } from './parse-policy.js';
import type { Policy, PolicyRule } from './policy.types.js';
import {
  ANY_PURPOSE,
  type RegisterInput,
  controllerRegister,
  processorRegister,
  registerCsv,
  registerRecipients,
} from './register.js';

const PURPOSES = ['STATUTORY_REPORT', 'MAZL_CONSULTATION'];
const FIELDS = [...REPORT_FIELD_PATHS];
const AT = '2026-01-15';
const subset = <T>(items: readonly T[]) => fc.subarray([...items], { minLength: 1 });

const ruleArb: fc.Arbitrary<Omit<PolicyRule, 'id'>> = fc.record(
  {
    effect: fc.constantFrom('permit' as const, 'forbid' as const),
    reason: fc.constant('Reden'),
    enabled: fc.boolean(),
    when: fc.record(
      {
        recipients: subset(RECIPIENT_KINDS),
        purposes: subset(PURPOSES),
        ageAtLeast: fc.integer({ min: 10, max: 20 }),
        ageBelow: fc.integer({ min: 21, max: 25 }),
        consent: fc.record({ jgz: fc.constantFrom('given' as const, 'not_given' as const) }),
        categoriesAny: subset(['SICK', 'UNAUTHORISED', 'SCHOOL_SUSPENSION']),
      },
      { requiredKeys: [] },
    ),
    fields: fc.option(subset([...FIELDS, 'absence', 'identification']), { nil: undefined }),
  },
  { requiredKeys: ['effect', 'reason', 'enabled', 'when'] },
);

const policyArb: fc.Arbitrary<Policy> = fc.array(ruleArb, { maxLength: 8 }).map((rules) => ({
  id: 'random',
  version: '1',
  effectiveFrom: '2025-08-01',
  recipients: Object.fromEntries(RECIPIENT_KINDS.map((k) => [k, { name: `ontvanger ${k}` }])),
  purposes: Object.fromEntries(
    PURPOSES.map((p) => [p, { description: p, basis: 'legal_obligation' as const, legalBasis: 'wet' }]),
  ),
  dataCategories: {
    absence: ['absence.kind', 'absence.hours'],
    identification: ['pupil.name', 'pupil.birthDate'],
  },
  rules: rules.map((rule, i) => ({
    ...rule,
    id: `r${i}`,
    ...(rule.effect === 'permit' && rule.fields === undefined ? { fields: ['pupil.name'] } : {}),
  })),
  retention: { default: 'P1Y', categories: { absence: { default: 'P5Y' } } },
  invariants: [],
}));

const requestArb: fc.Arbitrary<DisclosureRequest> = fc.record(
  {
    recipient: fc.record({ kind: fc.constantFrom(...RECIPIENT_KINDS) }),
    purpose: fc.constantFrom(...PURPOSES, 'OTHER'),
    pupil: fc.record(
      {
        ageAtDate: fc.integer({ min: 4, max: 30 }),
        consent: fc.record({ jgz: fc.boolean() }, { requiredKeys: [] }),
      },
      { requiredKeys: ['ageAtDate'] },
    ),
    categories: fc.subarray([...CATEGORIES]),
    payload: fc.constant(Object.fromEntries(FIELDS.map((f) => [f, f]))),
  },
  { requiredKeys: ['recipient', 'purpose', 'pupil', 'payload'] },
);

const input = (policy: Policy): RegisterInput => ({
  policy,
  board: '41000',
  controller: { name: null, contact: null, privacyOfficer: null },
  processor: { name: null, contact: null },
  sources: [{ system: 'somtoday', channels: ['pull'], schools: ['99XX'] }],
  routing: { LEERPLICHT: ['Regionaal Bureau Leerplicht'] },
});

/** Field paths a rule names, with the policy's data categories expanded. */
function named(policy: Policy, rule: PolicyRule): string[] {
  if (rule.fields === undefined) return [...FIELDS];
  return rule.fields.flatMap((f) =>
    f === '*' ? [...FIELDS] : Object.hasOwn(policy.dataCategories, f) ? [...policy.dataCategories[f]] : [f],
  );
}

const reaches = (rule: PolicyRule, recipient: string, purpose: string): boolean =>
  rule.enabled &&
  (rule.when.recipients === undefined
    ? rule.effect === 'forbid' || recipient !== 'SCHOOL'
    : (rule.when.recipients as readonly string[]).includes(recipient)) &&
  (rule.when.purposes === undefined || (purpose !== ANY_PURPOSE && rule.when.purposes.includes(purpose)));

describe('verwerkingsregister (properties)', () => {
  it('every field the engine releases to a recipient for a purpose appears in that flow of the register', () => {
    fc.assert(
      fc.property(policyArb, requestArb, (policy, request) => {
        const register = controllerRegister(input(policy));
        const decision = decide(policy, request, { at: AT });
        const listed = new Set(
          register.recipients
            .filter(
              (r) =>
                r.recipient === request.recipient.kind &&
                (r.purpose === request.purpose ||
                  (r.purpose === ANY_PURPOSE && !Object.hasOwn(policy.purposes, request.purpose))),
            )
            .flatMap((r) => r.fields),
        );
        for (const field of decision.released)
          assert.ok(
            listed.has(field),
            `${field} to ${request.recipient.kind} for ${request.purpose} missing`,
          );
      }),
      { numRuns: 500 },
    );
  });

  it('lists nothing the policy does not allow: each field comes from an enabled permit, no unconditional forbid', () => {
    fc.assert(
      fc.property(policyArb, (policy) => {
        for (const entry of registerRecipients(input(policy))) {
          const rule = policy.rules.find((r) => r.id === entry.rule);
          assert.ok(rule && rule.enabled && rule.effect === 'permit', `${entry.rule} is no enabled permit`);
          assert.ok(reaches(rule, entry.recipient, entry.purpose));
          assert.ok(entry.fields.length > 0);
          for (const field of entry.fields) {
            assert.ok(named(policy, rule).includes(field), `${field} not named by ${rule.id}`);
            const always = policy.rules.filter(
              (f) =>
                f.effect === 'forbid' &&
                reaches(f, entry.recipient, entry.purpose) &&
                Object.keys(f.when).every((k) => k === 'recipients' || k === 'purposes'),
            );
            for (const f of always)
              assert.ok(!named(policy, f).includes(field), `${field} listed past forbid ${f.id}`);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('writes CSV a spreadsheet reads back: one row per flow plus the heading, cells quoted and defused', () => {
    fc.assert(
      fc.property(policyArb, fc.string(), (policy, name) => {
        const register = controllerRegister({
          ...input(policy),
          controller: { name, contact: null, privacyOfficer: null },
        });
        const text = registerCsv(register);
        const rows = parseCsv(text);
        assert.equal(rows.length, register.recipients.length + 1);
        for (const row of rows.slice(1)) {
          assert.equal(row.length, 12);
          assert.ok(!/^[=+\-@]/.test(row[0]), 'formula-looking cell not defused');
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('verwerkingsregister of the shipped policy', () => {
  const text = readFileSync(
    new URL('../../../../config/privacy/default.policy.yaml', import.meta.url),
    'utf8',
  );
  const parsed = parsePolicy(text);
  assert.ok(parsed.ok);
  const policy = parsed.value;

  it('names every recipient of the policy with its legal basis, retention and data categories', () => {
    const register = controllerRegister(input(policy));
    const recipients = new Set(register.recipients.map((r) => r.recipient));
    expect([...recipients].sort()).toEqual([
      'DOORSTROOMPUNT',
      'DUO',
      'INSPECTIE',
      'JGZ',
      'LEERPLICHT',
      'SCHOOL',
    ]);
    // The municipality's feedback to the school (ADR 0026): the four fields of the Besluit, never the decision.
    const school = register.recipients.find((r) => r.recipient === 'SCHOOL');
    assert.equal(school?.purpose, 'STATUS_FEEDBACK');
    expect([...(school?.fields ?? [])].sort()).toEqual([
      'feedback.closingExplanation',
      'feedback.closingReason',
      'feedback.contact',
      'feedback.status',
    ]);
    assert.ok(register.dataSubjects.some((s) => s.startsWith('Contactpersonen van de gemeente')));
    const duo = register.recipients.find((r) => r.recipient === 'DUO');
    assert.equal(duo?.basisText, 'wettelijke verplichting (AVG art. 6 lid 1 onder c)');
    assert.equal(duo?.retentionText, '5 jaar');
    assert.ok(duo?.dataCategoryNames.includes('Burgerservicenummer (BSN)'));
    // The BSN goes to DUO only; free text to no one.
    for (const r of register.recipients) {
      if (r.recipient !== 'DUO') assert.ok(!r.fields.includes('pupil.bsn'), r.recipient);
      assert.ok(!r.fields.includes('registration.remarks'));
    }
    expect(register.recipients.find((r) => r.recipient === 'LEERPLICHT')?.bodies).toEqual([
      'Regionaal Bureau Leerplicht',
    ]);
    assert.ok(register.dataSubjects.some((s) => s.startsWith('Ouders')));
    assert.match(register.transfers, /Geen doorgifte buiten/);
    assert.ok(register.retention.some((r) => r.category === 'absence' && r.periods[0].includes('5 jaar')));
  });

  it('gives the processor register the controllers it processes for', () => {
    const register = processorRegister(input(policy), [{ board: '41000', name: null, contact: null }]);
    assert.equal(register.controllers.length, 1);
    const rows = parseCsv(registerCsv(register));
    expect(rows[0]).toEqual(['Onderdeel', 'Omschrijving']);
    assert.ok(rows.some((r) => r[0] === 'Verwerkingsverantwoordelijke' && r[1].includes('41000')));
  });
});

/** A small RFC 4180 reader for the test (quoted cells, doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cellText = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cellText += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cellText += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cellText);
      cellText = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cellText);
      rows.push(row);
      row = [];
      cellText = '';
      i++;
    } else cellText += c;
  }
  return rows;
}
