import type { Clock, MessagePublisher, OutboxStore } from '#domain';
import { RELAY_OUTBOX_ERRORS } from './relay-outbox-error-codes.js';

export interface OutboxRelayOptions {
  readonly relayId: string;
  readonly batchSize: number;
  readonly leaseMs: number;
}

export interface DrainResult {
  readonly published: number;
  readonly claimed: number;
  /** A publish failed (broker down or refusing); the caller should back off before the next drain. */
  readonly failed: boolean;
}

export interface RelayLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Publishes outbox rows to the broker. A row is marked published only after the broker confirmed it;
 * a crash in between re-publishes it after the lease, which idempotent consumers absorb (at-least-once).
 */
export class RelayOutboxUseCase {
  constructor(
    private readonly outbox: OutboxStore,
    private readonly publisher: MessagePublisher,
    private readonly clock: Clock,
    private readonly options: OutboxRelayOptions,
    private readonly logger?: RelayLogger,
  ) {}

  /** Publishes one claimed batch of rows. `failed`: a publish failed and the remaining rows were released. */
  async drainOnce(): Promise<DrainResult> {
    const rows = await this.outbox.claim(this.options.relayId, this.options.batchSize, this.options.leaseMs);
    const published: string[] = [];
    let failed = false;
    try {
      for (const row of rows) {
        // In order: stop at the first failure so later events never overtake earlier ones.
        await this.publisher.publish(row.envelope);
        published.push(row.id);
      }
    } catch (error) {
      failed = true;
      const rest = rows.map((r) => r.id).filter((id) => !published.includes(id));
      const code = (error as { code?: string }).code ?? RELAY_OUTBOX_ERRORS.PUBLISH_FAILED;
      this.logger?.warn({ code, pending: rest.length }, 'outbox publish failed; will retry');
      await this.outbox.release(rest, code);
    } finally {
      await this.outbox.markPublished(published, this.clock.now());
    }
    return { published: published.length, failed, claimed: rows.length };
  }

  /** Drains until the outbox is empty or a publish fails. */
  async drain(): Promise<DrainResult> {
    let published = 0;
    let claimed = 0;
    for (;;) {
      const result = await this.drainOnce();
      published += result.published;
      claimed += result.claimed;
      if (result.failed || result.claimed < this.options.batchSize) {
        return { published, claimed, failed: result.failed };
      }
    }
  }
}
