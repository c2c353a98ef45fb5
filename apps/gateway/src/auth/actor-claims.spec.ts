import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { ROLES, type Actor } from '#domain';
import { actorFromClaims, actorToClaims } from './actor-claims.js';
import { DEMO_ACTOR_CLAIMS } from './demo-actors.js';

describe('actor claims', () => {
  it('round-trips every demo actor through claims', () => {
    for (const role of ROLES) {
      const claims = DEMO_ACTOR_CLAIMS[role];
      const result = actorFromClaims(claims);
      assert.ok(result.ok, role);
      assert.equal(result.value.role, role);
      assert.equal(result.value.subject, claims.sub);
      expect(actorToClaims(result.value)).toEqual(claims);
    }
  });

  it('returns a frozen actor with de-duplicated lists', () => {
    const result = actorFromClaims({
      sub: 's',
      role: 'school_staff',
      board: 'B1',
      schools: ['99XX', '12AB', '99XX'],
    });
    assert.ok(result.ok);
    const actor = result.value as Extract<Actor, { role: 'school_staff' }>;
    expect(actor.schools).toEqual(['99XX', '12AB']);
    assert.ok(Object.isFrozen(actor));
    assert.ok(Object.isFrozen(actor.schools));
  });

  it('ignores scope claims that belong to other roles', () => {
    const result = actorFromClaims({
      sub: 'l',
      role: 'leerplicht_officer',
      municipalities: ['0344'],
      board: 'B1',
      region: 'R',
    });
    assert.ok(result.ok);
    expect(result.value).toEqual({ role: 'leerplicht_officer', subject: 'l', municipalities: ['0344'] });
  });

  it('scopes a leerplicht officer to CBS codes or regional body ids of the routing table, nothing else', () => {
    const body = actorFromClaims({
      sub: 'l',
      role: 'leerplicht_officer',
      municipalities: ['0356', 'RBL-LEKSTROOM'],
    });
    assert.ok(body.ok);
    expect(body.value).toEqual({
      role: 'leerplicht_officer',
      subject: 'l',
      municipalities: ['0356', 'RBL-LEKSTROOM'],
    });
    for (const bad of ['rbl-lekstroom', '356', 'RBL LEKSTROOM', "0344' OR 1=1"]) {
      assert.equal(
        actorFromClaims({ sub: 'l', role: 'leerplicht_officer', municipalities: [bad] }).ok,
        false,
        bad,
      );
    }
  });

  it('lists every problem, naming the claim and never its value', () => {
    const result = actorFromClaims({
      sub: 'x',
      role: 'integration_client',
      board: 'has space',
      school: 'secret-brin',
      system: '',
    });
    assert.ok(!result.ok);
    expect(result.issues.map((issue) => issue.field)).toEqual(['board', 'school', 'system']);
    assert.ok(
      result.issues.every(
        (issue) => !issue.message.includes('secret-brin') && !issue.message.includes('has space'),
      ),
    );
  });

  it('refuses a missing sub and an unknown role together', () => {
    const result = actorFromClaims({ role: 'root' });
    assert.ok(!result.ok);
    expect(result.issues.map((issue) => issue.code)).toEqual(['CLAIM_SUB', 'CLAIM_ROLE']);
  });
});
