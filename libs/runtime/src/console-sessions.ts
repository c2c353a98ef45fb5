import type { ConsoleSessionStore } from '#domain';
import { TypeOrmConsoleSessionStore } from '#persistence';
import type { ProcessContext } from './process-context.js';

/** The console's session store over the opened database (ADR 0016). */
export function openConsoleSessionStore(infra: Pick<ProcessContext, 'dataSource'>): ConsoleSessionStore {
  return new TypeOrmConsoleSessionStore(infra.dataSource);
}
