import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { dutchDay } from '#domain';
import type { Browser, Page } from 'playwright-core';
import {
  type RunningGateway,
  assertAccessible,
  demoLayout,
  launchChromium,
  screenshot,
  startGateway,
} from './browser.test-support.js';

interface PageElement {
  readonly tagName: string;
  readonly id: string;
  readonly innerText: string;
  getAttribute(name: string): string | null;
}
declare const document: { readonly activeElement: PageElement | null };

/** What has keyboard focus: its tag and accessible text. */
async function focused(page: Page): Promise<{ tag: string; text: string; href: string }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      text: (el?.getAttribute('aria-label') ?? el?.innerText ?? '').trim(),
      href: el?.getAttribute('href') ?? '',
    };
  });
}

async function tabTo(
  page: Page,
  match: (f: { tag: string; text: string; href: string }) => boolean,
  what: string,
) {
  for (let i = 0; i < 120; i += 1) {
    await page.keyboard.press('Tab');
    if (match(await focused(page))) return;
  }
  assert.fail(`${what} cannot be reached with the keyboard`);
}

/**
 * The pupil page (issue 13 item 3, ADR 0019) on the demo board: signed in through the demo OIDC provider as
 * school staff, pupil 41001 of 99XX shows the synthetic name, class and mentor, a week calendar whose cells carry
 * a text next to the colour, the week of the threshold window marked in words, the evidence with source ids and
 * the report, linked both ways with the report page; axe finds no A/AA violation; the report is reached by keyboard.
 */
describe('the console: the pupil page for school staff (Debian Chromium)', () => {
  let gateway: RunningGateway;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    gateway = await startGateway();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  it('signs in as school staff and opens the pupil with name, class, mentor and the window that crossed', async () => {
    await page.goto(`${gateway.url}/leerlingen/99XX/41001`);
    await page.waitForURL(/\/aanmelden/);
    await page.getByRole('link', { name: 'Aanmelden' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.waitForURL(/\/leerlingen\/99XX\/41001/);
    await page.getByRole('heading', { name: 'Daan Proefsma', level: 1 }).waitFor();
    const summary = page.locator('dl.kp-summary');
    assert.match(await summary.innerText(), /h2a/);
    assert.match(await summary.innerText(), /M\. Mentorink \(demo\)/);

    // The demo lies in the weeks before today (laid out on first start), so the last 12 weeks hold the window.
    const windows = page.locator('ul.kp-windows');
    await windows.waitFor();
    assert.match(await windows.innerText(), /16 uur ongeoorloofd verzuim binnen 4 schoolweken/);
    const calendar = page.getByRole('table', { name: /Lesuren per schoolweek/ });
    await calendar.waitFor();
    const marked = calendar.getByRole('rowheader', { name: /in de drempelperiode/ });
    assert.ok((await marked.count()) >= 1, 'a week of the window is marked in words');
    // Colour is not alone: a marked cell names its category for screen readers and shows a letter.
    const cell = calendar.locator('td.kp-cat--unauthorised').first();
    assert.match(await cell.innerText(), /O/);
    assert.match(await cell.locator('.kp-visually-hidden').innerText(), /Ongeoorloofd afwezig/);
    await page.getByText('Legenda').waitFor();
    assert.match(await page.locator('ul.kp-legend').innerText(), /Ongeoorloofd afwezig/);

    const evidence = page.getByRole('table', { name: 'Registraties uit het schoolsysteem' });
    assert.ok((await evidence.getByRole('row').count()) > 2);
    assert.match(await evidence.innerText(), /Magister/);

    // The case history: each absence episode as one case, linked to its case page.
    const cases = page.getByRole('table', { name: /Dossiers van deze leerling/ });
    await cases.waitFor();
    const caseLinks = cases.getByRole('link', { name: /^Dossier vanaf / });
    assert.ok((await caseLinks.count()) >= 1, 'the pupil has a case');
    assert.match((await caseLinks.first().getAttribute('href')) ?? '', /^\/dossiers\/[0-9a-f-]{36}$/);

    await assertAccessible(page, 'leerling');
    await screenshot(page, 'leerling');
  });

  it('reaches the report by keyboard, and the report links back to the pupil by name', async () => {
    const reports = page.getByRole('table', { name: 'Meldingen van deze leerling' });
    await reports.waitFor();
    await tabTo(page, (f) => f.tag === 'a' && /^\/meldingen\/99XX\/./.test(f.href), 'a report link');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/meldingen\/99XX\/[^/]+$/);
    const back = page.getByRole('link', { name: 'Daan Proefsma (41001)' });
    await back.waitFor();
    assert.equal(await back.getAttribute('href'), '/leerlingen/99XX/41001');
    await back.click();
    await page.getByRole('heading', { name: 'Daan Proefsma', level: 1 }).waitFor();
    assert.match(page.url(), /\/leerlingen\/99XX\/41001/);
  });

  it('chooses another period with the form and refuses an impossible one in Dutch', async () => {
    // The demo's first four weeks as the running demo has them (written for September 2025, laid out before today).
    const layout = await demoLayout();
    const from = layout.shiftDate('2025-09-01');
    const to = layout.shiftDate('2025-09-26');
    await page.getByLabel('Van', { exact: true }).fill(from);
    await page.getByLabel('Tot en met').fill(to);
    await page.getByRole('button', { name: 'Toon periode' }).click();
    await page.waitForURL(new RegExp(`van=${from}&tot=${to}`));
    const calendar = page.getByRole('table', {
      name: new RegExp(`${dutchDay(`${from}T12:00:00Z`)} – ${dutchDay(`${to}T12:00:00Z`)}`),
    });
    await calendar.waitFor();
    assert.ok((await calendar.getByRole('rowheader').count()) >= 4, 'the four school weeks of the period');
    await page.getByLabel('Van', { exact: true }).fill('2025-01-01');
    await page.getByLabel('Tot en met').fill('2025-12-31');
    await page.getByRole('button', { name: 'Toon periode' }).click();
    await page.getByText('Deze periode kan niet getoond worden').waitFor();
    await assertAccessible(page, 'leerling (foutieve periode)');
  });
});
