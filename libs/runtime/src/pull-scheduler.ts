import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { IngestPayloadUseCase, PullSourceUseCase } from '#application';
import { loadPullSources, processEnv } from '#config';
import type { Clock, PullClient, PullClientFactory, PullRunResult, PullSource } from '#domain';
import { createPullClient } from '#pull';
import { TypeOrmPupilDirectory } from '#persistence';
import { adapterFor } from './adapter-registry.js';
import type { Infrastructure } from './infrastructure.js';
import { safeError } from './logger.js';

export interface PullSchedulerOptions {
  readonly sources: readonly PullSource[];
  readonly useCase: Pick<PullSourceUseCase, 'execute'>;
  readonly clientFor: PullClientFactory;
  readonly logger: Logger;
  /** Run every source once right at start, then every interval (default true). */
  readonly runAtStart?: boolean;
  /** How many results per source `status()` keeps (default 20). */
  readonly keepResults?: number;
  /** Told about every finished run (the CLI prints it). */
  readonly onResult?: (result: PullRunResult) => void;
}

export interface PullSourceStatus {
  readonly source: string;
  readonly system: string;
  readonly board: string;
  readonly school: string;
  readonly intervalMs: number;
  readonly running: boolean;
  /** Ticks that found the previous run still busy and were skipped. */
  readonly skippedTicks: number;
  /** Newest first. */
  readonly results: readonly PullRunResult[];
}

interface Slot {
  readonly source: PullSource;
  readonly client: PullClient;
  timer: NodeJS.Timeout | null;
  running: Promise<PullRunResult> | null;
  abort: AbortController | null;
  skippedTicks: number;
  results: PullRunResult[];
}

/**
 * Runs each configured pull source every interval: one timer per source (unref'd, so it never keeps a process
 * alive), never two runs of the same source at once (a tick during a run is skipped), and on `stop()` the
 * timers end, running pulls are aborted between requests and awaited. The last results stay in memory for
 * `GET /v1/pull/status`. No sources: nothing happens.
 */
export class PullScheduler {
  private readonly slots: Slot[];
  private started = false;

  constructor(private readonly options: PullSchedulerOptions) {
    this.slots = options.sources.map((source) => ({
      source,
      client: options.clientFor(source),
      timer: null,
      running: null,
      abort: null,
      skippedTicks: 0,
      results: [],
    }));
  }

  get sourceCount(): number {
    return this.slots.length;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const slot of this.slots) {
      slot.timer = setInterval(() => this.tick(slot), slot.source.intervalMs);
      slot.timer.unref();
      if (this.options.runAtStart ?? true) this.tick(slot);
    }
    if (this.slots.length > 0) {
      this.options.logger.info(
        { sources: this.slots.map((s) => ({ source: s.source.name, intervalMs: s.source.intervalMs })) },
        'pull scheduler started',
      );
    }
  }

  /** Runs one source now, or joins its run in progress (never a second run at once). */
  runNow(name: string): Promise<PullRunResult> {
    const slot = this.slots.find((s) => s.source.name === name);
    if (!slot) return Promise.reject(new Error(`unknown pull source ${name}`));
    return slot.running ?? this.run(slot);
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const slot of this.slots) {
      if (slot.timer) clearInterval(slot.timer);
      slot.timer = null;
      slot.abort?.abort();
    }
    await Promise.allSettled(this.slots.flatMap((slot) => (slot.running ? [slot.running] : [])));
  }

  status(): PullSourceStatus[] {
    return this.slots.map((slot) => ({
      source: slot.source.name,
      system: slot.source.system,
      board: slot.source.board,
      school: slot.source.school,
      intervalMs: slot.source.intervalMs,
      running: slot.running !== null,
      skippedTicks: slot.skippedTicks,
      results: [...slot.results],
    }));
  }

  private tick(slot: Slot): void {
    if (!this.started) return;
    if (slot.running) {
      slot.skippedTicks += 1;
      this.options.logger.warn({ source: slot.source.name }, 'pull still running; this interval is skipped');
      return;
    }
    void this.run(slot);
  }

  private run(slot: Slot): Promise<PullRunResult> {
    const abort = new AbortController();
    slot.abort = abort;
    const logger = this.options.logger;
    slot.running = this.options.useCase
      .execute({
        source: slot.source,
        client: slot.client,
        signal: abort.signal,
        onUnexpectedError: (error) =>
          logger.error({ source: slot.source.name, err: safeError(error) }, 'pull failed unexpectedly'),
      })
      .then((result) => {
        slot.results.unshift(result);
        slot.results.length = Math.min(slot.results.length, this.options.keepResults ?? 20);
        // Counts and codes only: the result holds no personal data.
        const { batchIds: _batchIds, ...summary } = result;
        if (result.ok) logger.info({ pull: summary }, 'pull finished');
        else logger.warn({ pull: summary }, 'pull finished with errors');
        this.options.onResult?.(result);
        return result;
      })
      .finally(() => {
        slot.running = null;
        slot.abort = null;
      });
    return slot.running;
  }
}

/** The pull HTTP clients with their retries and token fetches logged (codes and statuses, never secrets). */
export function pullClientFactory(clock: Clock, logger: Logger): PullClientFactory {
  return (source) =>
    createPullClient(source, {
      clock,
      onEvent: (event) => logger.debug({ pullEvent: event }, 'pull http'),
    });
}

/** The ingest path the pull shares with `POST /v1/ingest/{system}`. */
export function pullSourceUseCase(
  infra: Pick<Infrastructure, 'batches' | 'mappings' | 'clock' | 'timetables' | 'dataSource'>,
): PullSourceUseCase {
  // With the school's stored bell schedule, exactly as POST /v1/ingest/{system} ingests.
  const ingest = new IngestPayloadUseCase(
    infra.batches,
    infra.mappings,
    adapterFor,
    infra.clock,
    randomUUID,
    infra.timetables,
    new TypeOrmPupilDirectory(infra.dataSource),
  );
  return new PullSourceUseCase(ingest, infra.clock);
}

/**
 * The scheduler for the sources in `PULL_SOURCES_FILE` (validated here: a bad file fails start-up with a
 * ConfigurationError). Not started: the caller starts and stops it.
 */
export function createPullScheduler(
  infra: Pick<
    Infrastructure,
    'batches' | 'mappings' | 'clock' | 'logger' | 'settings' | 'timetables' | 'dataSource'
  >,
): PullScheduler {
  const logger = infra.logger.child({ component: 'pull' });
  return new PullScheduler({
    sources: loadPullSources(infra.settings.pullSourcesFile, processEnv()),
    useCase: pullSourceUseCase(infra),
    clientFor: pullClientFactory(infra.clock, logger),
    logger,
  });
}
