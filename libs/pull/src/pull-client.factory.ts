import type { PullClient, PullSource } from '#domain';
import { MagisterPullClient } from './magister.pull-client.js';
import { SomtodayPullClient } from './somtoday.pull-client.js';
import { type PullHttpOptions, SourceHttp } from './source-http.js';

/** The HTTP pull client of a source's system. One client per source keeps its token between runs. */
export function createPullClient(source: PullSource, options: PullHttpOptions): PullClient {
  const http = new SourceHttp(source, options);
  switch (source.system) {
    case 'somtoday':
      return new SomtodayPullClient(source, http);
    case 'magister':
      return new MagisterPullClient(source, http);
  }
}
