import { DomainError, ValidationError, type Envelope } from '#domain';

/** Thrown when an envelope cannot be written as JSON (e.g. a BigInt or a cycle in the payload). */
export const ENVELOPE_NOT_SERIALISABLE = 'ENVELOPE_NOT_SERIALISABLE';
/** A message body that is not JSON or not an envelope. */
export const INVALID_ENVELOPE = 'INVALID_ENVELOPE';

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Structural check of the envelope fields (the payload is the consumer's business). */
export function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  return (
    isNonEmptyString(candidate['type']) &&
    typeof candidate['version'] === 'number' &&
    Number.isInteger(candidate['version']) &&
    candidate['version'] >= 1 &&
    isNonEmptyString(candidate['messageId']) &&
    isNonEmptyString(candidate['idempotencyKey']) &&
    isNonEmptyString(candidate['occurredAt']) &&
    Object.prototype.hasOwnProperty.call(candidate, 'payload')
  );
}

/** The JSON text of an envelope; throws a validation DomainError (not retryable) when it is not one. */
export function encodeEnvelope(envelope: Envelope): string {
  if (!isEnvelope(envelope)) {
    throw new ValidationError(INVALID_ENVELOPE, 'The message to publish is not a valid envelope.');
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(envelope);
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    throw new DomainError(
      ENVELOPE_NOT_SERIALISABLE,
      'validation',
      'The envelope cannot be serialised as JSON.',
    );
  }
  return text;
}

/**
 * Parses a message body into an envelope; returns null when the body is not JSON or not an envelope.
 * Never includes the body in an error: it may hold personal data.
 */
export function decodeEnvelope(body: string | Buffer): Envelope | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch {
    return null;
  }
  return isEnvelope(parsed) ? parsed : null;
}
