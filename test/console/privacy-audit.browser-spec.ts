import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import {
  type RunningGateway,
  assertAccessible,
  launchChromium,
  screenshot,
  startGateway,
} from './browser.test-support.js';

// Runs inside the page (page.evaluate); the test build has no DOM types, so only what is used is declared.
declare const document: {
  readonly activeElement: { readonly textContent: string | null } | null;
  readonly documentElement: { readonly clientWidth: number };
  querySelectorAll(selector: string): ArrayLike<{ readonly scrollWidth: number }>;
};

/** Codes and field paths that must never reach the screen. */
const CODES =
  /pupil\.|absence\.|health\.|registration\.|STATUTORY_REPORT|LEERPLICHT_ENFORCEMENT|16U_|UNAUTHORISED|DISCLOSURE|DECISION|default-deny|\d{4}-\d{2}-\d{2}T/;

/**
 * Issue 15 items 4 and 6 through the browser: a staff member approves a report (DUO receives it: a disclosure);
 * the FG checks the audit log's chain, finds the pupil by number, reads the disclosure's detail in Dutch,
 * opens the inzage from it, and prints it (A4 portrait, PDF); the auditor sees the audit log too. axe on every
 * screen, the inzage also with print media emulated.
 */
describe('the console: the FG finds a pupil’s disclosures in the audit log and prints the inzage (Debian Chromium)', () => {
  let gateway: RunningGateway;
  let browser: Browser;
  let page: Page;
  let pupil = '';

  beforeAll(async () => {
    gateway = await startGateway();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  async function signIn(who: RegExp | null, landing: RegExp): Promise<void> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(`${gateway.url}/`);
    await page.waitForURL(/\/aanmelden/);
    await page.getByRole('link', { name: 'Aanmelden' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    if (who) await page.getByLabel(who).check();
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.waitForURL(landing);
  }

  it('a staff member approves a report, so DUO receives data about a pupil', async () => {
    await signIn(null, /\/werkvoorraad/);
    await page.goto(`${gateway.url}/meldingen`);
    await page.locator('main a[href^="/meldingen/99XX/"]').first().click();
    await page.getByRole('button', { name: 'Goedkeuren en melden' }).click();
    await page
      .getByRole('dialog', { name: 'Melding goedkeuren?' })
      .getByRole('button', { name: 'Ja, goedkeuren en melden' })
      .click();
    await page.getByTestId('duo-nummer').waitFor({ timeout: 90_000 });
    await page.context().close();
  });

  it('the FG sees the chain intact and the disclosure in the audit log, in Dutch', async () => {
    await signIn(/^Privacyfunctionaris \(FG\)(?! 2)/, /\/privacy\/beleid$/);
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Auditlog' }).click();
    await page.getByRole('heading', { name: 'Auditlog', level: 1 }).waitFor();
    await page.getByText('Het auditlog is onveranderd.').waitFor();
    await page.getByLabel('Soort regel').selectOption({ label: 'Verstrekking' });
    await page.getByRole('button', { name: 'Filteren' }).click();
    await page.waitForURL(/kind=DISCLOSURE/);
    const table = page.getByRole('table', { name: /Regels in het auditlog/ });
    await table.waitFor();
    const first = await table.locator('tbody tr').first().innerText();
    assert.match(first, /Verstrekking/);
    assert.match(first, /DUO/);
    const number = /Leerling (\S+) \(school 99XX\)/.exec(first);
    assert.ok(number, `a pupil of the board in ${first}`);
    pupil = number[1]!;
    const text = await page.locator('main').innerText();
    assert.doesNotMatch(text, CODES);
    await assertAccessible(page, 'auditlog');
    await screenshot(page, 'auditlog');
  });

  it('the FG finds the pupil by number, reads the entry’s detail and opens the inzage from it', async () => {
    await page.getByRole('button', { name: 'Filters wissen' }).click();
    await page.getByLabel('Naam of leerlingnummer').fill(pupil);
    await page.getByRole('button', { name: 'Zoeken' }).click();
    const hits = page.getByRole('list', { name: 'Gevonden leerlingen' });
    await hits.waitFor();
    assert.match(await hits.innerText(), new RegExp(`leerlingnummer ${pupil}, school 99XX`));
    await hits.getByRole('link').first().click();
    await page.waitForURL(new RegExp(`pupil=${pupil}&school=99XX`));
    await page.getByText(`Alleen regels over leerling ${pupil} van school 99XX.`).waitFor();
    const rows = page.getByRole('table', { name: /Regels in het auditlog/ }).locator('tbody tr');
    await rows.first().waitFor();
    const all = await rows.allInnerTexts();
    assert.ok(
      all.every((r) => r.includes(`Leerling ${pupil} (school 99XX)`)),
      `only this pupil: ${all.join(' | ')}`,
    );
    assert.ok(all.some((r) => /Verstrekking/.test(r)));
    await page
      .getByRole('button', { name: /^Verstrekking van .* bekijken$/ })
      .first()
      .click();
    const detail = page.getByRole('heading', { name: /^Verstrekking van / });
    await detail.waitFor();
    const card = await page.locator('.kp-card').innerText();
    assert.match(card, /Verstrekt: \d+ gegevens zijn aan de ontvanger gegeven/);
    assert.match(card, /Burgerservicenummer \(BSN\)/);
    assert.match(card, /Beleid/);
    assert.doesNotMatch(card, CODES);
    await assertAccessible(page, 'auditlog (regel)');
    await screenshot(page, 'auditlog-regel');
    await page.getByRole('link', { name: `Inzage voor leerling ${pupil} opstellen` }).click();
    await page.waitForURL(new RegExp(`/privacy/inzage/99XX/${pupil}$`));
  });

  it('the inzage is Dutch, downloads as JSON, and prints on A4 portrait without the navigation', async () => {
    await page.getByRole('heading', { name: /Verstrekkingen aan anderen \([1-9]\d*\)/ }).waitFor();
    const main = await page.locator('main').innerText();
    assert.match(main, /DUO/);
    assert.match(main, /wettelijke verzuimmelding/);
    assert.match(main, /Burgerservicenummer \(BSN\)/);
    assert.match(main, /Opgesteld op \d{1,2} \w+ \d{4}, \d{2}:\d{2}/);
    assert.doesNotMatch(main, CODES);
    await assertAccessible(page, 'inzage');
    await screenshot(page, 'inzage');

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download als JSON' }).click();
    const file = await (await download).path();
    assert.ok(file);
    const json = JSON.parse(await (await import('node:fs/promises')).readFile(file, 'utf8')) as {
      pupil: { localId: string };
      disclosures: unknown[];
    };
    assert.equal(json.pupil.localId, pupil);
    assert.ok(json.disclosures.length > 0);

    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByRole('navigation', { name: 'Hoofdmenu' }).isVisible(), false);
    assert.equal(await page.getByRole('button', { name: 'Afdrukken / opslaan als PDF' }).isVisible(), false);
    // Every table fits the page: nothing wider than the printable width.
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      return Array.from(document.querySelectorAll('table')).filter((t) => t.scrollWidth > width + 1).length;
    });
    assert.equal(overflow, 0, 'no table runs off the page');
    await assertAccessible(page, 'inzage (afdruk)');
    const pdf = await page.pdf({
      format: 'A4',
      landscape: false,
      preferCSSPageSize: true,
      printBackground: true,
    });
    assert.ok(pdf.subarray(0, 5).toString() === '%PDF-', 'a PDF');
    const dir = process.env['CONSOLE_SCREENSHOTS'] ?? join(tmpdir(), 'ketenpoort-console-screenshots');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'inzage.pdf'), pdf);
    // A4 portrait at 96 dpi: 794 px wide.
    await page.setViewportSize({ width: 794, height: 1123 });
    await screenshot(page, 'inzage-afdruk');
    await page.emulateMedia({ media: 'screen' });
  });

  it('the FG reaches the inzage from the menu too, by keyboard alone', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Inzageverzoek' })
      .click();
    await page.getByRole('heading', { name: 'Inzageverzoek (artikel 15 AVG)', level: 1 }).waitFor();
    await page.getByLabel('Naam of leerlingnummer').focus();
    await page.keyboard.type(pupil);
    await page.keyboard.press('Enter');
    const hit = page.getByRole('list', { name: 'Gevonden leerlingen' }).getByRole('link').first();
    await hit.waitFor();
    await assertAccessible(page, 'inzageverzoek (zoeken)');
    await screenshot(page, 'inzage-zoeken');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent ?? ''), await hit.innerText());
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/privacy/inzage/99XX/${pupil}$`));
    await page.getByRole('heading', { name: /Verstrekkingen aan anderen/ }).waitFor();
  });

  it('the auditor lands on the audit log and has no inzage', async () => {
    await page.context().close();
    await signIn(/^Auditor/, /\/privacy\/auditlog$/);
    await page.getByRole('heading', { name: 'Auditlog', level: 1 }).waitFor();
    await page.getByText('Het auditlog is onveranderd.').waitFor();
    await page.getByRole('table', { name: /Regels in het auditlog/ }).waitFor();
    const nav = await page.getByRole('navigation', { name: 'Hoofdmenu' }).innerText();
    assert.match(nav, /Auditlog/);
    assert.doesNotMatch(nav, /Inzage/);
    assert.equal(await page.getByRole('search', { name: 'Leerling zoeken' }).count(), 0);
    await assertAccessible(page, 'auditlog (auditor)');
  });
});
