/** The log calls the brokers make (pino-compatible: structured object first, message second). */
export interface BrokerLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/** Discards everything; the default when no logger is given. */
export const silentBrokerLogger: BrokerLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * What is safe to log about a failure: the error's name and, for a DomainError, its code and whether it is
 * retryable. Never the message or stack of foreign errors, which may quote personal data.
 */
export function describeError(error: unknown): { name: string; code?: string; retryable?: boolean } {
  if (error instanceof Error) {
    const withCode = error as Error & { code?: unknown; retryable?: unknown };
    return {
      name: error.name,
      ...(typeof withCode.code === 'string' || typeof withCode.code === 'number'
        ? { code: String(withCode.code) }
        : {}),
      ...(typeof withCode.retryable === 'boolean' ? { retryable: withCode.retryable } : {}),
    };
  }
  return { name: typeof error };
}
