import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { type Actor, ForbiddenError, ROLES, type Role } from '#domain';
import { BuildAccessReportUseCase } from './access-report/index.js';
import { DecideDisclosureUseCase } from './decide-disclosure/index.js';
import { LeerplichtInboxUseCase } from './dispatch/index.js';

/** A port the role check must not reach: any use of it throws (an allowed role gets past the check to it). */
const PORT_REACHED = 'port reached';
const unreachable = new Proxy(
  {},
  {
    get() {
      throw new Error(PORT_REACHED);
    },
  },
) as never;

function actorOf(role: Role, subject: string): Actor {
  switch (role) {
    case 'school_staff':
      return { role, subject, board: 'B1', schools: ['99XX'] };
    case 'integration_client':
      return { role, subject, board: 'B1', school: '99XX', system: 'somtoday' };
    case 'leerplicht_officer':
      return { role, subject, municipalities: ['0344'] };
    case 'doorstroompunt_officer':
      return { role, subject, region: '0344' };
    case 'privacy_officer':
    case 'auditor':
    case 'board_admin':
      return { role, subject, board: 'B1' };
  }
}

/** The use cases that read a scope from the role, with the roles they take and the message for the others. */
const CHECKS: readonly {
  readonly name: string;
  readonly roles: readonly Role[];
  readonly message: (role: Role) => string;
  readonly call: (actor: Actor) => Promise<unknown>;
}[] = [
  {
    name: 'the leerplicht inbox',
    roles: ['leerplicht_officer', 'doorstroompunt_officer'],
    message: () => 'Only leerplicht and Doorstroompunt officers use the inbox',
    call: (actor) =>
      new LeerplichtInboxUseCase(
        unreachable,
        unreachable,
        unreachable,
        unreachable,
        unreachable,
        unreachable,
      ).list(actor, '0344', undefined),
  },
  {
    name: 'the access report',
    roles: ['privacy_officer', 'school_staff'],
    message: () => 'Only a privacy officer or school staff answer an access request',
    call: (actor) =>
      new BuildAccessReportUseCase(unreachable, unreachable, unreachable, unreachable).execute(actor, 'p-1'),
  },
  {
    name: 'the disclosure decision',
    roles: ['school_staff', 'integration_client', 'privacy_officer'],
    message: (role) => `Role ${role} may not ask for disclosure decisions`,
    call: (actor) =>
      new DecideDisclosureUseCase(unreachable, unreachable, unreachable, unreachable, unreachable).execute(
        actor,
        { request: unreachable, pupilLocalId: null },
      ),
  },
];

describe('the role checks of the use cases that map a role to a scope (one requireRole in #domain)', () => {
  for (const check of CHECKS)
    it(`${check.name}: every other role is 403 ROLE_NOT_ALLOWED before a port is used; its roles get past`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ROLES), fc.string({ maxLength: 20 }), async (role, subject) => {
          const error = await check.call(actorOf(role, subject)).then(
            () => null,
            (e: unknown) => e,
          );
          if (check.roles.includes(role)) {
            assert.ok(!(error instanceof ForbiddenError), `${role}: ${String(error)}`);
          } else {
            assert.ok(error instanceof ForbiddenError, `${role}: ${String(error)}`);
            assert.equal(error.code, 'ROLE_NOT_ALLOWED');
            assert.equal(error.kind, 'forbidden');
            assert.equal(error.message, check.message(role));
          }
        }),
      );
    });
});
