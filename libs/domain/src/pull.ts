import { DomainError } from './errors.js';

/** The school systems ketenpoort can pull from over HTTP (the others arrive by push or file). */
export const PULL_SYSTEMS = ['somtoday', 'magister'] as const;
export type PullSystem = (typeof PULL_SYSTEMS)[number];

/**
 * A secret read from the environment (an OAuth2 client secret). It prints as `[secret]` in logs, JSON and
 * string templates; only the HTTP client calls `reveal()`, when it asks for a token.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[secret]';
  }
  toJSON(): string {
    return '[secret]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[secret]';
  }
}

/** One configured school-system API ketenpoort pulls from on a schedule (validated by `#config`). */
export interface PullSource {
  /** Unique name of the source in the configuration, e.g. `somtoday-99xx`. */
  readonly name: string;
  readonly system: PullSystem;
  /** The school board and school (BRIN) the records belong to: the pull acts as their integration client. */
  readonly board: string;
  readonly school: string;
  /** API root, e.g. `https://api.somtoday.nl` (SOMtoday) or `https://school.magister.net` (Magister). */
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: Secret;
  readonly scope: string | null;
  /** How often the scheduler runs this source. */
  readonly intervalMs: number;
  /** The date window of each run: from `windowDays` days before today up to and including today. */
  readonly windowDays: number;
  /** Magister: the person ids to fetch (`/api/personen/{id}/…`). */
  readonly pupils: readonly string[];
  /** Magister: a path listing the pupils (`{ Items: [{ Id }] }`), fetched when `pupils` is empty. */
  readonly pupilsPath: string | null;
  /** SOMtoday: which lists to fetch. */
  readonly resources: readonly string[];
  /** Magister: also fetch each pupil's timetable (`afspraken`). */
  readonly timetable: boolean;
  /** Items per page (SOMtoday `Range: items=0-99`, Magister `top`). */
  readonly pageSize: number;
  /** Per request, headers and body together. */
  readonly timeoutMs: number;
  /** Retries after the first attempt, for network errors, timeouts, 429, 502, 503, 504. */
  readonly retries: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  /** A response body larger than this fails the run (`PULL_PAGE_TOO_LARGE`) instead of filling memory. */
  readonly maxPageBytes: number;
  /**
   * Query parameter names of the date window. UNCONFIRMED for SOMtoday (default `begindatum`/`einddatum`);
   * Magister's app API uses `van`/`tot`.
   */
  readonly windowParams: { readonly from: string; readonly to: string };
}

/** The school-local dates a run asks for, inclusive, `YYYY-MM-DD`. */
export interface PullWindow {
  readonly from: string;
  readonly to: string;
}

/** One raw response page, handed unchanged to the same ingest path as `POST /v1/ingest/{system}`. */
export interface PullPage {
  readonly payload: string;
  /** The pupil id the URL named (Magister `/api/personen/{id}/…`); the payload itself does not say it. */
  readonly pupilId?: string;
  readonly kind: 'records' | 'lessons';
  /** Which list the page came from (`absentiemeldingen`, `absenties`, `afspraken`), for run statistics. */
  readonly resource: string;
}

/** Reads one source's pages. Implementations do the HTTP, tokens, paging and retries. */
export interface PullClient {
  pages(window: PullWindow, signal?: AbortSignal): AsyncIterable<PullPage>;
}

export type PullClientFactory = (source: PullSource) => PullClient;

/** What one run of one source did. Counts only: no personal data. */
export interface PullRunResult {
  readonly source: string;
  readonly system: PullSystem;
  readonly window: PullWindow;
  readonly ok: boolean;
  readonly pages: number;
  readonly records: number;
  readonly quarantined: number;
  readonly errors: readonly PullRunError[];
  readonly batchIds: readonly string[];
  readonly startedAt: string;
  readonly finishedAt: string;
}

export interface PullRunError {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

/** A failure talking to a school system's API. `retryable: false` for permanent answers (403, 404, 400). */
export class PullError extends DomainError {
  constructor(
    code: string,
    message: string,
    retryable: boolean,
    /** The HTTP status when there was one. */
    readonly status: number | null = null,
    /** The wait the server asked for (`Retry-After`), in milliseconds. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(code, retryable ? 'unavailable' : 'internal', message, [], retryable);
    this.name = 'PullError';
  }
}
