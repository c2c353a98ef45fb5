import type { PullClient, PullPage, PullSource, PullWindow } from '#domain';
import { PullError } from '#domain';
import { countItems } from './json-peek.js';
import type { SourceHttp } from './source-http.js';
import { PULL_ERRORS } from './pull-error-codes.js';

/**
 * SOMtoday REST lists (`/rest/v1/absentiemeldingen`, `/rest/v1/waarnemingen`), paged with the request header
 * `Range: items=<first>-<last>`; the answer says what it holds in `Content-Range: items <first>-<last>/<total>`.
 * Without a Content-Range the page is the last one when it holds fewer items than asked for.
 */
export class SomtodayPullClient implements PullClient {
  constructor(
    private readonly source: PullSource,
    private readonly http: SourceHttp,
  ) {}

  async *pages(window: PullWindow, signal?: AbortSignal): AsyncIterable<PullPage> {
    for (const resource of this.source.resources) {
      yield* this.list(resource, window, signal);
    }
  }

  private async *list(resource: string, window: PullWindow, signal?: AbortSignal): AsyncIterable<PullPage> {
    const size = this.source.pageSize;
    let first = 0;
    for (;;) {
      const url = new URL(`${this.source.baseUrl}/rest/v1/${resource}`);
      url.searchParams.set(this.source.windowParams.from, window.from);
      url.searchParams.set(this.source.windowParams.to, window.to);
      const last = first + size - 1;
      // 416: the range starts past the end of the list (an empty list, or a list that shrank while paging).
      const page = await this.http.get(url, { Range: `items=${first}-${last}` }, signal, [416]);
      if (page.status === 416) return;
      yield { payload: page.body, kind: 'records', resource };
      const range = parseContentRange(page.headers.get('content-range'));
      if (range !== null) {
        if (range.last < first) {
          throw new PullError(
            PULL_ERRORS.PULL_PAGING_INVALID,
            `${resource}: Content-Range goes backwards`,
            false,
          );
        }
        if (range.total !== null && range.last + 1 >= range.total) return;
        if (range.last < last && range.total === null) return;
        first = range.last + 1;
        continue;
      }
      const count = countItems(page.body, 'items');
      // Not JSON (the adapter quarantines it) or a short page: there is no next page to ask for.
      if (count === null || count < size) return;
      first += size;
    }
  }
}

/** `items 0-99/250` (total may be `*`); null when absent or unreadable. */
export function parseContentRange(
  header: string | null,
): { first: number; last: number; total: number | null } | null {
  if (header === null) return null;
  const match = /^\s*items\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(header);
  if (!match) return null;
  const first = Number(match[1]);
  const last = Number(match[2]);
  if (last < first) return null;
  return { first, last, total: match[3] === '*' ? null : Number(match[3]) };
}
