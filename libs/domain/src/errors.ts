/**
 * Every failure that crosses a layer is a DomainError with a stable code. Transports (HTTP, broker, CLI)
 * translate the `kind` once; libraries never throw transport-specific exceptions.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  /** The input is larger than a limit allows (an item, a document): HTTP 413. */
  | 'too_large'
  /** Well-formed and understood, but refused on its content (HTTP 422), e.g. a policy that fails its proof. */
  | 'unprocessable'
  | 'unavailable'
  | 'internal';

export interface ErrorIssue {
  /** A field path in the input, e.g. `records[3].date`. */
  readonly field: string;
  /** A stable code, e.g. `INVALID_DATE`. */
  readonly code: string;
  /** A human message (English for developers; never contains input values that may be personal data). */
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly issues: readonly ErrorIssue[] = [],
    /** Whether retrying the same operation later may succeed (broker policy uses this). */
    readonly retryable = false,
    /** Extra members of the problem document (RFC 9457 extensions), e.g. the failing invariants of a proof. */
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class ValidationError extends DomainError {
  constructor(code: string, message: string, issues: readonly ErrorIssue[] = []) {
    super(code, 'validation', message, issues);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string) {
    super(code, 'not_found', message);
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: string, message: string) {
    super(code, 'forbidden', message);
    this.name = 'ForbiddenError';
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(code: string, message: string) {
    super(code, 'unauthenticated', message);
    this.name = 'UnauthenticatedError';
  }
}

export class UnavailableError extends DomainError {
  constructor(code: string, message: string) {
    super(code, 'unavailable', message, [], true);
    this.name = 'UnavailableError';
  }
}

/** Too many attempts from one client: try again after `retryAfterSeconds` (HTTP 429 with Retry-After). */
export class RateLimitedError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, 'rate_limited', message, [], true);
    this.name = 'RateLimitedError';
  }
}

/** Input beyond a size limit (ADR 0013): refused whole, nothing stored. */
export class TooLargeError extends DomainError {
  constructor(code: string, message: string, issues: readonly ErrorIssue[] = []) {
    super(code, 'too_large', message, issues);
    this.name = 'TooLargeError';
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
