import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { AUTH_ERRORS } from './auth-error-codes.js';

describe('AUTH_ERRORS', () => {
  it('names each code by itself: the public strings are the keys, never renamed', () => {
    for (const [name, code] of Object.entries(AUTH_ERRORS)) assert.equal(code, name);
    assert.ok(Object.keys(AUTH_ERRORS).length >= 29);
  });
});
