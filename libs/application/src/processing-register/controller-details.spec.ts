import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ValidationError } from '#domain';
import { parseControllerDetailsChange } from './processing-register.usecase.js';

const KEYS = ['name', 'contact', 'privacyOfficer'] as const;
const refused = (error: unknown): boolean =>
  error instanceof ValidationError &&
  error.code === 'REGISTER_CONTROLLER_INVALID' &&
  error.issues.length === 1;

describe('parseControllerDetailsChange', () => {
  it('keeps each text trimmed, and reads a missing, null or blank one as null', () => {
    const value = fc
      .option(fc.string({ maxLength: 200 }), { nil: undefined })
      .chain((v) => (v === undefined ? fc.constantFrom(undefined, null) : fc.constant(v)));
    fc.assert(
      fc.property(fc.record({ name: value, contact: value, privacyOfficer: value }), (input) => {
        const body = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
        const expected = Object.fromEntries(
          KEYS.map((k) => {
            const v = input[k];
            return [k, typeof v === 'string' && v.trim() !== '' ? v.trim() : null];
          }),
        );
        expect(parseControllerDetailsChange(body)).toEqual(expected);
      }),
    );
  });

  it('refuses another field, a non-text or a text over 200 characters, and a body that is no object', () => {
    const other = fc
      .string({ minLength: 1 })
      .filter((k) => !(KEYS as readonly string[]).includes(k) && k !== '__proto__');
    const bad = fc.oneof(
      other.map((key) => ({ [key]: 'x' })),
      fc
        .tuple(fc.constantFrom(...KEYS), fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string())))
        .map(([k, v]) => ({ [k]: v })),
      fc
        .tuple(fc.constantFrom(...KEYS), fc.string({ minLength: 201, maxLength: 260 }))
        .filter(([, v]) => v.trim().length > 200)
        .map(([k, v]) => ({ [k]: v })),
      fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.array(fc.anything())),
    );
    fc.assert(
      fc.property(bad, (body) => {
        assert.throws(() => parseControllerDetailsChange(body), refused);
      }),
    );
  });
});
