import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { DomainError, type Envelope } from '#domain';
import {
  ENVELOPE_NOT_SERIALISABLE,
  INVALID_ENVELOPE,
  decodeEnvelope,
  encodeEnvelope,
  isEnvelope,
} from './envelope.codec.js';

const valid: Envelope = {
  type: 'canonical-records.changed',
  version: 1,
  messageId: 'm-1',
  idempotencyKey: 'k-1',
  occurredAt: '2026-03-02T08:00:00.000Z',
  payload: { batchId: 'b-1' },
};

describe('envelope codec', () => {
  it('round-trips an envelope', () => {
    expect(decodeEnvelope(encodeEnvelope(valid))).toEqual(valid);
    expect(decodeEnvelope(Buffer.from(encodeEnvelope(valid)))).toEqual(valid);
  });

  it('accepts a null payload but requires the field', () => {
    assert.equal(isEnvelope({ ...valid, payload: null }), true);
    const { payload: _payload, ...withoutPayload } = valid;
    assert.equal(isEnvelope(withoutPayload), false);
  });

  for (const [label, value] of [
    ['a missing type', { ...valid, type: '' }],
    ['a version 0', { ...valid, version: 0 }],
    ['a fractional version', { ...valid, version: 1.5 }],
    ['a string version', { ...valid, version: '1' }],
    ['no messageId', { ...valid, messageId: undefined }],
    ['no idempotencyKey', { ...valid, idempotencyKey: 7 }],
    ['no occurredAt', { ...valid, occurredAt: null }],
    ['an array', [valid]],
    ['null', null],
  ] as const) {
    it(`rejects ${label}`, () => {
      assert.equal(isEnvelope(value), false);
      assert.equal(decodeEnvelope(JSON.stringify(value)), null);
    });
  }

  it('returns null for a body that is not JSON', () => {
    assert.equal(decodeEnvelope('{not json'), null);
    assert.equal(decodeEnvelope(Buffer.from([0xff, 0xfe, 0x00])), null);
  });

  it('refuses to encode an invalid or unserialisable envelope with a non-retryable DomainError', () => {
    assert.throws(
      () => encodeEnvelope({ ...valid, version: 0 }),
      (e: unknown) => e instanceof DomainError && e.code === INVALID_ENVELOPE && !e.retryable,
    );
    assert.throws(
      () => encodeEnvelope({ ...valid, payload: { n: 1n } }),
      (e: unknown) => e instanceof DomainError && e.code === ENVELOPE_NOT_SERIALISABLE && !e.retryable,
    );
  });
});
