import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  type RunningGateway,
  assertAccessible,
  launchChromium,
  screenshot,
  startGateway,
  unmappedSomtodayExport,
} from './browser.test-support.js';
import { formatDate, todayInAmsterdam } from '../../apps/console/src/labels/format.js';

// These run inside the page (page.evaluate); the test build has no DOM types, so they are declared here only.
interface PageElement {
  readonly tagName: string;
  readonly id: string;
  readonly innerText: string;
  readonly value?: string;
  getAttribute(name: string): string | null;
  blur(): void;
}
declare const document: { readonly activeElement: PageElement | null };
declare const localStorage: { readonly length: number };
declare const sessionStorage: { readonly length: number };

/** What has keyboard focus: its tag, id and accessible text. */
async function focused(page: Page): Promise<{ tag: string; id: string; text: string }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      id: el?.id ?? '',
      text: (el?.getAttribute('aria-label') ?? el?.innerText ?? el?.value ?? '').trim(),
    };
  });
}

/** Presses Tab (or Shift+Tab) until the focused element matches; proves it is reachable by keyboard. */
async function tabTo(
  page: Page,
  match: (f: { tag: string; id: string; text: string }) => boolean,
  what: string,
  backwards = false,
): Promise<void> {
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    if (match(await focused(page))) return;
  }
  assert.fail(`${what} cannot be reached with the keyboard`);
}

