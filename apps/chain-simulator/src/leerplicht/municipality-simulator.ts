import type { IncomingMessage, ServerResponse } from 'node:http';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { type CryptoKey, type JWK, exportJWK, generateKeyPair } from 'jose';
import { CLOSING_EXPLANATIONS, CLOSING_REASONS, type Clock, DomainError, mulberry32 } from '#domain';
import {
  type KeyMaterial,
  type LeerplichtReportV1,
  type SignerKeyLookup,
  decryptAndVerify,
} from '#connector-leerplicht';
import { loadPublishedReportSchema } from './report-schema.js';

/** Statuses the officer can set (absence-law.md §2.3). */
export const OFFICER_STATUSES = ['IN_BEHANDELING', 'AFGESLOTEN', 'TER_KENNISGEVING_AANGENOMEN'] as const;
export type OfficerStatus = (typeof OFFICER_STATUSES)[number];

export interface MunicipalityMisbehaviour {
  /** Share of webhook requests answered 500 (0..1, seeded PRNG). */
  readonly http500: number;
  /** Never answer a webhook request (the socket is held until `timeoutHoldMs`, then closed). */
  readonly timeout: boolean;
  /** Answer webhook requests only after this many milliseconds. */
  readonly slowMs: number;
  /** Refuse every report with 400 (as if it failed validation). */
  readonly validation: boolean;
  /** Send every status callback to the gateway twice. */
  readonly duplicateDelivery: boolean;
}

export interface MunicipalitySimulatorOptions {
  /** CBS codes (or regional body ids) this simulator plays. */
  readonly municipalities: readonly string[];
  /** ketenpoort's signing key (public JWK); or `ketenpoortJwksUrl`. */
  readonly ketenpoortPublicJwk?: JWK;
  /** A JWKS (`{ keys: [...] }`) with ketenpoort's signing keys, looked up by `kid`. */
  readonly ketenpoortJwksUrl?: string;
  /** ketenpoort's gateway, for the inbox poller and status callbacks (no trailing slash needed). */
  readonly gatewayUrl?: string;
  readonly gatewayToken?: string | (() => string);
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  /** Seed of the PRNG behind `http500`. */
  readonly seed?: number;
  readonly misbehaviour?: Partial<MunicipalityMisbehaviour>;
  /** How long a `timeout` request is held before the socket is closed (default 30 s). */
  readonly timeoutHoldMs?: number;
  /** Poll every municipality's inbox at this interval; absent = only on demand (`poll`, admin API). */
  readonly pollIntervalMs?: number;
  /** Automatic status advancement (clock time): RECEIVED → IN_BEHANDELING → AFGESLOTEN. */
  readonly autoAdvance?: {
    readonly inBehandelingAfterMs: number;
    readonly afgeslotenAfterMs: number;
    /** Check at this interval (real time); absent = only when `advance()` is called. */
    readonly intervalMs?: number;
  };
  /** The report JSON Schema; default: config/leerplicht/report.schema.json of this repository. */
  readonly reportSchema?: Record<string, unknown>;
}

export interface ReceivedReport {
  readonly municipality: string;
  readonly reportId: string;
  readonly operation: string;
  readonly idempotencyKey: string;
  readonly reference: string;
  readonly via: 'webhook' | 'inbox';
  readonly receivedAt: string;
  readonly report: LeerplichtReportV1;
  status: 'RECEIVED' | OfficerStatus;
  statusAt: string;
}

export interface MunicipalityStats {
  received: number;
  accepted: number;
  refused: number;
  repeatedMessages: number;
  duplicateRegistrations: number;
  http500: number;
  timeouts: number;
  slow: number;
  validationRefusals: number;
  polls: number;
  pollFailures: number;
  statusCallbacks: number;
  statusCallbackFailures: number;
  duplicateCallbacks: number;
}

export interface StatusUpdate {
  readonly status: OfficerStatus;
  readonly closingReason?: string;
  readonly closingExplanation?: string;
  readonly contact?: string;
}

