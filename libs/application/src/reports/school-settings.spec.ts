import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ValidationError } from '#domain';
import { parseSchoolSettingsChange } from './school-settings.usecase.js';

describe('parseSchoolSettingsChange', () => {
  it('keeps autoApproveMandatory when it is the only field', () => {
    fc.assert(
      fc.property(fc.boolean(), (autoApproveMandatory) => {
        expect(parseSchoolSettingsChange({ autoApproveMandatory })).toEqual({ autoApproveMandatory });
      }),
    );
  });

  it('refuses a non-boolean or any other field with SETTINGS_INVALID, naming each bad field', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.dictionary(
          fc.string({ minLength: 1 }).filter((k) => k !== 'autoApproveMandatory' && k !== '__proto__'),
          fc.anything(),
        ),
        (value, extra) => {
          fc.pre(typeof value !== 'boolean' || Object.keys(extra).length > 0);
          const body = { ...extra, autoApproveMandatory: value };
          assert.throws(
            () => parseSchoolSettingsChange(body),
            (error: unknown) =>
              error instanceof ValidationError &&
              error.code === 'SETTINGS_INVALID' &&
              Object.keys(extra).every((k) => error.issues.some((i) => i.field === k)) &&
              (typeof value === 'boolean') !== error.issues.some((i) => i.field === 'autoApproveMandatory'),
          );
        },
      ),
    );
  });
});
