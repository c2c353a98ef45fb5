import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { ValidationError } from '#domain';
import { parseDisclosureDecisionCommand } from './decide-disclosure.usecase.js';

const request = (pupil: Record<string, unknown>): Record<string, unknown> => ({
  recipient: { kind: 'DUO' },
  purpose: 'STATUTORY_REPORT',
  reportKind: '16U_MINDERJARIG',
  pupil: { ageAtDate: 14, ...pupil },
  payload: { 'absence.beginDate': '2025-09-01' },
});

describe('parseDisclosureDecisionCommand', () => {
  it('names the pupil for the store when pupil.localId is a text of 1..200 characters, else none', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ minLength: 1, maxLength: 200 }), { nil: undefined }), (localId) => {
        const command = parseDisclosureDecisionCommand(request(localId === undefined ? {} : { localId }));
        assert.equal(command.pupilLocalId, localId ?? null);
        assert.equal(command.request.recipient.kind, 'DUO');
      }),
    );
  });

  it('refuses an unusable pupil.localId with DISCLOSURE_REQUEST_INVALID naming pupil.localId', () => {
    const bad = fc.oneof(
      fc.constant(''),
      fc.string({ minLength: 201, maxLength: 240 }),
      fc.anything().filter((v) => typeof v !== 'string' && v !== undefined),
    );
    fc.assert(
      fc.property(bad, (localId) => {
        assert.throws(
          () => parseDisclosureDecisionCommand(request({ localId })),
          (error: unknown) =>
            error instanceof ValidationError &&
            error.code === 'DISCLOSURE_REQUEST_INVALID' &&
            error.issues.some((i) => i.field === 'pupil.localId' && i.code === 'INVALID_TYPE'),
        );
      }),
    );
  });
});
