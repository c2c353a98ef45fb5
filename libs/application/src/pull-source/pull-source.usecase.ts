import {
  type Actor,
  type Clock,
  type PullClient,
  type PullRunError,
  type PullRunResult,
  type PullSource,
  type PullWindow,
  isDomainError,
} from '#domain';
import { PageLinks, localDateOf } from '#normalisation';
import type { IngestPayloadCommand, IngestResult } from '../ingest-payload/index.js';
import { PULL_SOURCE_ERRORS } from './pull-source-error-codes.js';

/** The one ingest path every way in shares (`POST /v1/ingest/{system}`, the CLI, the pull). */
export interface IngestPort {
  execute(command: IngestPayloadCommand): Promise<IngestResult>;
}

export interface PullSourceCommand {
  readonly source: PullSource;
  readonly client: PullClient;
  /** Stops the run between requests (shutdown). */
  readonly signal?: AbortSignal;
  /** Told about a failure that is not a coded DomainError (for the log; the result keeps only a code). */
  readonly onUnexpectedError?: (error: unknown) => void;
}

/**
 * Pulls one source's pages and ingests each one as the source's integration client, through the same use case
 * as `POST /v1/ingest/{system}`; teacher checks are linked to reports across the run's pages (`PageLinks`). A page the adapter cannot read is quarantined there (nothing lost) and counted.
 * A failure of the school system ends the run with a coded error; what was ingested before it stays.
 */
export class PullSourceUseCase {
  constructor(
    private readonly ingest: IngestPort,
    private readonly clock: Clock,
  ) {}

  async execute(command: PullSourceCommand): Promise<PullRunResult> {
    const { source } = command;
    const startedAt = this.clock.now();
    const window = pullWindow(startedAt, source.windowDays);
    const actor = pullActor(source);
    const errors: PullRunError[] = [];
    const batchIds: string[] = [];
    let pages = 0;
    let records = 0;
    let quarantined = 0;
    // Each page is a batch of its own: teacher checks and the reports that explain them are linked across the
    // run's pages (a check stored before its report came is stored again, linked, with the report's page).
    const links = new PageLinks();
    try {
      for await (const page of command.client.pages(window, command.signal)) {
        pages += 1;
        if (page.payload.trim() === '') {
          errors.push({
            code: PULL_SOURCE_ERRORS.PULL_EMPTY_PAGE,
            message: `${page.resource}: an empty response page`,
            retryable: true,
          });
          continue;
        }
        const result = await this.ingest.execute({
          actor,
          system: source.system,
          school: source.school,
          payload: page.payload,
          pupil: page.pupilId,
          links,
        });
        batchIds.push(result.batchId);
        records += result.recordCount;
        quarantined += result.quarantinedCount;
      }
    } catch (error) {
      if (!isDomainError(error)) command.onUnexpectedError?.(error);
      errors.push(runError(error));
    }
    return {
      source: source.name,
      system: source.system,
      window,
      ok: errors.length === 0,
      pages,
      records,
      quarantined,
      errors,
      batchIds,
      startedAt: startedAt.toISOString(),
      finishedAt: this.clock.now().toISOString(),
    };
  }
}

/** The pull writes as the source's integration client: its board, its school, its system, nothing else. */
export function pullActor(source: PullSource): Actor {
  return {
    role: 'integration_client',
    subject: `pull:${source.name}`,
    board: source.board,
    school: source.school,
    system: source.system,
  };
}

/** From `windowDays` school-local days before today up to and including today (Europe/Amsterdam). */
export function pullWindow(now: Date, windowDays: number): PullWindow {
  const to = localDateOf(now.toISOString());
  if (to === null) throw new RangeError('clock outside the supported range');
  const day = Date.parse(`${to}T00:00:00Z`) - windowDays * 86_400_000;
  return { from: new Date(day).toISOString().slice(0, 10), to };
}

function runError(error: unknown): PullRunError {
  if (isDomainError(error)) return { code: error.code, message: error.message, retryable: error.retryable };
  // Unknown failures (a database that went away) keep their text out of the result: it may quote data.
  return { code: PULL_SOURCE_ERRORS.PULL_FAILED, message: 'The pull failed unexpectedly', retryable: true };
}
