import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '#config';
import { ROLES } from '#domain';
import {
  DEFAULT_CLAIMS_MAPPING_FILE,
  loadClaimsMapping,
  mapClaims,
  parseClaimsMapping,
} from './claims-mapping.js';
import { DEMO_ACTOR_CLAIMS } from './demo-actors.js';

const example = (name: string): string =>
  fileURLToPath(new URL(`../../../../../config/auth/examples/${name}`, import.meta.url));

describe('claims mapping', () => {
  it('maps every demo actor through the shipped default (the local provider issues ketenpoort claims)', () => {
    const mapping = loadClaimsMapping(null);
    for (const role of ROLES) {
      const claims = DEMO_ACTOR_CLAIMS[role];
      const mapped = mapClaims(mapping, { ...claims, name: 'Demo', iss: 'x', aud: 'y' });
      assert.ok(mapped.ok, role);
      expect(mapped.value.claims).toEqual(claims);
      assert.equal(mapped.value.rule, 'ketenpoort-claims');
    }
  });

  it('reads Entree Federatie attributes behind an OIDC proxy: the BRIN names school and board', () => {
    const mapping = loadClaimsMapping(example('entree.claims-mapping.yaml'));
    const staff = mapClaims(mapping, {
      uid: 'j.devries@school.example',
      displayName: 'J. de Vries',
      eduPersonAffiliation: ['employee', 'staff'],
      nlEduPersonHomeOrganizationId: '99XX',
    });
    assert.ok(staff.ok);
    expect(staff.value.claims).toEqual({
      role: 'school_staff',
      sub: 'j.devries@school.example',
      board: 'BOARD-DEMO',
      schools: ['99XX'],
    });
    assert.equal(staff.value.name, 'J. de Vries');
    const officer = mapClaims(mapping, {
      uid: 'fg@bestuur.example',
      eduPersonAffiliation: 'employee',
      eduPersonEntitlement: ['urn:x-ketenpoort:privacy_officer'],
      nlEduPersonHomeOrganizationId: ['99XY'],
    });
    assert.ok(officer.ok);
    expect(officer.value.claims).toEqual({
      role: 'privacy_officer',
      sub: 'fg@bestuur.example',
      board: 'BOARD-DEMO',
    });
  });

  it('refuses a pupil, and a school the lookup does not know, without quoting claim values', () => {
    const mapping = loadClaimsMapping(example('entree.claims-mapping.yaml'));
    const pupil = mapClaims(mapping, {
      uid: 'p',
      eduPersonAffiliation: 'student',
      nlEduPersonHomeOrganizationId: '99XX',
    });
    assert.ok(!pupil.ok);
    assert.equal(pupil.issues[0]?.code, 'CLAIMS_NO_RULE');
    const unknownSchool = mapClaims(mapping, {
      uid: 'secret-user',
      eduPersonAffiliation: 'employee',
      nlEduPersonHomeOrganizationId: '12ZZ',
    });
    assert.ok(!unknownSchool.ok);
    assert.ok(
      unknownSchool.issues.every((i) => !i.message.includes('12ZZ') && !i.message.includes('secret-user')),
    );
  });

  it('reads a municipal IdP: groups decide the role, the gemeentecode is fixed', () => {
    const mapping = loadClaimsMapping(example('municipal.claims-mapping.yaml'));
    const officer = mapClaims(mapping, { sub: 'u-1', groups: ['medewerkers', 'leerplicht'] });
    assert.ok(officer.ok);
    expect(officer.value.claims).toEqual({
      role: 'leerplicht_officer',
      sub: 'u-1',
      municipalities: ['0344'],
    });
    const rmc = mapClaims(mapping, { sub: 'u-2', groups: 'rmc' });
    assert.ok(rmc.ok);
    expect(rmc.value.claims).toEqual({ role: 'doorstroompunt_officer', sub: 'u-2', region: 'RMC-UTRECHT' });
    assert.ok(!mapClaims(mapping, { sub: 'u-3', groups: ['burgerzaken'] }).ok);
  });

  it('refuses a malformed table, naming the place', () => {
    const bad = parseClaimsMapping(
      'version: 1\nrules:\n  - id: x\n    when: { claim: a }\n    role: { value: school_staff }\n',
    );
    assert.ok(!bad.ok);
    assert.ok(bad.issues.some((i) => i.field.startsWith('/rules/0/when')));
    const lookup = parseClaimsMapping(
      'version: 1\nrules:\n  - id: x\n    when: { claim: a, present: true }\n    role: { value: school_staff }\n    scope:\n      board: { claim: b, lookup: nope }\n',
    );
    assert.ok(!lookup.ok);
    assert.equal(lookup.issues[0]?.code, 'CLAIMS_MAPPING_LOOKUP');
    assert.throws(() => loadClaimsMapping('/nonexistent/mapping.yaml'), ConfigurationError);
    assert.ok(readFileSync(DEFAULT_CLAIMS_MAPPING_FILE, 'utf8').includes('ketenpoort-claims'));
  });
});
