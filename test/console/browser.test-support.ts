import { expect } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type Page, chromium } from 'playwright-core';
import { type BoardTerm, type DemoLayout, planDemoLayout } from '../../apps/gateway/src/demo/demo-layout.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it): Playwright's own download cannot work here. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningGateway {
  readonly url: string;
  readonly dataDir: string;
  output(): string;
  /** The chain simulator's admin API (misbehaviour on request), from the start-up output. */
  simulatorUrl(): string;
  stop(): Promise<void>;
}

/**
 * `npm start` as a newcomer runs it (embedded default, demo board, chain simulator in-process), on a free port
 * and a fresh data directory; resolves once the demo board's report drafts are there.
 */
export async function startGateway(): Promise<RunningGateway> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'ketenpoort-console-'));
  const child: ChildProcess = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://localhost:${port}`;
  const stop = async (): Promise<void> => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGTERM');
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // already gone
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const token = await fetch(`${url}/v1/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'school_staff' }),
      });
      if (token.ok) {
        const { token: bearer } = (await token.json()) as { token: string };
        const reports = await fetch(`${url}/v1/schools/99XX/reports?status=DRAFT`, {
          headers: { authorization: `Bearer ${bearer}` },
        });
        if (reports.ok && ((await reports.json()) as { items: unknown[] }).items.length >= 3) {
          const simulatorUrl = (): string => {
            const match = /admin API (http:\/\/[^\s]+)/.exec(output);
            if (!match?.[1]) throw new Error(`no chain simulator in the start-up output:\n${output}`);
            return match[1];
          };
          return { url, dataDir, output: () => output, simulatorUrl, stop };
        }
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`the gateway did not come up with the demo board in time:\n${output}`);
}

/** axe-core on the page as it is now: no WCAG 2.1 A or AA violation. */
export async function assertAccessible(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const violations = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect({ screen, axeViolations: violations }).toEqual({ screen, axeViolations: [] });
}

/**
 * A screenshot of a screen into CONSOLE_SCREENSHOTS (`npm run screenshots` sets docs/console), else a scratch
 * folder: the pictures in the docs come from this same run.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env['CONSOLE_SCREENSHOTS'] ?? join(tmpdir(), 'ketenpoort-console-screenshots');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** A SOMtoday export with absences under a reason code the demo school has not mapped (`QZ`). */
export async function unmappedSomtodayExport(): Promise<Buffer> {
  const source = JSON.parse(
    await readFile(join(ROOT, 'config/demo/board/99XY/absentiemeldingen.json'), 'utf8'),
  ) as { items: Record<string, unknown>[] };
  const items = source.items.slice(0, 3).map((item, i) => {
    const copy = structuredClone(item) as {
      links: { id: number; href: string }[];
      absentieReden: { afkorting: string; omschrijving: string; links: { id: number }[] };
    };
    copy.links[0].id = 4499900001 + i;
    copy.links[0].href = `https://api.somtoday.nl/rest/v1/absentiemeldingen/${copy.links[0].id}`;
    copy.absentieReden.afkorting = 'QZ';
    copy.absentieReden.omschrijving = 'Nieuwe code van de school';
    copy.absentieReden.links[0].id = 8899;
    return copy;
  });
  return Buffer.from(JSON.stringify({ items }));
}

/**
 * The demo board as the gateway laid it out when it loaded it today (`apps/gateway/src/demo/demo-layout.ts`): a
 * spec maps a date of the board's files (written for September–December 2025) to the day it has in the running
 * demo with `(await demoLayout()).shiftDate('2025-09-15')`, and a payload with `shiftText`. Not for the
 * luxe-verzuim pupil 41004, which is laid out on its own.
 */
export async function demoLayout(): Promise<DemoLayout> {
  const board = join(ROOT, 'config/demo/board');
  const calendar = JSON.parse(await readFile(join(board, '99XX/calendar.json'), 'utf8')) as BoardTerm;
  const { term } = JSON.parse(await readFile(join(board, 'board.json'), 'utf8')) as {
    term: { from: string; to: string };
  };
  return planDemoLayout(new Date(), { ...calendar, ...term });
}
