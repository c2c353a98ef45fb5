import type { PullClient, PullPage, PullSource, PullWindow } from '#domain';
import { PullError } from '#domain';
import { jsonObject } from './json-peek.js';
import type { SourceHttp } from './source-http.js';
import { PULL_ERRORS } from './pull-error-codes.js';

/** Safety stop: a server that ignores paging must not keep a run going forever. */
const MAX_PAGES_PER_LIST = 10_000;

/**
 * The Magister app API per pupil: `/api/personen/{id}/absenties?van=&tot=` and, when configured,
 * `/api/personen/{id}/afspraken?van=&tot=`. Envelope `{ Items, TotalCount, Links }`. Paging (UNCONFIRMED,
 * so both are followed): a `Links` entry with `Rel: "next"` wins; otherwise `skip`/`top` query parameters
 * until `TotalCount` items were read or a page comes back short.
 */
export class MagisterPullClient implements PullClient {
  constructor(
    private readonly source: PullSource,
    private readonly http: SourceHttp,
  ) {}

  async *pages(window: PullWindow, signal?: AbortSignal): AsyncIterable<PullPage> {
    const pupils = this.source.pupils.length > 0 ? this.source.pupils : await this.listPupils(signal);
    for (const pupil of pupils) {
      const base = `/api/personen/${encodeURIComponent(pupil)}`;
      if (this.source.timetable) {
        for await (const body of this.list(`${base}/afspraken`, window, signal)) {
          yield { payload: body, pupilId: pupil, kind: 'lessons', resource: 'afspraken' };
        }
      }
      for await (const body of this.list(`${base}/absenties`, window, signal)) {
        yield { payload: body, pupilId: pupil, kind: 'records', resource: 'absenties' };
      }
    }
  }

  /** The person ids of `pupilsPath` (`{ Items: [{ Id }] }`), paged like every list. */
  private async listPupils(signal?: AbortSignal): Promise<string[]> {
    if (this.source.pupilsPath === null) return [];
    const ids: string[] = [];
    for await (const body of this.list(this.source.pupilsPath, null, signal)) {
      const items = jsonObject(body)?.['Items'];
      if (!Array.isArray(items)) {
        throw new PullError(
          PULL_ERRORS.PULL_PUPILS_INVALID,
          'The pupil list is not a Magister envelope with Items',
          false,
        );
      }
      for (const item of items) {
        const id =
          typeof item === 'object' && item !== null ? (item as Record<string, unknown>)['Id'] : undefined;
        if (
          (typeof id === 'number' && Number.isInteger(id) && id > 0) ||
          (typeof id === 'string' && id.trim() !== '')
        ) {
          ids.push(String(id).trim());
        } else {
          throw new PullError(PULL_ERRORS.PULL_PUPILS_INVALID, 'A pupil in the pupil list has no Id', false);
        }
      }
    }
    return ids;
  }

  private async *list(path: string, window: PullWindow | null, signal?: AbortSignal): AsyncIterable<string> {
    const top = this.source.pageSize;
    let read = 0;
    let url: URL | null = this.pageUrl(path, window, 0, top);
    for (let pages = 0; url !== null; pages++) {
      if (pages >= MAX_PAGES_PER_LIST) {
        throw new PullError(
          PULL_ERRORS.PULL_PAGING_INVALID,
          `more than ${MAX_PAGES_PER_LIST} pages in one list`,
          false,
        );
      }
      const page = await this.http.get(url, {}, signal);
      yield page.body;
      const envelope = jsonObject(page.body);
      const items = envelope?.['Items'];
      // Not an envelope: the adapter quarantines the page; there is nothing to page on.
      if (envelope === null || !Array.isArray(items)) return;
      read += items.length;
      const next = nextLink(envelope['Links']);
      if (next !== null) {
        url = new URL(next, `${this.source.baseUrl}/`);
        if (url.origin !== new URL(this.source.baseUrl).origin) {
          throw new PullError(PULL_ERRORS.PULL_PAGING_INVALID, 'A next link points to another host', false);
        }
        continue;
      }
      const total = envelope['TotalCount'];
      const done =
        items.length === 0 ||
        // More than asked for: the server ignores skip/top and sent everything at once.
        items.length > top ||
        (typeof total === 'number' ? read >= total : items.length < top);
      url = done ? null : this.pageUrl(path, window, read, top);
    }
  }

  private pageUrl(path: string, window: PullWindow | null, skip: number, top: number): URL {
    const url = new URL(`${this.source.baseUrl}${path}`);
    if (window !== null) {
      url.searchParams.set(this.source.windowParams.from, window.from);
      url.searchParams.set(this.source.windowParams.to, window.to);
    }
    url.searchParams.set('skip', String(skip));
    url.searchParams.set('top', String(top));
    return url;
  }
}

function nextLink(links: unknown): string | null {
  if (!Array.isArray(links)) return null;
  for (const link of links) {
    if (typeof link !== 'object' || link === null) continue;
    const record = link as Record<string, unknown>;
    const rel = record['Rel'] ?? record['rel'];
    const href = record['Href'] ?? record['href'];
    if (typeof rel === 'string' && rel.toLowerCase() === 'next' && typeof href === 'string' && href !== '')
      return href;
  }
  return null;
}
