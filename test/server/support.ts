import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);

/** The server tier needs the real servers; it fails (never skips) without them. */
export function requireServers(): { databaseUrl: string; amqpUrl: string } {
  const databaseUrl = process.env['DATABASE_URL'];
  const amqpUrl = process.env['AMQP_URL'];
  if (!databaseUrl || !amqpUrl) {
    throw new Error('The server tier needs DATABASE_URL and AMQP_URL (PostgreSQL and RabbitMQ); see .ci/run');
  }
  return { databaseUrl, amqpUrl };
}

export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', args, { timeout: 120_000 });
  return stdout;
}

/** Messages ready + unacknowledged in a queue, or null when the queue does not exist. */
export async function queueDepth(queue: string): Promise<number | null> {
  const out = await rabbitmqctl(
    'list_queues',
    '--quiet',
    '--no-table-headers',
    'name',
    'messages_ready',
    'messages_unacknowledged',
  );
  for (const line of out.split('\n')) {
    const [name, ready, unacked] = line.trim().split(/\s+/);
    if (name === queue) return Number(ready) + Number(unacked);
  }
  return null;
}

const WORKER_MAIN = fileURLToPath(new URL('../../apps/worker/src/main.js', import.meta.url));

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
  kill(): Promise<number | null>;
}

/**
 * The privacy keys every process of one server-tier test shares (production mode requires them, ADR 0020): fixed
 * test values, given to the in-process gateway and to every worker alike.
 */
export const SERVER_TEST_KEYS: Readonly<Record<string, string>> = {
  PUPIL_DATA_KEY: Buffer.alloc(32, 11).toString('base64'),
  PUPIL_PSEUDONYM_KEY: Buffer.alloc(32, 13).toString('base64'),
};

/** Starts apps/worker as its own process, as in production. */
export function startWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [WORKER_MAIN], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'info', ...SERVER_TEST_KEYS, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
