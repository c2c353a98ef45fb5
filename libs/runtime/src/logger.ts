import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import type { Settings } from '#config';

/**
 * Paths that may carry personal data or secrets; pino replaces their values before a line is written.
 * Pupils are referred to by internal pseudonymous ids elsewhere, so these are the only places names,
 * numbers or tokens could leak into logs.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.bsn',
  '*.*.bsn',
  '*.onderwijsnummer',
  '*.*.onderwijsnummer',
  '*.name',
  '*.*.name',
  '*.birthDate',
  '*.*.birthDate',
  '*.phone',
  '*.*.phone',
  '*.address',
  '*.email',
  '*.remarks',
  '*.password',
  '*.*.password',
  '*.token',
  '*.privateKey',
  // A sending party's upload (ADR 0014): the PKCS#12 file, its password, a PEM key and its passphrase.
  '*.pkcs12',
  '*.*.pkcs12',
  '*.keyPem',
  '*.*.keyPem',
  '*.keyPassphrase',
  '*.*.keyPassphrase',
  'bsn',
  'name',
  'birthDate',
  'token',
];

export function createLogger(
  settings: Pick<Settings, 'logLevel'>,
  destination?: NodeJS.WritableStream,
): Logger {
  const options = {
    level: settings.logLevel,
    base: { service: 'ketenpoort' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination as never) : pino(options);
}

/** Routes NestJS's own log calls into the same structured pino stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}

/**
 * An error as it may be logged: its type, code and stack frames, never its message. Driver messages
 * quote input ("Key (bsn)=(…) already exists", "invalid input syntax for type uuid: …").
 */
export function safeError(error: unknown): { type: string; code?: string; frames?: string } {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  const frames = error.stack
    ?.split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 8)
    .join('\n');
  return { type: error.name, ...(typeof code === 'string' ? { code } : {}), ...(frames ? { frames } : {}) };
}
