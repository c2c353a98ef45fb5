import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ROOT,
  type RunningGateway,
  assertAccessible,
  demoLayout,
  launchChromium,
  screenshot,
  startGateway,
} from './browser.test-support.js';

interface Report {
  readonly id: string;
  readonly kind: string;
  readonly action: string;
  readonly status: string;
  readonly supersedes: string | null;
  readonly pupil: { readonly localId: string };
  readonly fields: Readonly<Record<string, unknown>>;
}

const PUPIL = '41001';

/** A school staff member's bearer token, as a school system's integration would hold one (embedded mode). */
async function staffToken(base: string): Promise<string> {
  const response = await fetch(`${base}/v1/dev/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'school_staff' }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function reports(base: string, token: string): Promise<Report[]> {
  const response = await fetch(`${base}/v1/schools/99XX/reports`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await response.json()) as { items: Report[] }).items;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * One more unauthorised lesson for pupil 41001 inside the absence the approved report is about: the Tuesday of
 * the story's first week, lesson hour 5 — in Magister's own `absenties` format, laid out in today's school year
 * exactly as the demo loader laid out the board on start (same day, same layout).
 */
async function extraAbsence(): Promise<string> {
  const board = join(ROOT, 'config/demo/board');
  const layout = await demoLayout();
  const lessons = JSON.parse(await readFile(join(board, `99XX/afspraken/${PUPIL}.json`), 'utf8')) as {
    Items: { Id: number; Start: string; LesuurVan: number }[];
  };
  const lesson = lessons.Items.find((l) => l.Start.startsWith('2025-09-16') && l.LesuurVan === 5);
  assert.ok(lesson, 'the story has a Tuesday lesson 5');
  const item = {
    Id: 5999001,
    Start: '2025-09-15T22:00:00.0000000Z',
    Eind: '2025-09-15T22:00:00.0000000Z',
    Lesuur: 5,
    Geoorloofd: false,
    AfspraakId: lesson.Id,
    Omschrijving: 'Spijbelen',
    Verantwoordingtype: 1,
    Code: 'SP',
    Afspraak: lesson,
  };
  return layout.shiftText(JSON.stringify({ Items: [item] }));
}

describe('an update of an open report in a browser (Debian Chromium, real OIDC sign-in, chain simulator)', () => {
  let gateway: RunningGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token = '';
  let first: Report;

  beforeAll(async () => {
    gateway = await startGateway();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    token = await staffToken(gateway.url);
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  it('approves the first report of an absence and sees DUO register it', async () => {
    first = await until('the draft of pupil 41001', async () =>
      (await reports(gateway.url, token)).find(
        (r) => r.pupil.localId === PUPIL && r.kind === '16U_MINDERJARIG' && r.status === 'DRAFT',
      ),
    );
    await page.goto(`${gateway.url}/meldingen/99XX/${first.id}`);
    await page.waitForURL(/\/aanmelden\?returnTo=/);
    await page.getByRole('link', { name: 'Aanmelden' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.getByRole('heading', { name: 'Zo gaat de melding de deur uit' }).waitFor();
    await page.getByRole('button', { name: 'Goedkeuren en melden' }).click();
    await page
      .getByRole('dialog', { name: 'Melding goedkeuren?' })
      .getByRole('button', { name: 'Ja, goedkeuren en melden' })
      .click();
    await page.getByRole('heading', { name: 'In de keten' }).waitFor();
    await page.getByTestId('duo-nummer').waitFor({ timeout: 90_000 });
  });

  it('gets new absence from the school system for the same episode, and shows a correction draft for it', async () => {
    const response = await fetch(`${gateway.url}/v1/ingest/magister?school=99XX&pupil=${PUPIL}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: await extraAbsence(),
    });
    assert.equal(response.status, 202, await response.text());
    const correction = await until('the correction draft', async () =>
      (await reports(gateway.url, token)).find((r) => r.supersedes === first.id && r.status === 'DRAFT'),
    );
    assert.equal(correction.action, 'CORRECTION');
    assert.equal(correction.fields['absence.hours'], (first.fields['absence.hours'] as number) + 1);

    await page.getByRole('link', { name: 'Meldingen', exact: true }).click();
    await page.getByRole('heading', { name: 'Meldingen', level: 1 }).waitFor();
    const link = page.locator(`main a[href="/meldingen/99XX/${correction.id}"]`);
    await link.waitFor();
    await link.click();
    await page.getByRole('heading', { name: 'Zo gaat de melding de deur uit' }).waitFor();
    const text = await page.locator('main').innerText();
    assert.match(text, /Wijziging van een verzonden melding/);
    assert.doesNotMatch(text, /CORRECTION|absence\./);
    await assertAccessible(page, 'wijziging van een verzonden melding');
    await screenshot(page, 'wijziging');
  });

  it('approves the correction and sees it registered at DUO', async () => {
    await page.getByRole('button', { name: 'Goedkeuren en melden' }).click();
    const dialog = page.getByRole('dialog', { name: 'Melding goedkeuren?' });
    await dialog.waitFor();
    await assertAccessible(page, 'wijziging bevestigen');
    await dialog.getByRole('button', { name: 'Ja, goedkeuren en melden' }).click();
    await page.getByRole('heading', { name: 'In de keten' }).waitFor();
    await page.getByTestId('duo-nummer').waitFor({ timeout: 90_000 });
    const registered = await until('the correction registered', async () =>
      (await reports(gateway.url, token)).find(
        (r) => r.supersedes === first.id && ['REGISTERED', 'IN_BEHANDELING'].includes(r.status),
      ),
    );
    assert.equal(registered.action, 'CORRECTION');
    await assertAccessible(page, 'keten van de wijziging');
  });
});
