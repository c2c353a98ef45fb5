import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { HTTP_ERRORS } from './http-error-codes.js';

describe('HTTP_ERRORS', () => {
  it('names each code by itself: the public strings are the keys, never renamed', () => {
    for (const [name, code] of Object.entries(HTTP_ERRORS)) assert.equal(code, name);
  });
});
