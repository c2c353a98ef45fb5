// The gateway as a child process for the benches that measure it from outside (load, console): started on the
// operator's DATABASE_URL / AMQP_URL (or embedded), its demo tokens, and request latencies.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type Settings, processEnv } from '#config';

const GATEWAY_MAIN = fileURLToPath(new URL('../../../gateway/src/main.js', import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL('../../../worker/src/main.js', import.meta.url));

export interface Latencies {
  readonly samples: number[];
  count5xx: number;
  count4xx: number;
  failures: number;
}

export const latencies = (): Latencies => ({ samples: [], count5xx: 0, count4xx: 0, failures: 0 });

export interface GatewayChild {
  readonly url: string;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  readonly demoData?: boolean;
  /**
   * Run the consumers in a worker process of their own beside the gateway, as `docker/compose.yaml` runs
   * production (needs AMQP_URL). Default: in the gateway's process.
   */
  readonly separateWorker?: boolean;
  /** Write a V8 CPU profile of each process into this directory when it stops (`--cpu-prof`). */
  readonly profileDir?: string;
}

export async function startGateway(
  settings: Settings,
  dataDir: string,
  namespace: string,
  options: GatewayOptions = {},
): Promise<GatewayChild> {
  const { databaseUrl, amqpUrl } = settings;
  const separateWorker = options.separateWorker === true && amqpUrl !== null;
  const env: Record<string, string> = {
    PATH: processEnv()['PATH'] ?? '',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    AUTH_LOCAL_ISSUER: 'true',
    DEMO_DATA: options.demoData === false ? 'false' : 'true',
    WORKER_IN_PROCESS: separateWorker ? 'false' : 'true',
    BROKER_NAMESPACE: namespace,
    // The bench is one client address asking a lot: the per-address limits would measure themselves.
    AUTH_FAILURE_LIMIT: '0',
    DEV_TOKENS_LIMIT: '0',
  };
  if (databaseUrl) {
    env['DATABASE_URL'] = databaseUrl;
    // Production mode needs the keys (ADR 0020): the operator's, or throwaway ones for a scratch database.
    env['PUPIL_DATA_KEY'] = (settings.privacy.pupilDataKey ?? randomBytes(32)).toString('base64');
    env['PUPIL_PSEUDONYM_KEY'] = (settings.privacy.pseudonymKey ?? randomBytes(32)).toString('base64');
  }
  if (amqpUrl) env['AMQP_URL'] = amqpUrl;
  const flags = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const gateway = await spawnUntil(
    [...flags, GATEWAY_MAIN],
    env,
    /"url":"http:\/\/[^":]+:(\d+)"[^\n]*gateway listening/,
    'gateway',
  );
  // The worker starts after the gateway, which has migrated the database and seeded the demo board.
  const worker = separateWorker
    ? await spawnUntil([...flags, WORKER_MAIN], env, /worker consuming/, 'worker').catch(
        async (error: unknown) => {
          await gateway.stop();
          throw error;
        },
      )
    : null;
  return {
    url: `http://127.0.0.1:${gateway.match}`,
    async stop() {
      await Promise.all([gateway.stop(), worker?.stop()]);
    },
  };
}

interface Child {
  readonly match: string;
  stop(): Promise<void>;
}

/** Spawns one of ketenpoort's processes and waits until its output matches `ready` (group 1 is returned). */
async function spawnUntil(
  args: readonly string[],
  env: Record<string, string>,
  ready: RegExp,
  name: string,
): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, [...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const match = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`bench: the ${name} did not start in 5 minutes`)),
      300_000,
    );
    const onData = (chunk: Buffer): void => {
      if (output.length < 1_000_000) output += chunk.toString('utf8');
      const found = ready.exec(output);
      if (found) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(found[1] ?? '');
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench: the ${name} exited with ${String(code)}:\n${output.slice(-2000)}`));
    });
  });
  return {
    match,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function demoTokens(url: string): Promise<Map<string, string>> {
  const response = await fetch(`${url}/v1/dev/tokens`);
  const body = (await response.json()) as { tokens: { role: string; token: string }[] };
  return new Map(body.tokens.map((t) => [t.role, t.token]));
}

/** One request, its latency and its class; returns the status (0 when it failed). */
export async function timed(url: string, init: RequestInit, into: Latencies): Promise<number> {
  const started = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
    await response.arrayBuffer();
    into.samples.push(performance.now() - started);
    if (response.status >= 500) into.count5xx++;
    else if (response.status >= 400) into.count4xx++;
    return response.status;
  } catch {
    into.samples.push(performance.now() - started);
    into.failures++;
    return 0;
  }
}

export function summary(l: Latencies): Record<string, number> {
  const sorted = [...l.samples].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted.length === 0
      ? 0
      : round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0);
  return {
    requests: sorted.length,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    maxMs: round(sorted.at(-1) ?? 0),
    status5xx: l.count5xx,
    status4xx: l.count4xx,
    failed: l.failures,
  };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