describe('the console in a browser (Debian Chromium, real OIDC sign-in, embedded default)', () => {
  let gateway: RunningGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let approvedUrl = '';
  let dismissedPath = '';
  let approvedPath = '';

  beforeAll(async () => {
    gateway = await startGateway();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  it('signs in through the local OIDC provider by keyboard alone, and keeps tokens out of the browser', async () => {
    await page.goto(`${gateway.url}/meldingen`);
    await page.waitForURL(/\/aanmelden\?returnTo=/);
    await page.getByRole('heading', { name: 'Aanmelden bij ketenpoort' }).waitFor();
    await assertAccessible(page, 'aanmelden');
    await screenshot(page, 'aanmelden');

    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Aanmelden', 'the sign-in button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/oidc\/interaction\//);
    await page.getByRole('heading', { name: 'Aanmelden bij ketenpoort' }).waitFor();
    await assertAccessible(page, 'demo-aanmelding');
    await screenshot(page, 'demo-aanmelding');
    // The school staff member is the first demo user and already chosen.
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Aanmelden', 'the provider sign-in button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/meldingen$/);
    await page.getByRole('heading', { name: 'Meldingen', level: 1 }).waitFor();

    const session = (await context.cookies()).find((c) => c.name === '__Host-kp_session');
    assert.ok(session, 'a session cookie');
    assert.equal(session.httpOnly, true);
    assert.equal(session.secure, true);
    assert.equal(session.sameSite, 'Lax');
    const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
    assert.equal(stored, 0, 'nothing in the browser storage');
  });

  it('shows the reports with Dutch labels, and a skip link as the first Tab stop', async () => {
    await page.getByRole('table').waitFor();
    // The measured hours come with the signals, a moment after the reports.
    await page
      .getByText(/\d+ lesuren \(\d+ uur/)
      .first()
      .waitFor();
    const text = await page.locator('main').innerText();
    assert.match(text, /16 uur ongeoorloofd verzuim/);
    assert.match(text, /\d+ lesuren \(\d+ uur( \d+ min)?\)/);
    assert.match(
      text,
      /(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) \d{4}/,
    );
    assert.doesNotMatch(text, /16U_|LPW_|DRAFT|UNAUTHORISED/);
    await assertAccessible(page, 'meldingen');
    await screenshot(page, 'meldingen');

    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, 'Naar de inhoud');
    await page.keyboard.press('Enter');
    assert.equal((await focused(page)).id, 'inhoud');
  });

  it('dismisses a draft with a reason, by keyboard alone', async () => {
    await tabTo(page, (f) => f.tag === 'a' && /^Leerling /.test(f.text), 'a report');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Zo gaat de melding de deur uit' }).waitFor();
    assert.equal((await focused(page)).tag, 'h1', 'focus moves to the new page heading');
    await tabTo(page, (f) => f.text === 'Niet melden…', 'the dismiss button');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    assert.equal((await focused(page)).id, 'reden', 'focus moves into the dialog');
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Niet melden', 'the confirm button');
    await page.keyboard.press('Enter');
    await page.getByText('Geef een reden op.').waitFor();
    await tabTo(page, (f) => f.id === 'reden', 'the reason field', true);
    await page.keyboard.type(
      'Leerling was met toestemming bij een sporttoernooi; verlof staat niet in de administratie.',
    );
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Niet melden', 'the confirm button');
    await page.keyboard.press('Enter');
    await page.getByText(/Niet gemeld door .* Reden: Leerling was met toestemming/).waitFor();
    dismissedPath = new URL(page.url()).pathname;
    await assertAccessible(page, 'niet gemeld');
  });

  it('approves a draft after reading what leaves, and sees its DUO number appear', async () => {
    await page.getByRole('link', { name: '← Terug naar de meldingen' }).click();
    // Another draft than the one just dismissed (the list may still show it for a moment).
    await page.locator(`main a[href^="/meldingen/99XX/"]:not([href="${dismissedPath}"])`).first().click();
    await page.getByRole('heading', { name: 'Zo gaat de melding de deur uit' }).waitFor();
    await page.getByRole('table', { name: 'Dit gaat mee' }).first().waitFor();
    const preview = await page.locator('main').innerText();
    assert.match(preview, /DUO \(verzuimregister\)/);
    assert.match(preview, /Eerste verzuimdag/);
    assert.doesNotMatch(preview, /absence\.|pupil\.|STATUTORY_REPORT/);
    await assertAccessible(page, 'conceptmelding');
    await screenshot(page, 'conceptmelding');

    await page.getByRole('button', { name: 'Goedkeuren en melden' }).click();
    const dialog = page.getByRole('dialog', { name: 'Melding goedkeuren?' });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /DUO registreert haar met een meldingsnummer/);
    await assertAccessible(page, 'bevestigen');
    await screenshot(page, 'bevestigen');
    await dialog.getByRole('button', { name: 'Ja, goedkeuren en melden' }).click();
    await page.getByRole('heading', { name: 'In de keten' }).waitFor();
    const number = page.getByTestId('duo-nummer');
    await number.waitFor({ timeout: 90_000 });
    assert.ok((await number.innerText()).trim().length > 0, 'a DUO report number');
    approvedUrl = page.url();
    approvedPath = new URL(approvedUrl).pathname;
    await assertAccessible(page, 'keten van een melding');
    await screenshot(page, 'keten-melding');
  });

  it('sends an end date for the report that is out', async () => {
    assert.ok(approvedUrl);
    await page.getByRole('button', { name: 'Einddatum doorgeven…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Einddatum doorgeven' });
    await dialog.waitFor();
    // The demo lies in the school year of today (laid out at start): today is after every demo absence.
    const today = todayInAmsterdam();
    await dialog.getByLabel('Laatste verzuimdag').fill(today);
    await assertAccessible(page, 'einddatum');
    await dialog.getByRole('button', { name: 'Einddatum versturen' }).click();
    await page.getByText(`De einddatum ${formatDate(today)} is doorgegeven`, { exact: false }).waitFor();
  });

  it("shows a delivery DUO refused, with DUO's reason and what to do, and sends it again", async () => {
    const misbehave = (validation: number) =>
      fetch(`${gateway.simulatorUrl()}/admin/duo/misbehaviour`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ validation }),
      });
    assert.equal((await misbehave(1)).status, 200);
    await page.getByRole('link', { name: 'Meldingen', exact: true }).click();
    await page
      .locator(
        `main a[href^="/meldingen/99XX/"]:not([href="${dismissedPath}"]):not([href="${approvedPath}"])`,
      )
      .first()
      .click();
    await page.getByRole('button', { name: 'Goedkeuren en melden' }).click();
    await page.getByRole('button', { name: 'Ja, goedkeuren en melden' }).click();
    await page.getByRole('heading', { name: 'In de keten' }).waitFor();

    await page.getByRole('link', { name: 'Keten', exact: true }).click();
    await page.getByRole('heading', { name: 'Keten: wat vastzit' }).waitFor();
    assert.equal((await focused(page)).tag, 'h1', 'focus moves to the new page heading');
    const refused = page.getByRole('table', { name: 'Geweigerde verzendingen' });
    for (let i = 0; i < 60 && !(await refused.isVisible()); i += 1) {
      await new Promise((r) => setTimeout(r, 1_000));
      await page.reload();
    }
    const row = await refused.innerText();
    assert.match(row, /DUO keurt/);
    assert.match(row, /Reden van de bestemming: /);
    assert.doesNotMatch(row, /DUO_[A-Z]/);
    await assertAccessible(page, 'keten met een geweigerde verzending');
    await screenshot(page, 'keten');

    assert.equal((await misbehave(0)).status, 200);
    // Every refused delivery (the approval's, and an end date still on its way when DUO began refusing) is sent
    // again, each after its confirmation, until the work queue is empty.
    const empty = page.getByText('Er zijn geen geweigerde verzendingen.');
    for (let i = 0; i < 60 && !(await empty.isVisible()); i += 1) {
      const again = refused.getByRole('button', { name: 'Opnieuw versturen' });
      if ((await again.count()) > 0) {
        await again.first().click();
        const dialog = page.getByRole('dialog', { name: 'Opnieuw versturen?' });
        await dialog.waitFor();
        await dialog.getByRole('button', { name: 'Opnieuw versturen' }).click();
        await page.getByText('De verzending staat weer klaar en wordt zo verstuurd.').waitFor();
      }
      await new Promise((r) => setTimeout(r, 1_000));
      await page.reload();
      await page.getByRole('heading', { name: 'Keten: wat vastzit' }).waitFor();
    }
    await empty.waitFor();
  });

  it('imports a school system export with upload progress and a result with quarantined records', async () => {
    await page.getByRole('link', { name: 'Importeren' }).click();
    await page.getByRole('heading', { name: 'Importeren', level: 1 }).waitFor();
    await page.getByLabel('School').selectOption('99XY');
    await page.getByLabel('Administratiesysteem').selectOption('somtoday');
    await page.getByLabel('Exportbestand').setInputFiles({
      name: 'absentiemeldingen.json',
      mimeType: 'application/json',
      buffer: await unmappedSomtodayExport(),
    });
    await assertAccessible(page, 'importeren');
    await page.getByRole('button', { name: 'Importeren' }).click();
    await page.getByRole('heading', { name: 'Import verwerkt' }).waitFor();
    const result = await page.locator('main').innerText();
    assert.match(result, /3 registraties gelezen/);
    assert.match(result, /3 in quarantaine/);
    await assertAccessible(page, 'importresultaat');
    await screenshot(page, 'importeren');
  });

  it('maps the unmapped code to a category and watches the quarantine empty', async () => {
    await page.getByRole('link', { name: 'bekijk en koppel de codes' }).click();
    await page.getByRole('heading', { name: 'Quarantaine en koppelingen', level: 1 }).waitFor();
    await page.getByText('3 registraties wachten').waitFor();
    await assertAccessible(page, 'quarantaine');
    await screenshot(page, 'quarantaine');
    await page.getByLabel('Categorie voor code QZ').selectOption({ label: 'Ziek' });
    await page.getByRole('button', { name: 'Koppelen en publiceren' }).click();
    await page.getByText('Er wachten geen registraties op een koppeling.').waitFor();
    await assertAccessible(page, 'quarantaine leeg');
  });

  it('refuses a state-changing call with the cookie but without the CSRF token', async () => {
    const status = await page.evaluate(async () => {
      const response = await fetch('/v1/reports/00000000-0000-0000-0000-000000000000/approve', {
        method: 'POST',
      });
      return { status: response.status, code: ((await response.json()) as { code: string }).code };
    });
    expect(status).toEqual({ status: 403, code: 'CSRF_TOKEN_INVALID' });
  });

  it('signs out here and at the provider', async () => {
    await page.getByRole('button', { name: 'Afmelden' }).click();
    await page.getByRole('heading', { name: 'Afmelden' }).waitFor();
    await assertAccessible(page, 'afmelden bij de provider');
    await page.getByRole('button', { name: 'Ja, afmelden' }).click();
    await page.waitForURL(/\/afgemeld$/);
    await page.getByRole('heading', { name: 'U bent afgemeld' }).waitFor();
    await assertAccessible(page, 'afgemeld');
    await page.goto(`${gateway.url}/meldingen`);
    await page.waitForURL(/\/aanmelden/);
  });
});
