import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type PullSource, Secret } from '#domain';

/** The shared example payloads (`../shared/fixtures/source-systems/` beside the checkout). */
const SHARED = new URL('../../../../../shared/fixtures/source-systems/', import.meta.url);

/** One programmed misbehaviour, used up by the next request whose path starts with the injected prefix. */
export type FakeFault =
  | { readonly status: 403 | 404 | 500 | 502 | 503 | 504 }
  | { readonly status: 429; readonly retryAfterSeconds: number }
  /** Every token issued so far stops working: the request gets 401 and needs a fresh token. */
  | { readonly revokeTokens: true }
  /** Answer only after this long (past the client's timeout). */
  | { readonly delayMs: number }
  /** Answer 200 with this body instead of the list (e.g. an HTML error page). */
  | { readonly body: string; readonly contentType?: string };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  readonly accept: string | undefined;
  readonly range: string | undefined;
  /** What the server answered. */
  status: number;
  /** The body sent back (for pages: exactly what the client got). */
  body: string;
}

export interface FakeSchoolApiOptions {
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly tokenLifetimeSeconds?: number;
  /** SOMtoday lists hold the fixture's items this many times over (fresh ids per copy). Default 1. */
  readonly somtodayRepeat?: number;
  /** Magister absenties per pupil hold the fixture's items this many times over. Default 1. */
  readonly magisterRepeat?: number;
  /** Magister paging: `skip`/`top` with `TotalCount` (default), or `Links` with `Rel: "next"` as well. */
  readonly magisterPaging?: 'skip-top' | 'links';
  /** The pupils of `/api/leerlingen`. */
  readonly magisterPupils?: readonly number[];
}

export interface FakeSchoolApi {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Token requests that were granted. */
  readonly tokensIssued: () => number;
  /** Queues faults for the next requests whose path starts with `pathPrefix`. */
  inject(pathPrefix: string, ...faults: FakeFault[]): void;
  /** The requests to paths starting with `pathPrefix`. */
  requestsTo(pathPrefix: string): RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A local stand-in for the SOMtoday and Magister APIs on node:http, serving the shared example payloads:
 * SOMtoday `POST /oauth2/token`, `GET /rest/v1/absentiemeldingen` and `/rest/v1/waarnemingen` (paged with
 * `Range: items=a-b` → `206` + `Content-Range: items a-b/total`; XML unless `Accept: application/json`);
 * Magister `POST /connect/token`, `GET /api/leerlingen`, `/api/personen/{id}/absenties` and `/afspraken`
 * (envelope `{ Items, TotalCount, Links }`, `skip`/`top`). Every API call needs a bearer token it issued.
 */
export async function startFakeSchoolApi(options: FakeSchoolApiOptions = {}): Promise<FakeSchoolApi> {
  const clientId = options.clientId ?? 'ketenpoort';
  const clientSecret = options.clientSecret ?? 'fake-secret';
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const somtoday = {
    absentiemeldingen: repeatSomtoday(
      fixture('somtoday-absentiemeldingen.json'),
      options.somtodayRepeat ?? 1,
    ),
    waarnemingen: repeatSomtoday(fixture('somtoday-waarnemingen.json'), options.somtodayRepeat ?? 1),
  };
  const magisterAbsences = fixture('magister-absenties.json');
  const magisterTimetable = fixture('magister-afspraken.json');
  const pupils = options.magisterPupils ?? [4216, 4217];

  const requests: RecordedRequest[] = [];
  const faults: { prefix: string; fault: FakeFault }[] = [];
  const validTokens = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let issued = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readRequest(req);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      accept: req.headers.accept,
      range: req.headers.range,
      status: 0,
      body: '',
    };
    requests.push(recorded);
    const send = (status: number, text: string, headers: Record<string, string> = {}): void => {
      recorded.status = status;
      recorded.body = text;
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(text);
    };

