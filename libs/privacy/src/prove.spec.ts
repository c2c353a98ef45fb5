import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { REPORT_FIELD_PATHS } from '#domain';
import { resolveFields } from './compile.js';
import { decide } from './decide.js';
import { STATUTORY_INVARIANTS } from './floor.js';
import { parsePolicy } from './parse-policy.js';
import type { Policy, PolicyInvariant } from './policy.types.js';
import { SMALL_POLICY } from './privacy.test-support.js';
import { provePolicy } from './prove.js';

const parse = (text: string): Policy => {
  const result = parsePolicy(text);
  assert.ok(result.ok, JSON.stringify(result.ok ? null : result.issues));
  return result.value;
};
const small = (edit: (text: string) => string = (t) => t): Policy => parse(edit(SMALL_POLICY));

describe('the statutory floor (ADR 0012)', () => {
  it('is the eight invariants the shipped default declares, with the same fields, each with a Dutch ground', () => {
    const shipped = parse(
      readFileSync(new URL('../../../../config/privacy/default.policy.yaml', import.meta.url), 'utf8'),
    );
    expect(STATUTORY_INVARIANTS.map((i) => i.id)).toEqual(shipped.invariants.map((i) => i.id));
    for (const floor of STATUTORY_INVARIANTS) {
      const declared = shipped.invariants.find((i) => i.id === floor.id)!;
      const fields = (inv: PolicyInvariant) =>
        inv.never.fields ? resolveFields(shipped, inv.never.fields) : null;
      expect(fields(floor)).toEqual(fields(declared)); // floor.id
      expect({ ...floor.never, fields: undefined }).toEqual({ ...declared.never, fields: undefined }); // floor.id
      assert.ok(floor.ground.length > 40, floor.id);
      // Field paths, never data categories: a policy cannot weaken the floor by redefining a category.
      for (const f of floor.never.fields ?? []) assert.match(f, /\./, `${floor.id}: ${f}`);
    }
    const unconfirmed = STATUTORY_INVARIANTS.filter((i) => !i.groundConfirmed).map((i) => i.id);
    expect(unconfirmed).toEqual(['jgz-alleen-met-toestemming']);
  });

  it('a policy that keeps the floor holds: the floor first, then its own invariants', () => {
    const proof = provePolicy(small());
    assert.equal(proof.holds, true);
    expect(proof.invariants.map((i) => [i.id, i.source])).toEqual([
      ...STATUTORY_INVARIANTS.map((i) => [i.id, 'floor']),
      ['no-remarks', 'policy'],
    ]);
    expect(proof.failing).toEqual([]);
  });

  it('cannot be removed: a policy without invariants is proven against the floor all the same', () => {
    const proof = provePolicy(
      small((t) =>
        t
          .replace(/invariants:[\s\S]*$/, 'invariants: []\n')
          .replace('fields: [free_text]', 'fields: [health.detail]'),
      ),
    );
    assert.equal(proof.holds, false);
    expect(proof.failing.map((f) => [f.invariant, f.source, f.code, f.counterexample.field])).toEqual([
      ['vrije-tekst-verlaat-school-nooit', 'floor', 'INVARIANT_VIOLATED', 'registration.remarks'],
    ]);
    assert.match(
      proof.failing[0].message,
      /^Wettelijke invariant vrije-tekst-verlaat-school-nooit houdt geen stand .*registration\.remarks gaat naar DUO/,
    );
  });

  it('cannot be weakened: an invariant declared under a floor id is the floor one', () => {
    const weakened = small(
      (t) =>
        t
          .replace('fields: [pupil.bsn, absence, registration.remarks]', 'fields: [pupil.bsn, absence]')
          .replace('fields: [identification]\n', 'fields: [identification, pupil.bsn]\n') +
        `  - id: bsn-alleen-naar-duo
    description: Alleen de Inspectie krijgt het BSN niet
    never: { recipients: [INSPECTIE], fields: [pupil.bsn] }
`,
    );
    const proof = provePolicy(weakened);
    expect(
      proof.failing.map((f) => [f.invariant, f.source, f.counterexample.request.recipient.kind]),
    ).toEqual([['bsn-alleen-naar-duo', 'floor', 'JGZ']]);
    assert.equal(proof.invariants.filter((i) => i.id === 'bsn-alleen-naar-duo').length, 1);
  });

  it("refuses a policy that gives the officer's decision to the school, with a counterexample (ADR 0026)", () => {
    const proof = provePolicy(
      small((t) =>
        t
          .replace(
            '  JGZ: { name: de jeugdarts }\n',
            '  JGZ: { name: de jeugdarts }\n  SCHOOL: { name: de school }\n',
          )
          .replace(
            'dataCategories:\n',
            'dataCategories:\n  feedback: [feedback.status, feedback.closingReason]\n',
          )
          .replace(
            'rules:\n',
            `rules:
  - id: school-feedback
    effect: permit
    reason: Terugkoppeling met besluit
    when: { recipients: [SCHOOL], purposes: [STATUS_FEEDBACK] }
    fields: [feedback, officer.decision]
`,
          )
          .replace(
            'purposes:\n',
            'purposes:\n  STATUS_FEEDBACK: { description: terugkoppeling, basis: legal_obligation, legalBasis: Besluit Verzuimmelding }\n',
          ),
      ),
    );
    assert.equal(proof.holds, false);
    expect(
      proof.failing.map((f) => [
        f.invariant,
        f.source,
        f.counterexample.request.recipient.kind,
        f.counterexample.request.purpose,
        f.counterexample.field,
        f.counterexample.releasedBy,
      ]),
    ).toEqual([
      [
        'besluit-leerplicht-niet-naar-school',
        'floor',
        'SCHOOL',
        'STATUS_FEEDBACK',
        'officer.decision',
        'school-feedback',
      ],
    ]);
    assert.match(
      proof.failing[0].message,
      /^Wettelijke invariant besluit-leerplicht-niet-naar-school houdt geen stand .*officer\.decision gaat naar SCHOOL/,
    );
  });

  it('keeps a policy written before the feedback vocabulary proven: `*` is the report vocabulary only', () => {
    const everything = small((t) =>
      t.replace(
        'rules:\n',
        `rules:
  - id: everything-to-jgz
    effect: permit
    reason: Alles naar de jeugdarts met toestemming, behalve het BSN
    when: { recipients: [JGZ], consent: { jgz: given } }
    fields: ['*']
  - id: no-bsn-to-jgz
    effect: forbid
    reason: Geen BSN
    when: { recipients: [JGZ] }
    fields: [pupil.bsn]
`,
      ),
    );
    const star = resolveFields(everything, ['*']).length;
    assert.equal(star, REPORT_FIELD_PATHS.length);
    assert.equal(provePolicy(everything).holds, true);
  });

  it('a permit without recipients does not reach the school; a forbid without recipients does', () => {
    const open = small((t) =>
      t.replace(
        'rules:\n',
        `rules:
  - id: names-for-everyone
    effect: permit
    reason: Naam voor iedereen
    when: { purposes: [STATUTORY_REPORT], consent: { jgz: given } }
    fields: [pupil.name, registration.remarks]
`,
      ),
    );
    const ask = (kind: 'DUO' | 'SCHOOL') =>
      decide(
        open,
        {
          recipient: { kind },
          purpose: 'STATUTORY_REPORT',
          pupil: { ageAtDate: 14, consent: { jgz: true } },
          payload: { 'pupil.name': 'x', 'registration.remarks': 'y' },
        },
        { at: '2026-01-15' },
      );
    expect(ask('DUO').released).toEqual(['pupil.name']);
    expect(ask('SCHOOL').released).toEqual([]);
    expect(ask('SCHOOL').withheld.map((w) => [w.field, w.rule])).toEqual([
      ['pupil.name', 'default-deny'],
      ['registration.remarks', 'no-free-text'],
    ]);
    assert.equal(provePolicy(open).holds, true);
  });
});
