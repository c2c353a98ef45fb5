import { HttpException } from '@nestjs/common';
import { HTTP_ERRORS } from './http-error-codes.js';

/**
 * An HTTP-layer refusal with its own stable code (the transport's checks before any use case runs: bounded
 * input, ADR 0013): the problem filter answers it as problem+json with this code, title and headers.
 */
export class CodedHttpException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    title: string,
    /** Response headers the answer needs (Retry-After). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(title, status);
  }
}

export function jsonTooDeep(maxDepth: number): CodedHttpException {
  return new CodedHttpException(
    400,
    HTTP_ERRORS.JSON_TOO_DEEP,
    `The JSON is nested deeper than ${maxDepth} levels (JSON_MAX_DEPTH)`,
  );
}

export function nulCharacter(): CodedHttpException {
  return new CodedHttpException(
    400,
    HTTP_ERRORS.NUL_CHARACTER,
    'The body contains the NUL character (a 0 byte or \\u0000), which no field may hold',
  );
}

export function contentEncodingInvalid(encoding?: string): CodedHttpException {
  return new CodedHttpException(
    400,
    HTTP_ERRORS.CONTENT_ENCODING_INVALID,
    `The body could not be decompressed${encoding === undefined ? '' : ` as ${encoding}`} (Content-Encoding)`,
  );
}

export function encodingUnsupported(): CodedHttpException {
  return new CodedHttpException(
    415,
    HTTP_ERRORS.ENCODING_UNSUPPORTED,
    'The body is UTF-16 text; send it as UTF-8',
  );
}

export function uploadIdle(timeoutMs: number): CodedHttpException {
  return new CodedHttpException(
    408,
    HTTP_ERRORS.UPLOAD_IDLE_TIMEOUT,
    `The upload sent nothing for ${timeoutMs} ms (UPLOAD_IDLE_TIMEOUT_MS); nothing was stored`,
  );
}

export function tooManyIngests(limit: number, retryAfterSeconds: number): CodedHttpException {
  return new CodedHttpException(
    429,
    HTTP_ERRORS.INGEST_CONCURRENCY_LIMIT,
    `Your school board already has ${limit} ingests running (INGEST_MAX_CONCURRENT_PER_BOARD); try again later`,
    { 'Retry-After': String(retryAfterSeconds) },
  );
}
