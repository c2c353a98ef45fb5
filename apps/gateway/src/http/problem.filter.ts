import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { type ErrorIssue, type ErrorKind, isDomainError } from '#domain';
import { safeError } from '#runtime';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  unavailable: 503,
  internal: 500,
};

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
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

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception);
    problem.instance = request.originalUrl?.split('?')[0];
    if (problem.status >= 500) {
      this.logger.error(
        { err: safeError(exception), code: problem.code, path: problem.instance },
        'request failed',
      );
    }
    if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
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
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = HTTP_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'HTTP_ERROR');
      const detail = this.safeDetail(exception, status);
      return {
        type: `https://ketenpoort.nl/problems/${code.toLowerCase().replace(/_/g, '-')}`,
        title: status === 400 ? 'The request could not be read' : exception.message,
        status,
        code: status === 400 ? 'REQUEST_UNREADABLE' : code,
        ...(detail ? { detail } : {}),
      };
    }
    return {
      type: 'https://ketenpoort.nl/problems/internal-error',
      title: 'Internal error',
      status: 500,
      code: 'INTERNAL_ERROR',
    };
  }

  /** Body-parser messages quote the input (e.g. "Unexpected token x in JSON"); keep only our own words. */
  private safeDetail(exception: HttpException, status: number): string | undefined {
    if (status === 400) return 'The body is not valid JSON or is not of the expected shape';
    if (status === 413) return 'The body is larger than this endpoint accepts';
    return undefined;
  }
}