export interface MunicipalitySimulator {
  /** Webhook: `POST /leerplicht/{code}/reports`. Answers 404 for other paths. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Admin API under `/admin/leerplicht/` (see README). */
  readonly handleAdmin: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  publicJwkOf(code: string): JWK;
  stats(): MunicipalityStats;
  reports(): ReceivedReport[];
  setMisbehaviour(change: Partial<MunicipalityMisbehaviour>): MunicipalityMisbehaviour;
  /** Fetches `GET {gatewayUrl}/v1/leerplicht/{code}/reports?since=…` and takes in every item. */
  poll(code: string): Promise<{ fetched: number; accepted: number }>;
  /** Sets a status and calls the gateway back; resolves with the number of callbacks that succeeded. */
  setStatus(code: string, reportId: string, update: StatusUpdate): Promise<number>;
  /** One round of automatic advancement; resolves with the number of status changes. */
  advance(): Promise<number>;
  close(): Promise<void>;
}

export const NO_MISBEHAVIOUR: MunicipalityMisbehaviour = {
  http500: 0,
  timeout: false,
  slowMs: 0,
  validation: false,
  duplicateDelivery: false,
};

const MAX_BODY = 1_000_000;
const WEBHOOK_PATH = /^\/leerplicht\/([A-Za-z0-9._-]+)\/reports\/?$/;

interface Municipality {
  readonly code: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly byKey: Map<string, ReceivedReport>;
  readonly byOperation: Map<string, string>;
  since: string | null;
  counter: number;
}

type Intake =
  | { readonly ok: true; readonly entry: ReceivedReport; readonly repeated: boolean }
  | { readonly ok: false; readonly code: string; readonly reason: string };

/**
 * A stand-in for municipal leerplicht departments (and regional bodies): takes reports in by webhook or by
 * polling ketenpoort's inbox, decrypts and verifies them, validates them against the published schema, and
 * sends the officer's status back to the gateway. Every municipality gets a throwaway key pair at start.
 */
