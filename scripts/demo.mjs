#!/usr/bin/env node
// `npm run demo`: the whole chain on the embedded default, end to end, then one JSON line on stdout:
// { pupils, records, signals, reports: { approved, registered, inBehandeling, afgesloten, rejected }, disclosures,
//   auditValid }. The shipped demo school board (source-system payloads) is ingested and normalised, the rules
// raise signals and drafts, every draft is approved as school staff would, the privacy engine decides per
// recipient, the dispatcher delivers to the chain simulator (DUO over two-way TLS, municipalities signed and
// encrypted), and DUO's and the municipalities' statuses come back. `npm start` afterwards serves the same data.
import { createServer } from 'node:net';
import { launchChainSimulator } from './chain-launch.mjs';

const TIMEOUT_MS = Number(process.env.DEMO_TIMEOUT_MS ?? 180_000);
const started = Date.now();
const fail = (message) => {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(1);
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

const dataDir = process.env.DATA_DIR ?? './.data';
const port = Number(process.env.PORT ?? (await freePort()));
const base = `http://127.0.0.1:${port}`;
const { simulator, env: chainEnv } = await launchChainSimulator({ dataDir, gatewayUrl: base, fast: true });
Object.assign(process.env, chainEnv, {
  DATA_DIR: dataDir,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  DEMO_DATA: 'true',
});
process.stderr.write(`demo: chain simulator up (DUO ${simulator.duoUrl}); starting ketenpoort on ${base}\n`);
await import('../dist/apps/gateway/src/main.js');

async function api(path, token, init = {}) {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${body?.code ?? ''}`);
  return body;
}

async function until(what, probe, intervalMs = 250) {
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() - started > TIMEOUT_MS) fail(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

await until('the gateway', async () => ((await fetch(`${base}/health/ready`)).ok ? true : undefined));
const tokens = await (await fetch(`${base}/v1/dev/tokens`)).json();
const tokenOf = (role) => tokens.tokens.find((t) => t.role === role)?.token;
const staff = tokenOf('school_staff');
const auditor = tokenOf('auditor') ?? tokenOf('privacy_officer');
if (!staff || !auditor) fail('no demo tokens (AUTH_LOCAL_ISSUER must be on in embedded mode)');
const { DEMO_ACTOR_CLAIMS } = await import('../dist/apps/gateway/src/auth/index.js');
const schools = DEMO_ACTOR_CLAIMS.school_staff.schools;

const reportsOf = async () =>
  (await Promise.all(schools.map((s) => api(`/v1/schools/${s}/reports`, staff)))).flatMap((r) => r.items);

// The worker path raises signals and drafts while the board's payloads are processed: wait until it settles.
let previous = -1;
let stable = 0;
await until(
  'the signals and drafts of the demo board',
  async () => {
    const count = (await reportsOf()).length;
    stable = count > 0 && count === previous ? stable + 1 : 0;
    previous = count;
    return stable >= 4 ? true : undefined;
  },
  500,
);

// School staff approve every draft (a real school would dismiss some with a reason).
for (const report of await reportsOf()) {
  if (report.status === 'DRAFT') await api(`/v1/reports/${report.id}/approve`, staff, { method: 'POST' });
}

const FINAL = new Set(['AFGESLOTEN', 'TER_KENNISGEVING_AANGENOMEN', 'REJECTED', 'WITHDRAWN', 'DISMISSED']);
await until(
  'every approved report to be registered at DUO and dealt with',
  async () => {
    const reports = (await reportsOf()).filter((r) => r.action === 'REPORT');
    return reports.every((r) => FINAL.has(r.status)) ? true : undefined;
  },
  500,
);

const summary = await api('/v1/chain/summary', staff);
const audit = await api('/v1/privacy/audit/verify', auditor);
const r = summary.reports;
const approved = Object.entries(r)
  .filter(([status]) => !['DRAFT', 'DISMISSED', 'registeredAtDuo'].includes(status))
  .reduce((sum, [, n]) => sum + n, 0);
const line = {
  pupils: summary.pupils,
  records: summary.records,
  signals: summary.signals.total,
  reports: {
    approved,
    registered: r.registeredAtDuo,
    inBehandeling: r.IN_BEHANDELING,
    afgesloten: r.AFGESLOTEN,
    rejected: r.REJECTED,
    terKennisgevingAangenomen: r.TER_KENNISGEVING_AANGENOMEN,
  },
  disclosures: summary.disclosures,
  auditValid: audit.valid === true,
  seconds: Math.round((Date.now() - started) / 100) / 10,
};
const ok = line.reports.registered === line.reports.approved && line.auditValid && line.reports.approved > 0;
await simulator.close();
if (!ok) {
  process.stdout.write(`${JSON.stringify(line)}\n`);
  fail(
    'the chain did not complete as expected (registered must equal approved, and the audit chain be valid)',
  );
}
// The gateway shuts down cleanly on SIGTERM (database closed, so `npm start` can open the same data) and exits 0;
// the JSON line is the last thing written.
process.once('exit', () => process.stdout.write(`${JSON.stringify(line)}\n`));
setTimeout(() => process.exit(0), 15_000).unref();
process.kill(process.pid, 'SIGTERM');
