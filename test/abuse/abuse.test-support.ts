import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { type Server, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Infrastructure } from '#runtime';
import { type TestGateway, startTestGateway } from '../../apps/gateway/src/gateway.test-support.js';

/** A gateway listening on a loopback port, for clients that send bodies byte by byte and slowly. */
export interface AbuseGateway {
  readonly gateway: TestGateway;
  readonly infra: Infrastructure;
  readonly port: number;
  /** A school-staff token for a fresh board (or the one given) and that board. */
  staff(board?: string): Promise<{ token: string; board: string }>;
  stop(): Promise<void>;
}

export async function startAbuseGateway(
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<AbuseGateway> {
  const gateway = await startTestGateway({}, extraEnv);
  const server = gateway.app.getHttpServer() as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    gateway,
    infra: gateway.infra,
    port,
    async staff(board = `ABUSE-${randomUUID().slice(0, 8)}`) {
      const token = await gateway.issuer.issue({
        role: 'school_staff',
        sub: 'staff',
        board,
        schools: ['99XX'],
      });
      return { token, board };
    },
    stop: () => gateway.stop(),
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body as JSON when it is JSON, else null. */
  readonly body: Record<string, unknown> | null;
  /** Milliseconds from the request's start to the end of its answer. */
  readonly ms: number;
}

export interface RawRequest {
  readonly method?: string;
  readonly path: string;
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The body, in the pieces it is written in. */
  readonly chunks?: readonly (string | Uint8Array)[];
  /** Pause between two pieces (a slow client). */
  readonly delayMs?: number;
  /** After the pieces, keep the request open (never end it): a client that stalls. */
  readonly stall?: boolean;
  /** Give up (status 0) when no answer came within this many milliseconds. */
  readonly timeoutMs?: number;
}

/**
 * One request through node:http, written piece by piece as a (slow, stalling) client would. Resolves with the
 * answer even when the server answers before the body is complete; status 0 when no answer came in time.
 */
export function send(port: number, options: RawRequest): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: Omit<Answer, 'ms'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...answer, ms: performance.now() - started });
    };
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: options.path,
        method: options.method ?? 'POST',
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          let body: Record<string, unknown> | null;
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            body = null;
          }
          finish({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
        res.on('error', () => finish({ status: 0, headers: {}, text: '', body: null }));
      },
    );
    const timer = setTimeout(
      () => finish({ status: 0, headers: {}, text: 'no answer in time', body: null }),
      options.timeoutMs ?? 30_000,
    );
    // The server may answer and close before the body is written: the answer is what counts.
    req.on('error', () =>
      setTimeout(() => finish({ status: 0, headers: {}, text: 'connection failed', body: null }), 50),
    );
    const chunks = options.chunks ?? [];
    let i = 0;
    const next = (): void => {
      if (settled) return;
      if (i >= chunks.length) {
        if (!options.stall) req.end();
        return;
      }
      const chunk = chunks[i++];
      const go = (): void => {
        if (options.delayMs && i < chunks.length) setTimeout(next, options.delayMs);
        else next();
      };
      if (req.write(chunk)) go();
      else req.once('drain', go);
    };
    next();
  });
}

/** A coded problem+json answer with this status (and code, when given); never a stack trace. */
export function assertProblem(answer: Answer, status: number, code?: string): void {
  assert.equal(
    answer.status,
    status,
    `expected ${status}${code ? ` ${code}` : ''}, got ${answer.status}: ${answer.text.slice(0, 300)}`,
  );
  assert.match(String(answer.headers['content-type']), /^application\/problem\+json/);
  assert.ok(answer.body, 'a JSON problem body');
  assert.equal(answer.body['status'], status);
  if (code !== undefined) assert.equal(answer.body['code'], code);
  assert.equal(typeof answer.body['code'], 'string');
  assert.doesNotMatch(answer.text, /\bat [\w.<>]+ \(|node:internal|\.js:\d+/, 'no stack trace');
}

/** What a board has stored: batches, current records and quarantined items. */
export async function storedOf(
  infra: Infrastructure,
  board: string,
): Promise<{ batches: number; records: number; quarantined: number }> {
  const count = async (table: string): Promise<number> =>
    Number(
      (
        await infra.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table} WHERE board = $1`, [
          board,
        ])
      )[0].n,
    );
  return {
    batches: await count('record_batch'),
    records: await count('canonical_record'),
    quarantined: await count('quarantined_input'),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const REASONS = [
  { absentieSoort: 'Absent', afkorting: 'ON', omschrijving: 'Ongeoorloofd', geoorloofd: false },
  { absentieSoort: 'Absent', afkorting: 'MB', omschrijving: 'Medisch bezoek', geoorloofd: true },
];

/** One SOMtoday absentiemelding in the API's shape; `remark` is its free-text field. */
export function somtodayItem(i: number, remark = 'vrije tekst'): Record<string, unknown> {
  const id = 5_500_000_000 + i;
  const pupil = 3_344_500_000 + (i % 500);
  const day = 2 + (i % 25);
  const date = `2026-03-${String(day).padStart(2, '0')}`;
  const hour = 1 + (i % 8);
  const reason = REASONS[i % REASONS.length];
  const start = `${String(7 + hour).padStart(2, '0')}:30`;
  const end = `${String(8 + hour).padStart(2, '0')}:20`;
  return {
    $type: 'participatie.RAbsentieMelding',
    links: [{ id, rel: 'self', type: 'participatie.RAbsentieMelding', href: `https://x.invalid/a/${id}` }],
    leerling: {
      links: [
        { id: pupil, rel: 'self', type: 'leerling.RLeerlingPrimer', href: `https://x.invalid/l/${pupil}` },
      ],
      leerlingnummer: pupil - 3_344_000_000,
    },
    absentieReden: {
      links: [{ id: 8800, rel: 'self', type: 'participatie.RAbsentieRedenPrimer' }],
      ...reason,
    },
    datumTijdInvoer: `${date}T07:55:00.000+01:00`,
    beginDatumTijd: `${date}T${start}:00.000+01:00`,
    eindDatumTijd: `${date}T${end}:00.000+01:00`,
    beginLesuur: hour,
    eindLesuur: hour,
    afgehandeld: true,
    opmerkingen: remark,
  };
}

/** A SOMtoday payload of these items. */
export function somtodayPayload(items: readonly Record<string, unknown>[]): string {
  return JSON.stringify({ items });
}

/** A text in `count` pieces of about equal size. */
export function pieces(text: string | Uint8Array, count: number): Uint8Array[] {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text);
  const size = Math.ceil(bytes.length / count);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}
