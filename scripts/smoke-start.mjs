#!/usr/bin/env node
// The README's first command, checked as a newcomer would: `npm start` on a fresh data directory with no
// server installed answers /health/ready within 120 s (it builds first), hands out demo tokens, shows the demo data, and
// stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: p } = probe.address();
    probe.close(() => resolve(p));
  });
});
const dataDir = mkdtempSync(join(tmpdir(), 'ketenpoort-smoke-'));
const env = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), DATA_DIR: dataDir };
const child = spawn('npm', ['start', '--silent'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
let output = '';
child.stdout.on('data', (c) => (output += c));
child.stderr.on('data', (c) => (output += c));
const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));

const base = `http://127.0.0.1:${port}`;
const started = Date.now();
function fail(message) {
  console.error(`smoke-start: ${message}\n--- output ---\n${output}`);
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
}

let ready = false;
// npm start builds first (tsc, then the console with Vite): allow for it on a busy machine.
while (Date.now() - started < 120_000) {
  try {
    const res = await fetch(`${base}/health/ready`);
    if (res.status === 200) {
      ready = true;
      break;
    }
  } catch {
    // not listening yet
  }
  await new Promise((r) => setTimeout(r, 250));
}
if (!ready) fail('/health/ready did not answer 200 within 120 s');
const seconds = ((Date.now() - started) / 1000).toFixed(1);

const tokens = await (await fetch(`${base}/v1/dev/tokens`)).json();
const staff = (tokens.tokens ?? tokens).find?.((t) => t.role === 'school_staff');
if (!staff?.token) fail('GET /v1/dev/tokens did not hand out a school_staff token');
const list = await fetch(`${base}/v1/records/batches`, {
  headers: { authorization: `Bearer ${staff.token}` },
});
const batches = await list.json();
if (list.status !== 200 || !Array.isArray(batches.items) || batches.items.length === 0) {
  fail(`demo data not visible: GET /v1/records/batches answered ${list.status}`);
}
if (!/v1\/dev\/tokens/.test(output)) fail('start-up did not print how to get demo tokens');

// The worker path (in-process) normalises the demo board's Magister absences and evaluates them with the rules
// engine: pupil 41001 (Magister PersoonId, school 99XX) misses 18 lesson hours in 3 school weeks → an OPEN
// LPW_16H_4W signal (16U_MINDERJARIG) and a DRAFT report.
const auth = { headers: { authorization: `Bearer ${staff.token}` } };
let signal;
let draft;
while (Date.now() - started < 150_000 && !(signal && draft)) {
  const signals = await (
    await fetch(`${base}/v1/schools/99XX/signals?status=OPEN&rule=LPW_16H_4W`, auth)
  ).json();
  signal = signals.items?.find((s) => s.signal.pupil.localId === '41001');
  const reports = await (await fetch(`${base}/v1/schools/99XX/reports?status=DRAFT`, auth)).json();
  draft = reports.items?.find((r) => r.signalId === signal?.signal.signalId && r.kind === '16U_MINDERJARIG');
  if (!(signal && draft)) await new Promise((r) => setTimeout(r, 250));
}
if (!signal) fail('no OPEN LPW_16H_4W signal for pupil 41001 from the demo data');
if (!draft) fail('no DRAFT report for the demo signal');

process.kill(-child.pid, 'SIGTERM');
const timer = setTimeout(() => fail('did not stop within 15 s of SIGTERM'), 15_000);
await exited;
clearTimeout(timer);
rmSync(dataDir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    ready: true,
    secondsToReady: Number(seconds),
    demoBatches: batches.items.length,
    demoSignal: signal.signal.rule,
    demoReport: draft.status,
  }),
);
