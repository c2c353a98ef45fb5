import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const GATEWAY = fileURLToPath(new URL('../../apps/gateway/src/main.js', import.meta.url));
export const WORKER = fileURLToPath(new URL('../../apps/worker/src/main.js', import.meta.url));
/** The repository root (dist/test/abuse → ../../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A base64 key of 32 random-looking bytes for settings that want one (fixed: tests need no secrecy). */
export const TEST_KEY = Buffer.alloc(32, 7).toString('base64');

/** Starts a process that should refuse to start; resolves with its exit code and error output. */
export async function failingStart(
  main: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  try {
    await run(process.execPath, [main], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
  } catch (error) {
    const e = error as { code: number | null; stderr: string; stdout: string };
    return { code: typeof e.code === 'number' ? e.code : null, stderr: e.stderr, stdout: e.stdout };
  }
  return { code: 0, stderr: '', stdout: '' };
}

export interface GatewayProcess {
  /** The address it listens on, e.g. http://127.0.0.1:41234 (always reached over loopback). */
  readonly url: string;
  /** Everything it wrote to stdout and stderr so far (its logs). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `main.js` of the gateway as operators do and waits for its "gateway listening" log line. */
export async function startGatewayProcess(
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<GatewayProcess> {
  const child: ChildProcess = spawn(process.execPath, [GATEWAY], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'info', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /"url":"(http:\/\/[^"]+)"[^\n]*gateway listening/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        const port = new URL(match[1]).port;
        resolve(`http://127.0.0.1:${port}`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${String(code)}:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A PostgreSQL URL no server answers on: production mode, without reaching a database. */
export const UNREACHABLE_DATABASE_URL = 'postgres://ketenpoort@127.0.0.1:1/ketenpoort';
