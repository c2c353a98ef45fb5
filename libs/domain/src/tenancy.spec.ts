import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForbiddenError } from './errors.js';
import { type Actor, boardScopeOf, requireBoardScope, scopeCoversSchool } from './tenancy.js';

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
    assert.deepEqual(boardScopeOf(staff, 'write'), { board: 'B1', schools: ['11AA', '22BB'] });
  });

  it('scopes an integration client to its one school', () => {
    assert.deepEqual(boardScopeOf(client, 'write'), { board: 'B1', schools: ['11AA'] });
  });

  it('lets privacy officers and auditors read the whole board but never write', () => {
    assert.deepEqual(boardScopeOf(fg, 'read'), { board: 'B1', schools: null });
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