export async function createMunicipalitySimulator(
  options: MunicipalitySimulatorOptions,
): Promise<MunicipalitySimulator> {
  if (options.ketenpoortPublicJwk === undefined && options.ketenpoortJwksUrl === undefined) {
    throw new Error('createMunicipalitySimulator needs ketenpoortPublicJwk or ketenpoortJwksUrl');
  }
  const clock: Clock = options.clock ?? { now: () => new Date() };
  const doFetch = options.fetch ?? globalThis.fetch;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(options.reportSchema ?? loadPublishedReportSchema());
  const random = mulberry32(options.seed ?? 1);
  let misbehaviour: MunicipalityMisbehaviour = { ...NO_MISBEHAVIOUR, ...options.misbehaviour };
  const timeoutHoldMs = options.timeoutHoldMs ?? 30_000;
  const stats: MunicipalityStats = {
    received: 0,
    accepted: 0,
    refused: 0,
    repeatedMessages: 0,
    duplicateRegistrations: 0,
    http500: 0,
    timeouts: 0,
    slow: 0,
    validationRefusals: 0,
    polls: 0,
    pollFailures: 0,
    statusCallbacks: 0,
    statusCallbackFailures: 0,
    duplicateCallbacks: 0,
  };
  const held = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const municipalities = new Map<string, Municipality>();
  for (const code of options.municipalities) {
    const { privateKey, publicKey } = await generateKeyPair('ECDH-ES+A256KW', {
      crv: 'P-256',
      extractable: true,
    });
    const jwk = await exportJWK(publicKey);
    municipalities.set(code, {
      code,
      privateKey,
      publicJwk: { ...jwk, kid: `${code}-sim`, use: 'enc', alg: 'ECDH-ES+A256KW' },
      byKey: new Map(),
      byOperation: new Map(),
      since: null,
      counter: 0,
    });
  }

  const signer: KeyMaterial | SignerKeyLookup =
    options.ketenpoortPublicJwk ?? jwksLookup(options.ketenpoortJwksUrl!, doFetch);

  async function intake(
    m: Municipality,
    jwe: string,
    headerKey: string | null,
    via: 'webhook' | 'inbox',
  ): Promise<Intake> {
    stats.received += 1;
    let verified;
    try {
      verified = await decryptAndVerify(jwe, m.privateKey, signer);
    } catch (error) {
      stats.refused += 1;
      if (error instanceof DomainError) return { ok: false, code: error.code, reason: error.message };
      throw error;
    }
    const key = headerKey ?? verified.jti;
    if (key !== verified.jti) {
      stats.refused += 1;
      return {
        ok: false,
        code: 'IDEMPOTENCY_KEY_MISMATCH',
        reason: 'Idempotency-Key differs from the jti of the report',
      };
    }
    if (!validate(verified.report)) {
      stats.refused += 1;
      const first = (validate.errors ?? [])
        .slice(0, 5)
        .map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`)
        .join('; ');
      return {
        ok: false,
        code: 'SCHEMA_INVALID',
        reason: `Melding voldoet niet aan het schema / report fails the schema: ${first}`,
      };
    }
    const report = verified.report;
    if (report.recipient.id !== m.code) {
      stats.refused += 1;
      return {
        ok: false,
        code: 'WRONG_RECIPIENT',
        reason: 'Melding is voor een andere ontvanger / report is addressed to another recipient',
      };
    }
    const existing = m.byKey.get(key);
    if (existing !== undefined) {
      stats.repeatedMessages += 1;
      return { ok: true, entry: existing, repeated: true };
    }
    const operationKey = `${report.reportId}|${report.operation}`;
    if (m.byOperation.has(operationKey)) stats.duplicateRegistrations += 1;
    m.byOperation.set(operationKey, key);
    m.counter += 1;
    const now = clock.now().toISOString();
    const entry: ReceivedReport = {
      municipality: m.code,
      reportId: report.reportId,
      operation: report.operation,
      idempotencyKey: key,
      reference: `LP-${m.code}-${String(m.counter).padStart(6, '0')}`,
      via,
      receivedAt: now,
      report,
      status: 'RECEIVED',
      statusAt: now,
    };
    m.byKey.set(key, entry);
    stats.accepted += 1;
    return { ok: true, entry, repeated: false };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const match = WEBHOOK_PATH.exec(path);
    if (match === null) return json(res, 404, { error: 'NOT_FOUND', reason: 'unknown path' });
    if (req.method !== 'POST') return json(res, 405, { error: 'METHOD_NOT_ALLOWED', reason: 'POST only' });
    const m = municipalities.get(match[1]);
    if (m === undefined)
      return json(res, 404, {
        error: 'UNKNOWN_MUNICIPALITY',
        reason: 'this simulator does not play that recipient',
      });
    const body = await readBody(req);
    if (misbehaviour.timeout) {
      stats.timeouts += 1;
      held.add(res);
      const timer = setTimeout(() => {
        timers.delete(timer);
        held.delete(res);
        res.destroy();
      }, timeoutHoldMs);
      timers.add(timer);
      return;
    }
    if (misbehaviour.slowMs > 0) {
      stats.slow += 1;
      await delay(misbehaviour.slowMs, timers);
    }
    if (misbehaviour.http500 > 0 && random() < misbehaviour.http500) {
      stats.http500 += 1;
      return json(res, 500, { error: 'SIMULATED_FAILURE', reason: 'simulated server error' });
    }
    if (misbehaviour.validation) {
      stats.validationRefusals += 1;
      return json(res, 400, {
        error: 'SIMULATED_VALIDATION',
        reason: 'Melding afgewezen door de gemeente (gesimuleerd).',
      });
    }
    if (body === null) return json(res, 413, { error: 'TOO_LARGE', reason: 'body too large' });
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (contentType !== 'application/jose') {
      return json(res, 415, {
        error: 'UNSUPPORTED_MEDIA_TYPE',
        reason: 'send application/jose (compact JWE)',
      });
    }
    const headerKey = req.headers['idempotency-key'];
    if (typeof headerKey !== 'string' || headerKey === '') {
      return json(res, 400, {
        error: 'IDEMPOTENCY_KEY_MISSING',
        reason: 'Idempotency-Key header is required',
      });
    }
    const result = await intake(m, body.trim(), headerKey, 'webhook');
    if (!result.ok) return json(res, 400, { error: result.code, reason: result.reason });
    return json(res, result.repeated ? 200 : 202, {
      received: true,
      repeated: result.repeated,
      reference: result.entry.reference,
    });
  }

  async function poll(code: string): Promise<{ fetched: number; accepted: number }> {
    const m = municipalities.get(code);
    if (m === undefined) throw new Error(`unknown municipality ${code}`);
    if (options.gatewayUrl === undefined) throw new Error('poll needs gatewayUrl');
    stats.polls += 1;
    const url = new URL(`${trimSlash(options.gatewayUrl)}/v1/leerplicht/${encodeURIComponent(code)}/reports`);
    if (m.since !== null) url.searchParams.set('since', m.since);
    let items: { reportId?: unknown; jwe?: unknown; storedAt?: unknown }[];
    try {
      const response = await doFetch(url, { headers: authHeaders(), signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { items?: unknown };
      if (!Array.isArray(body.items)) throw new Error('no items');
      items = body.items as typeof items;
    } catch (error) {
      stats.pollFailures += 1;
      throw error;
    }
    let accepted = 0;
    for (const item of items) {
      if (typeof item.jwe !== 'string') continue;
      const result = await intake(m, item.jwe, null, 'inbox');
      if (result.ok && !result.repeated) accepted += 1;
      if (typeof item.storedAt === 'string' && (m.since === null || item.storedAt > m.since))
        m.since = item.storedAt;
    }
    return { fetched: items.length, accepted };
  }

  async function setStatus(code: string, reportId: string, update: StatusUpdate): Promise<number> {
    const m = municipalities.get(code);
    const entries = m === undefined ? [] : [...m.byKey.values()].filter((e) => e.reportId === reportId);
    if (entries.length === 0)
      throw new SimulatorError(404, 'UNKNOWN_REPORT', 'no such report at this municipality');
    const problem = statusProblem(update);
    if (problem !== null) throw new SimulatorError(400, 'INVALID_STATUS', problem);
    const now = clock.now().toISOString();
    for (const e of entries) {
      e.status = update.status;
      e.statusAt = now;
    }
    if (options.gatewayUrl === undefined) return 0;
    const body: Record<string, unknown> = { status: update.status };
    if (update.closingReason !== undefined) body['closingReason'] = update.closingReason;
    if (update.closingExplanation !== undefined) body['closingExplanation'] = update.closingExplanation;
    if (update.contact !== undefined) body['contact'] = update.contact;
    const url = `${trimSlash(options.gatewayUrl)}/v1/leerplicht/${encodeURIComponent(code)}/reports/${encodeURIComponent(reportId)}/status`;
    const times = misbehaviour.duplicateDelivery ? 2 : 1;
    let delivered = 0;
    for (let i = 0; i < times; i++) {
      if (i > 0) stats.duplicateCallbacks += 1;
      stats.statusCallbacks += 1;
      try {
        const response = await doFetch(url, {
          method: 'POST',
          headers: { ...authHeaders(), 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        if (response.ok) delivered += 1;
        else stats.statusCallbackFailures += 1;
      } catch {
        stats.statusCallbackFailures += 1;
      }
    }
    return delivered;
  }

  async function advance(): Promise<number> {
    const auto = options.autoAdvance;
    if (auto === undefined) return 0;
    const now = clock.now().getTime();
    let changes = 0;
    for (const m of municipalities.values()) {
      const seen = new Set<string>();
      for (const e of m.byKey.values()) {
        if (seen.has(e.reportId) || e.operation === 'WITHDRAW') continue;
        seen.add(e.reportId);
        const age = now - Date.parse(e.statusAt);
        if (e.status === 'RECEIVED' && age >= auto.inBehandelingAfterMs) {
          await setStatus(m.code, e.reportId, {
            status: 'IN_BEHANDELING',
            contact: 'Leerplichtambtenaar (simulator)',
          });
          changes += 1;
        } else if (e.status === 'IN_BEHANDELING' && age >= auto.afgeslotenAfterMs) {
          await setStatus(m.code, e.reportId, {
            status: 'AFGESLOTEN',
            closingReason: 'TERUG_NAAR_SCHOOL',
            closingExplanation: 'LEERLING_GEZIEN_DOOR_GEMEENTE',
            contact: 'Leerplichtambtenaar (simulator)',
          });
          changes += 1;
        }
      }
    }
    return changes;
  }

  function setMisbehaviour(change: Partial<MunicipalityMisbehaviour>): MunicipalityMisbehaviour {
    misbehaviour = { ...misbehaviour, ...change };
    return misbehaviour;
  }

  async function handleAdmin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const parts = url.pathname.replace(/\/+$/, '').split('/').slice(1).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    try {
      if (parts[0] !== 'admin' || parts[1] !== 'leerplicht') return json(res, 404, { error: 'NOT_FOUND' });
      const rest = parts.slice(2);
      if (method === 'GET' && rest.length === 1 && rest[0] === 'stats') return json(res, 200, stats);
      if (method === 'GET' && rest.length === 1 && rest[0] === 'reports')
        return json(res, 200, { items: reports() });
      if (method === 'GET' && rest.length === 1 && rest[0] === 'jwks') {
        return json(res, 200, { keys: [...municipalities.values()].map((m) => m.publicJwk) });
      }
      if (rest.length === 1 && rest[0] === 'misbehaviour') {
        if (method === 'GET') return json(res, 200, misbehaviour);
        if (method === 'POST') {
          const change = misbehaviourOf(await readJson(req));
          return json(res, 200, setMisbehaviour(change));
        }
        if (method === 'DELETE') return json(res, 200, setMisbehaviour(NO_MISBEHAVIOUR));
      }
      const code = rest[0];
      if (code !== undefined && municipalities.has(code)) {
        if (method === 'GET' && rest.length === 2 && rest[1] === 'jwk')
          return json(res, 200, publicJwkOf(code));
        if (method === 'POST' && rest.length === 2 && rest[1] === 'poll')
          return json(res, 200, await poll(code));
        if (method === 'POST' && rest.length === 4 && rest[1] === 'reports' && rest[3] === 'status') {
          const update = (await readJson(req)) as StatusUpdate;
          const delivered = await setStatus(code, rest[2], update);
          return json(res, 200, { status: update.status, callbacksDelivered: delivered });
        }
      }
      return json(res, 404, { error: 'NOT_FOUND' });
    } catch (error) {
      if (error instanceof SimulatorError)
        return json(res, error.status, { error: error.code, reason: error.message });
      return json(res, 502, {
        error: 'SIMULATOR_FAILURE',
        reason: error instanceof Error ? error.message : 'failure',
      });
    }
  }

  function publicJwkOf(code: string): JWK {
    const m = municipalities.get(code);
    if (m === undefined) throw new Error(`unknown municipality ${code}`);
    return { ...m.publicJwk };
  }

  function reports(): ReceivedReport[] {
    return [...municipalities.values()].flatMap((m) => [...m.byKey.values()].map((e) => ({ ...e })));
  }

  function authHeaders(): Record<string, string> {
    // A function: the current token of one that is renewed (tokens live at most AUTH_MAX_TOKEN_LIFETIME_SECONDS).
    const token = typeof options.gatewayToken === 'function' ? options.gatewayToken() : options.gatewayToken;
    return token !== undefined ? { authorization: `Bearer ${token}` } : {};
  }

  if (options.pollIntervalMs !== undefined && options.gatewayUrl !== undefined) {
    const timer = setInterval(() => {
      for (const code of municipalities.keys()) poll(code).catch(() => undefined);
    }, options.pollIntervalMs);
    timer.unref();
    timers.add(timer);
  }
  if (options.autoAdvance?.intervalMs !== undefined) {
    const timer = setInterval(() => void advance().catch(() => undefined), options.autoAdvance.intervalMs);
    timer.unref();
    timers.add(timer);
  }

  return {
    handle,
    handleAdmin,
    publicJwkOf,
    stats: () => ({ ...stats }),
    reports,
    setMisbehaviour,
    poll,
    setStatus,
    advance,
    close: () => {
      for (const timer of timers) {
        clearTimeout(timer);
        clearInterval(timer);
      }
      timers.clear();
      for (const res of held) res.destroy();
      held.clear();
      return Promise.resolve();
    },
  };
}

class SimulatorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function statusProblem(update: StatusUpdate): string | null {
  if (typeof update !== 'object' || update === null) return 'body must be an object';
  if (!(OFFICER_STATUSES as readonly string[]).includes(update.status)) {
    return `status must be one of ${OFFICER_STATUSES.join(', ')}`;
  }
  if (
    update.closingReason !== undefined &&
    !(CLOSING_REASONS as readonly string[]).includes(update.closingReason)
  ) {
    return `closingReason must be one of ${CLOSING_REASONS.join(', ')}`;
  }
  if (
    update.closingExplanation !== undefined &&
    !(CLOSING_EXPLANATIONS as readonly string[]).includes(update.closingExplanation)
  ) {
    return `closingExplanation must be one of ${CLOSING_EXPLANATIONS.join(', ')}`;
  }
  if (update.status === 'AFGESLOTEN' && update.closingReason === undefined) {
    return 'AFGESLOTEN needs a closingReason';
  }
  if (
    update.status !== 'AFGESLOTEN' &&
    (update.closingReason !== undefined || update.closingExplanation !== undefined)
  ) {
    return 'closingReason and closingExplanation belong to AFGESLOTEN only';
  }
  if (update.contact !== undefined && typeof update.contact !== 'string') return 'contact must be a string';
  return null;
}

function misbehaviourOf(value: unknown): Partial<MunicipalityMisbehaviour> {
  if (typeof value !== 'object' || value === null)
    throw new SimulatorError(400, 'INVALID_MISBEHAVIOUR', 'body must be an object');
  const raw = value as Record<string, unknown>;
  const change: { -readonly [K in keyof MunicipalityMisbehaviour]?: MunicipalityMisbehaviour[K] } = {};
  for (const [key, v] of Object.entries(raw)) {
    if (key === 'http500' && typeof v === 'number' && v >= 0 && v <= 1) change.http500 = v;
    else if (key === 'slowMs' && typeof v === 'number' && Number.isInteger(v) && v >= 0) change.slowMs = v;
    else if (
      (key === 'timeout' || key === 'validation' || key === 'duplicateDelivery') &&
      typeof v === 'boolean'
    )
      change[key] = v;
    else throw new SimulatorError(400, 'INVALID_MISBEHAVIOUR', `bad value for ${key}`);
  }
  return change;
}

function jwksLookup(url: string, doFetch: typeof fetch): SignerKeyLookup {
  let keys: JWK[] | null = null;
  const load = async (): Promise<JWK[]> => {
    const response = await doFetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`JWKS HTTP ${response.status}`);
    const body = (await response.json()) as { keys?: unknown };
    return Array.isArray(body.keys) ? (body.keys as JWK[]) : [];
  };
  return async (kid) => {
    keys ??= await load();
    let found = keys.find((k) => k.kid === kid);
    if (found === undefined) {
      keys = await load();
      found = keys.find((k) => k.kid === kid);
    }
    return found ?? null;
  };
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY) tooLarge = true;
    else chunks.push(buffer);
  }
  return tooLarge ? null : Buffer.concat(chunks).toString('utf8');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  if (body === null) throw new SimulatorError(413, 'TOO_LARGE', 'body too large');
  try {
    return body.trim() === '' ? {} : (JSON.parse(body) as unknown);
  } catch {
    throw new SimulatorError(400, 'INVALID_JSON', 'body is not JSON');
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function delay(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
