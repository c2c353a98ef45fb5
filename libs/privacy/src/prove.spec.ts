import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { resolveFields } from './compile.js';
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
  it('is the seven invariants the shipped default declares, with the same fields, each with a Dutch ground', () => {
    const shipped = parse(
      readFileSync(new URL('../../../../config/privacy/default.policy.yaml', import.meta.url), 'utf8'),
    );
    assert.deepEqual(
      STATUTORY_INVARIANTS.map((i) => i.id),
      shipped.invariants.map((i) => i.id),
    );
    for (const floor of STATUTORY_INVARIANTS) {
      const declared = shipped.invariants.find((i) => i.id === floor.id)!;
      const fields = (inv: PolicyInvariant) =>
        inv.never.fields ? resolveFields(shipped, inv.never.fields) : null;
      assert.deepEqual(fields(floor), fields(declared), floor.id);
      assert.deepEqual(
        { ...floor.never, fields: undefined },
        { ...declared.never, fields: undefined },
        floor.id,
      );
      assert.ok(floor.ground.length > 40, floor.id);
      // Field paths, never data categories: a policy cannot weaken the floor by redefining a category.
      for (const f of floor.never.fields ?? []) assert.match(f, /\./, `${floor.id}: ${f}`);
    }
    const unconfirmed = STATUTORY_INVARIANTS.filter((i) => !i.groundConfirmed).map((i) => i.id);
    assert.deepEqual(unconfirmed, ['jgz-alleen-met-toestemming']);
  });

  it('a policy that keeps the floor holds: the floor first, then its own invariants', () => {
    const proof = provePolicy(small());
    assert.equal(proof.holds, true);
    assert.deepEqual(
      proof.invariants.map((i) => [i.id, i.source]),
      [...STATUTORY_INVARIANTS.map((i) => [i.id, 'floor']), ['no-remarks', 'policy']],
    );
    assert.deepEqual(proof.failing, []);
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
    assert.deepEqual(
      proof.failing.map((f) => [f.invariant, f.source, f.code, f.counterexample.field]),
      [['vrije-tekst-verlaat-school-nooit', 'floor', 'INVARIANT_VIOLATED', 'registration.remarks']],
    );
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
    assert.deepEqual(
      proof.failing.map((f) => [f.invariant, f.source, f.counterexample.request.recipient.kind]),
      [['bsn-alleen-naar-duo', 'floor', 'JGZ']],
    );
    assert.equal(proof.invariants.filter((i) => i.id === 'bsn-alleen-naar-duo').length, 1);
  });
});