    const index = faults.findIndex((f) => url.pathname.startsWith(f.prefix));
    const fault = index >= 0 ? faults.splice(index, 1)[0].fault : null;
    if (fault && 'delayMs' in fault) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, fault.delayMs);
        timers.add(timer);
      });
    } else if (fault && 'revokeTokens' in fault) {
      validTokens.clear();
    } else if (fault && 'status' in fault) {
      const headers: Record<string, string> =
        fault.status === 429 ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      return send(fault.status, JSON.stringify({ error: `fault ${fault.status}` }), headers);
    } else if (fault && 'body' in fault) {
      return send(200, fault.body, { 'content-type': fault.contentType ?? 'text/html' });
    }

    if (req.method === 'POST' && (url.pathname === '/oauth2/token' || url.pathname === '/connect/token')) {
      const form = new URLSearchParams(body);
      if (
        form.get('grant_type') !== 'client_credentials' ||
        form.get('client_id') !== clientId ||
        form.get('client_secret') !== clientSecret
      ) {
        return send(401, JSON.stringify({ error: 'invalid_client' }));
      }
      issued += 1;
      const token = `fake-token-${issued}`;
      validTokens.add(token);
      return send(200, JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: lifetime }));
    }
    if (req.method !== 'GET') return send(405, '{}');
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined || !validTokens.has(token)) {
      return send(401, JSON.stringify({ error: 'invalid_token' }), { 'www-authenticate': 'Bearer' });
    }

    const somtodayList = /^\/rest\/v1\/(absentiemeldingen|waarnemingen)$/.exec(url.pathname);
    if (somtodayList) {
      if (!(req.headers.accept ?? '').includes('application/json')) {
        // SOMtoday answers XML unless asked for JSON.
        return send(200, '<?xml version="1.0"?><items/>', { 'content-type': 'application/xml' });
      }
      const items = somtoday[somtodayList[1] as keyof typeof somtoday];
      const range = /^items=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      const first = range ? Number(range[1]) : 0;
      const last = Math.min(range ? Number(range[2]) : 99, items.length - 1);
      if (first >= items.length) {
        return send(416, '{}', { 'content-range': `items */${items.length}` });
      }
      return send(206, JSON.stringify({ items: items.slice(first, last + 1) }), {
        'content-range': `items ${first}-${last}/${items.length}`,
      });
    }

    if (url.pathname === '/api/leerlingen') {
      return sendEnvelope(
        url,
        pupils.map((id) => ({ Id: id })),
        send,
        options.magisterPaging,
      );
    }
    const magisterList = /^\/api\/personen\/(\d+)\/(absenties|afspraken)$/.exec(url.pathname);
    if (magisterList) {
      const pupil = Number(magisterList[1]);
      const items =
        magisterList[2] === 'absenties'
          ? repeatMagister(magisterAbsences, options.magisterRepeat ?? 1, pupil)
          : (magisterTimetable['Items'] as unknown[]);
      return sendEnvelope(url, items, send, options.magisterPaging);
    }
    return send(404, JSON.stringify({ error: 'not found' }));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    tokensIssued: () => issued,
    inject(prefix, ...more) {
      for (const fault of more) faults.push({ prefix, fault });
    },
    requestsTo(prefix) {
      return requests.filter((r) => r.path.startsWith(prefix));
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendEnvelope(
  url: URL,
  items: readonly unknown[],
  send: (status: number, text: string) => void,
  paging: 'skip-top' | 'links' | undefined,
): void {
  const skip = Number(url.searchParams.get('skip') ?? '0');
  const top = Number(url.searchParams.get('top') ?? String(items.length || 1));
  const page = items.slice(skip, skip + top);
  const links: { Rel: string; Href: string }[] = [];
  if (paging === 'links' && skip + top < items.length) {
    const next = new URL(url.toString());
    next.searchParams.set('skip', String(skip + top));
    links.push({ Rel: 'next', Href: `${next.pathname}${next.search}` });
  }
  send(200, JSON.stringify({ Items: page, TotalCount: items.length, Links: links }));
}

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, SHARED), 'utf8')) as Record<string, unknown>;
}

/** The fixture's items `times` over; each copy gets fresh `links[0].id`s so records stay distinct. */
function repeatSomtoday(document: Record<string, unknown>, times: number): unknown[] {
  const items = document['items'] as Record<string, unknown>[];
  const out: unknown[] = [];
  for (let copy = 0; copy < times; copy++) {
    for (const item of items) {
      const clone = structuredClone(item);
      const link = (clone['links'] as { id: number; href: string }[])[0];
      link.id += copy * 1_000;
      link.href = link.href.replace(/\d+$/, String(link.id));
      out.push(clone);
    }
  }
  return out;
}

/** The absences fixture `times` over for one pupil, with ids unique per pupil and copy. */
function repeatMagister(document: Record<string, unknown>, times: number, pupil: number): unknown[] {
  const items = document['Items'] as Record<string, unknown>[];
  const out: unknown[] = [];
  for (let copy = 0; copy < times; copy++) {
    for (const item of items) {
      const clone = structuredClone(item);
      clone['Id'] = (clone['Id'] as number) + copy * 10_000 + pupil * 1_000_000;
      out.push(clone);
    }
  }
  return out;
}

async function readRequest(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A pull source pointed at the fake server: SOMtoday (Range paging, 2 items a page) or Magister (pupils 4216 and
 * 4217), short time-outs and back-offs so the fault tests run fast. `overrides` win.
 */
export function fakeApiSource(api: FakeSchoolApi, overrides: Partial<PullSource> = {}): PullSource {
  const system = overrides.system ?? 'somtoday';
  return {
    name: `${system}-99xx`,
    system,
    board: 'B1',
    school: '99XX',
    baseUrl: api.url,
    tokenUrl: `${api.url}${system === 'somtoday' ? '/oauth2/token' : '/connect/token'}`,
    clientId: 'ketenpoort',
    clientSecret: new Secret('fake-secret'),
    scope: null,
    intervalMs: 60_000,
    windowDays: 14,
    pupils: system === 'magister' ? ['4216', '4217'] : [],
    pupilsPath: null,
    resources: ['absentiemeldingen'],
    timetable: false,
    pageSize: 2,
    timeoutMs: 2_000,
    retries: 3,
    minBackoffMs: 10,
    maxBackoffMs: 2_000,
    maxPageBytes: 1024 * 1024,
    windowParams:
      system === 'somtoday' ? { from: 'begindatum', to: 'einddatum' } : { from: 'van', to: 'tot' },
    ...overrides,
  };
}
