import type { Logger } from 'pino';
import type { Settings } from '#config';
import type { Clock } from '#domain';
import type { DataSource } from '#persistence';

/** What every part of a ketenpoort process shares; `Infrastructure` extends it (kept apart to avoid import cycles). */
export interface ProcessContext {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly dataSource: DataSource;
}
