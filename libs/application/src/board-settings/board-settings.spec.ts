import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ValidationError } from '#domain';
import { parseBoardSettingsChange } from './board-settings.usecase.js';

const refused = (error: unknown): boolean =>
  error instanceof ValidationError && error.code === 'BOARD_SETTINGS_INVALID' && error.issues.length === 1;

describe('parseBoardSettingsChange', () => {
  it('keeps sharedAdministration when it is the only field', () => {
    fc.assert(
      fc.property(fc.boolean(), (sharedAdministration) => {
        expect(parseBoardSettingsChange({ sharedAdministration })).toEqual({ sharedAdministration });
      }),
    );
  });

  it('refuses a non-boolean, another field or a body that is no object, with one issue', () => {
    const other = fc
      .string({ minLength: 1 })
      .filter((k) => k !== 'sharedAdministration' && k !== '__proto__');
    const bad = fc.oneof(
      fc
        .anything()
        .filter((v) => typeof v !== 'boolean')
        .map((sharedAdministration) => ({ sharedAdministration })),
      fc
        .tuple(fc.boolean(), other)
        .map(([sharedAdministration, key]) => ({ sharedAdministration, [key]: 1 })),
      fc.oneof(fc.constant(null), fc.boolean(), fc.string(), fc.array(fc.boolean())),
    );
    fc.assert(
      fc.property(bad, (body) => {
        assert.throws(() => parseBoardSettingsChange(body), refused);
      }),
    );
  });
});
