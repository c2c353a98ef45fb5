import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { type ErrorIssue, type ErrorKind, RateLimitedError, isDomainError } from '#domain';
import { safeError } from '#runtime';
import { redactPath } from './log-redaction.js';
import { CodedHttpException, contentEncodingInvalid } from './coded-http.exception.js';
import { HTTP_ERRORS } from './http-error-codes.js';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  too_large: 413,
  unprocessable: 422,
  unavailable: 503,
  internal: 500,
};

const HTTP_CODES: Record<number, string> = {
  400: HTTP_ERRORS.BAD_REQUEST,
  401: HTTP_ERRORS.UNAUTHENTICATED,
  403: HTTP_ERRORS.FORBIDDEN,
  404: HTTP_ERRORS.NOT_FOUND,
  405: HTTP_ERRORS.METHOD_NOT_ALLOWED,
  408: HTTP_ERRORS.REQUEST_TIMEOUT,
  413: HTTP_ERRORS.PAYLOAD_TOO_LARGE,
  415: HTTP_ERRORS.UNSUPPORTED_MEDIA_TYPE,
  429: HTTP_ERRORS.TOO_MANY_REQUESTS,
};

/** RFC 9457 problem details: the one place errors become HTTP. Never a stack trace, never input values. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  issues?: ErrorIssue[];
  [extension: string]: unknown;
}

/**
 * The error a body parser threw: Nest wraps what body-parser hands on (http-errors) in a plain HttpException with
 * the original as its cause. Our own coded refusals (the JSON scan, ADR 0013) come back out; a body that did
 * not decompress becomes CONTENT_ENCODING_INVALID.
 */
function unwrap(exception: unknown): unknown {
  if (!(exception instanceof HttpException)) return exception;
  const cause = exception.cause;
  if (cause instanceof CodedHttpException) return cause;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (exception.getStatus() === 400 && typeof code === 'string' && /^Z_|^ERR_BROTLI|^ERR__?ZLIB/.test(code)) {
    return contentEncodingInvalid();
  }
  return exception;
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    const exception = unwrap(thrown);
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception);
    // A path no route matched is not repeated back (it is whatever the caller typed).
    const unmatched = exception instanceof HttpException && problem.status === 404;
    if (!unmatched) problem.instance = request.originalUrl?.split('?')[0];
    if (problem.status >= 500) {
      this.logger.error(
        {
          err: safeError(exception),
          code: problem.code,
          path: redactPath(request.originalUrl?.split('?')[0] ?? ''),
        },
        'request failed',
      );
    }
    if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    if (exception instanceof RateLimitedError) {
      response.setHeader('Retry-After', String(Math.max(1, Math.ceil(exception.retryAfterSeconds))));
    }
    if (exception instanceof CodedHttpException) {
      for (const [name, value] of Object.entries(exception.headers)) response.setHeader(name, value);
    }
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): Problem {
    if (isDomainError(exception)) {
      const status = STATUS_BY_KIND[exception.kind];
      return {
        ...exception.extensions,
        type: `https://ketenpoort.nl/problems/${exception.code.toLowerCase().replace(/_/g, '-')}`,
        title: exception.message,
        status,
        code: exception.code,
        ...(exception.issues.length > 0 ? { issues: [...exception.issues] } : {}),
      };
    }
    if (exception instanceof CodedHttpException) {
      const status = exception.getStatus();
      return {
        type: `https://ketenpoort.nl/problems/${exception.code.toLowerCase().replace(/_/g, '-')}`,
        title: exception.message,
        status,
        code: exception.code,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code =
        HTTP_CODES[status] ?? (status >= 500 ? HTTP_ERRORS.INTERNAL_ERROR : HTTP_ERRORS.HTTP_ERROR);
      const detail = this.safeDetail(exception, status);
      return {
        type: `https://ketenpoort.nl/problems/${code.toLowerCase().replace(/_/g, '-')}`,
        title:
          status === 400
            ? 'The request could not be read'
            : status === 404
              ? 'There is nothing at this address'
              : exception.message,
        status,
        code: status === 400 ? HTTP_ERRORS.REQUEST_UNREADABLE : code,
        ...(detail ? { detail } : {}),
      };
    }
    return {
      type: 'https://ketenpoort.nl/problems/internal-error',
      title: 'Internal error',
      status: 500,
      code: HTTP_ERRORS.INTERNAL_ERROR,
    };
  }

  /** Body-parser messages quote the input (e.g. "Unexpected token x in JSON"); keep only our own words. */
  private safeDetail(exception: HttpException, status: number): string | undefined {
    if (status === 400) return 'The body is not valid JSON or is not of the expected shape';
    if (status === 413) return 'The body is larger than this endpoint accepts';
    return undefined;
  }
}
