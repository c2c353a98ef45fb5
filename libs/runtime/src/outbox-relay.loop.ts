import type { Logger } from 'pino';
import { RelayOutboxUseCase } from '#application';
import type { Clock, MessagePublisher, OutboxStore } from '#domain';

export interface RelayLoopOptions {
  readonly relayId: string;
  readonly batchSize: number;
  readonly leaseMs: number;
  readonly pollIntervalMs: number;
}

/** Runs the outbox relay on a timer; backs off while the broker is unreachable. */
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

  /** Runs one drain now (tests, and after a submit to cut latency). */
  async drainNow(): Promise<number> {
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
      await this.relay.drain();
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      this.logger.warn({ err: error, failures: this.failures }, 'outbox relay failed; backing off');
    }
    const backoff = Math.min(this.options.pollIntervalMs * 2 ** this.failures, 10_000);
    this.schedule(this.failures === 0 ? this.options.pollIntervalMs : backoff);
  }
}
