import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ForbiddenError } from './errors.js';
import {
  type Actor,
  ROLES,
  type Role,
  boardScopeOf,
  hasRole,
  requireBoardScope,
  requireRole,
  scopeCoversSchool,
} from './tenancy.js';

const staff: Actor = { role: 'school_staff', subject: 's', board: 'B1', schools: ['11AA', '22BB'] };
const client: Actor = {
  role: 'integration_client',
  subject: 'c',
  board: 'B1',
  school: '11AA',
  system: 'magister',
};
const fg: Actor = { role: 'privacy_officer', subject: 'f', board: 'B1' };
const officer: Actor = { role: 'leerplicht_officer', subject: 'l', municipalities: ['0344'] };
const rmc: Actor = { role: 'doorstroompunt_officer', subject: 'r', region: 'RMC-UTRECHT' };

describe('board scope', () => {
  it('scopes school staff to their board and schools', () => {
    expect(boardScopeOf(staff, 'write')).toEqual({ board: 'B1', schools: ['11AA', '22BB'] });
  });

  it('scopes an integration client to its one school', () => {
    expect(boardScopeOf(client, 'write')).toEqual({ board: 'B1', schools: ['11AA'] });
  });

  it('lets privacy officers and auditors read the whole board but never write', () => {
    expect(boardScopeOf(fg, 'read')).toEqual({ board: 'B1', schools: null });
    assert.equal(boardScopeOf(fg, 'write'), null);
  });

  it('gives leerplicht and Doorstroompunt officers no school-board scope', () => {
    assert.equal(boardScopeOf(officer, 'read'), null);
    assert.equal(boardScopeOf(rmc, 'read'), null);
    assert.throws(
      () => requireBoardScope(officer, 'read'),
      (e: unknown) => e instanceof ForbiddenError && e.code === 'ROLE_NOT_ALLOWED',
    );
  });

  it('covers only listed schools, and a record without a school only with whole-board scope', () => {
    const scope = requireBoardScope(staff, 'write');
    assert.equal(scopeCoversSchool(scope, '11AA'), true);
    assert.equal(scopeCoversSchool(scope, '33CC'), false);
    assert.equal(scopeCoversSchool(scope, undefined), false);
    assert.equal(scopeCoversSchool({ board: 'B1', schools: null }, undefined), true);
  });
});

describe('requireRole: the one role check', () => {
  const actorOf = (role: Role): Actor => {
    switch (role) {
      case 'school_staff':
        return { role, subject: 's', board: 'B1', schools: ['11AA'] };
      case 'integration_client':
        return { role, subject: 'c', board: 'B1', school: '11AA', system: 'x' };
      case 'leerplicht_officer':
        return { role, subject: 'l', municipalities: ['0363'] };
      case 'doorstroompunt_officer':
        return { role, subject: 'd', region: 'R1' };
      default:
        return { role, subject: 'o', board: 'B1' };
    }
  };

  it('passes exactly the listed roles; any other is 403 ROLE_NOT_ALLOWED with the given message', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ROLES),
        fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1 }),
        fc.string(),
        (role, allowed, message) => {
          const actor = actorOf(role);
          assert.equal(hasRole(actor, allowed), allowed.includes(role));
          if (allowed.includes(role)) {
            requireRole(actor, allowed, message);
          } else {
            assert.throws(
              () => requireRole(actor, allowed, message),
              (e: unknown) =>
                e instanceof ForbiddenError && e.code === 'ROLE_NOT_ALLOWED' && e.message === message,
            );
          }
        },
      ),
    );
  });

  it('names the role when no message is given', () => {
    assert.throws(
      () => requireRole(actorOf('auditor'), ['school_staff']),
      (e: unknown) => e instanceof ForbiddenError && e.message === 'Role auditor may not do this',
    );
  });
});
