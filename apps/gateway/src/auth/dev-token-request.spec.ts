import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ROLES, ValidationError } from '#domain';
import { parseDevTokenRequest } from './dev-token-request.js';

const role = fc.oneof(fc.constantFrom(...ROLES), fc.string(), fc.anything());
const ttlSeconds = fc.oneof(fc.constant(undefined), fc.integer(), fc.double(), fc.anything());
const body = fc.oneof(
  fc.record({ role, ttlSeconds }, { requiredKeys: [] }),
  fc.dictionary(fc.string(), fc.anything()),
  fc.anything(),
);

describe('parseDevTokenRequest', () => {
  it('answers a typed request or a coded ValidationError naming its one field, never anything else', () => {
    fc.assert(
      fc.property(body, (input) => {
        const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
        const knownRole = (ROLES as readonly unknown[]).includes(record['role']);
        const ttl = record['ttlSeconds'];
        let answer: unknown;
        try {
          answer = parseDevTokenRequest(input);
        } catch (error) {
          assert.ok(error instanceof ValidationError, String(error));
          const expected = !knownRole ? ['ROLE_UNKNOWN', 'role'] : ['TOKEN_TTL', 'ttlSeconds'];
          assert.equal(error.code, expected[0]);
          expect(error.issues.map((issue) => [issue.code, issue.field])).toEqual([expected]);
          assert.ok(!knownRole || (ttl !== undefined && typeof ttl !== 'number'));
          return;
        }
        assert.ok(knownRole && (ttl === undefined || typeof ttl === 'number'));
        expect(answer).toEqual(
          ttl === undefined ? { role: record['role'] } : { role: record['role'], ttlSeconds: ttl },
        );
      }),
    );
  });
});
