import type { Logger } from 'pino';
import { type DrainResult, RelayOutboxUseCase } from '#application';
import { safeError } from './logger.js';
import type { Clock, MessagePublisher, OutboxStore } from '#domain';

export interface RelayLoopOptions {
  readonly relayId: string;
  readonly batchSize: number;
  readonly leaseMs: number;
  readonly pollIntervalMs: number;
}

/** Runs the outbox relay on a timer; backs off exponentially (to 10 s) while publishing or the database fails. */
export class OutboxRelayLoop {
  private readonly relay: RelayOutboxUseCase;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private failures = 0;

  constructor(
    outbox: OutboxStore,
    publisher: MessagePublisher,
    clock: Clock,
    private readonly logger: Logger,
    private readonly options: RelayLoopOptions,
  ) {
    this.relay = new RelayOutboxUseCase(outbox, publisher, clock, options, logger);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Runs one drain now (tests). */
  async drainNow(): Promise<DrainResult> {
    return this.relay.drain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = null;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      const result = await this.relay.drain();
      this.failures = result.failed ? this.failures + 1 : 0;
    } catch (error) {
      this.failures += 1;
      this.logger.warn(
        { err: safeError(error), failures: this.failures },
        'outbox relay failed; backing off',
      );
    }
    const backoff = Math.min(this.options.pollIntervalMs * 2 ** this.failures, 10_000);
    this.schedule(this.failures === 0 ? this.options.pollIntervalMs : backoff);
  }
}
