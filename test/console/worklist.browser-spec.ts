import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { dutchDay } from '#domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  type RunningGateway,
  assertAccessible,
  launchChromium,
  screenshot,
  startGateway,
} from './browser.test-support.js';

// These run inside the page (page.evaluate); the test build has no DOM types, so they are declared here only.
interface PageElement {
  readonly tagName: string;
  readonly id: string;
  readonly innerText: string;
  readonly value?: string;
  getAttribute(name: string): string | null;
}
declare const document: { readonly activeElement: PageElement | null };

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

/** Presses Tab until the focused element matches; proves it is reachable by keyboard. */
async function tabTo(
  page: Page,
  match: (f: { tag: string; id: string; text: string }) => boolean,
  what: string,
): Promise<void> {
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press('Tab');
    if (match(await focused(page))) return;
  }
  assert.fail(`${what} cannot be reached with the keyboard`);
}

const MONTH =
  /(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) \d{4}/;

/**
 * The werkvoorraad and a case (ADR 0018) in a browser on the demo board: sign in through OIDC, filter, search,
 * page, open the case of pupil 41003 (a continuing absence: seven drafts in one case), approve all its drafts by
 * keyboard alone, and set the case's end date. axe on every screen and dialog.
 */
describe('the werkvoorraad and cases in a browser (Debian Chromium, real OIDC sign-in, embedded default)', () => {
  let gateway: RunningGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Drafts of pupil 41003's case as the werkvoorraad shows them (the demo's layout decides how many). */
  let drafts41003 = 0;

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

  it('signs in and lands on the werkvoorraad: cases by deadline, in Dutch', async () => {
    await page.goto(`${gateway.url}/`);
    await page.waitForURL(/\/aanmelden\?returnTo=/);
    await page.getByRole('link', { name: 'Aanmelden' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.waitForURL(/\/werkvoorraad$/);
    await page.getByRole('heading', { name: 'Werkvoorraad', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: /dossiers, op volgorde van termijn/ });
    await table.waitFor();
    const text = await page.locator('main').innerText();
    assert.match(text, /16 uur ongeoorloofd verzuim/);
    assert.match(text, /te laat \(\d+ dagen\)|vandaag|nog \d+ dag/);
    assert.match(text, MONTH);
    // Rows name the pupil (roster data, for the school's own staff) with number and class.
    assert.match(text, /Sem Fictiefsen\s+Leerlingnummer 41003, klas h2a, school 99XX/);
    // Pupil 41003's continuing absence makes a first report, vervolgmeldingen and an LRV report: one case. How
    // many depends on where holidays fall in the year the demo was laid out in (ADR 0018, docs/operations.md).
    const row = table.getByRole('row').filter({ hasText: 'Sem Fictiefsen' });
    drafts41003 = Number(/(\d+) meldingen/.exec(await row.innerText())?.[1] ?? 0);
    assert.ok(drafts41003 >= 5, `the drafts of pupil 41003 are one case (${drafts41003})`);
    assert.doesNotMatch(text, /16U_|LPW_|DRAFT|UNCHECKED_LESSON|overdue/);
    await page.getByRole('heading', { name: 'Dagelijkse controle' }).waitFor();
    await page
      .getByText(/lesuur, school 99X[XY]: les zonder absentiecontrole/)
      .first()
      .waitFor();
    await assertAccessible(page, 'werkvoorraad');
    await screenshot(page, 'werkvoorraad');
  });

  it('filters with the form and pages on the server', async () => {
    await page.getByLabel('Soort melding').selectOption('LUXE');
    await page.getByRole('button', { name: 'Filteren' }).click();
    await page.waitForURL(/kind=LUXE/);
    await page.getByRole('table', { name: '1 dossier, op volgorde van termijn' }).waitFor();
    assert.match(await page.locator('main table').innerText(), /Luxeverzuim/);
    await page.getByLabel('Soort melding').selectOption('');
    await page.getByRole('button', { name: 'Filteren' }).click();
    await page.waitForURL(/\/werkvoorraad$/);

    await page.goto(`${gateway.url}/werkvoorraad?aantal=3`);
    const pager = page.getByRole('navigation', { name: "Pagina's van de werkvoorraad" });
    await pager.getByText(/^Pagina 1 van \d+$/).waitFor();
    const first = await page.locator('main table tbody').innerText();
    await pager.getByRole('button', { name: 'Volgende pagina' }).click();
    await pager.getByText(/^Pagina 2 van \d+$/).waitFor();
    const second = await page.locator('main table tbody').innerText();
    assert.notEqual(first, second);
    assert.equal(await page.locator('main table tbody tr').count(), 3);
    await assertAccessible(page, 'werkvoorraad pagina 2');
  });

  it('searches a pupil, opens the case and approves all its drafts by keyboard alone', async () => {
    await page.goto(`${gateway.url}/werkvoorraad`);
    await page.getByRole('heading', { name: 'Werkvoorraad', level: 1 }).waitFor();
    await page.getByRole('table').waitFor();
    await tabTo(page, (f) => f.id === 'zoek-leerling', 'the pupil search');
    await page.keyboard.type('41003');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=41003/);
    await page.getByRole('table', { name: '1 dossier, op volgorde van termijn' }).waitFor();
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Sem Fictiefsen', 'the case of pupil 41003');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dossier leerling 41003', level: 1 }).waitFor();
    assert.equal((await focused(page)).tag, 'h1', 'focus moves to the new page heading');
    await page.getByRole('heading', { name: 'Tijdlijn' }).waitFor();
    const timeline = await page.locator('main').innerText();
    assert.match(timeline, /Langdurig relatief verzuim/);
    assert.match(timeline, /Concept, wacht op uw beoordeling/);
    assert.match(timeline, MONTH);
    assert.doesNotMatch(timeline, /16U_|LPW_|DRAFT|LAPSED|OPEN\b/);
    await assertAccessible(page, 'dossier');
    await screenshot(page, 'dossier');

    await tabTo(
      page,
      (f) => f.tag === 'button' && f.text.startsWith('Alle conceptmeldingen goedkeuren'),
      'approve all drafts',
    );
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /conceptmeldingen goedkeuren\?/ });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /direct naar DUO/);
    await assertAccessible(page, 'dossier goedkeuren');
    await screenshot(page, 'dossier-goedkeuren');
    const isConfirm = (f: { tag: string; text: string }) =>
      f.tag === 'button' && f.text === 'Ja, alle goedkeuren en melden';
    if (!isConfirm(await focused(page))) await tabTo(page, isConfirm, 'the confirm button');
    await page.keyboard.press('Enter');
    await page.getByText('De conceptmeldingen zijn goedgekeurd.').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByText(/: goedgekeurd; gaat naar DUO$/).count(), drafts41003);
    assert.equal(await page.getByRole('button', { name: /Alle conceptmeldingen goedkeuren/ }).count(), 0);
  });

  it("sets the case's end date, which reaches every report of it that is out", async () => {
    await page.getByRole('button', { name: 'Einddatum vastleggen…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Einddatum vastleggen' });
    await dialog.waitFor();
    // The pupil is back today (the demo's absences lie in the weeks before today).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
    await dialog.getByLabel('Einddatum').fill(today);
    await assertAccessible(page, 'dossier einddatum');
    await dialog.getByRole('button', { name: 'Einddatum vastleggen' }).click();
    await page
      .getByText(`De einddatum ${dutchDay(new Date())} staat op het dossier.`)
      .waitFor({ timeout: 60_000 });
    const text = await page.locator('main').innerText();
    assert.match(text, /Afgesloten met einddatum/);
    assert.match(
      text,
      /einddatum doorgegeven aan DUO en de gemeente|geef de einddatum door zodra zij verzonden is/,
    );
    await assertAccessible(page, 'dossier met einddatum');
    await screenshot(page, 'dossier-einddatum');
  });

  it('sends the end date on to the reports that left after it was set, once', async () => {
    // Wait until the chain simulator has every approved report of the case out (none still waiting to leave).
    for (let i = 0; i < 60; i += 1) {
      const timeline = await page.getByRole('region', { name: 'Tijdlijn' }).innerText();
      if (!/Goedgekeurd ·|Klaar voor verzending/.test(timeline)) break;
      await new Promise((r) => setTimeout(r, 1_000));
      await page.reload();
      await page.getByRole('heading', { name: 'Tijdlijn' }).waitFor();
    }
    const resend = page.getByRole('button', { name: 'Einddatum ook doorgeven aan de verzonden meldingen…' });
    if ((await resend.count()) > 0) {
      assert.match(
        await page.locator('main').innerText(),
        /DUO en de gemeente kennen de einddatum daarvan nog niet/,
      );
      await resend.click();
      const dialog = page.getByRole('dialog', { name: 'Einddatum doorgeven aan de verzonden meldingen?' });
      await dialog.waitFor();
      await assertAccessible(page, 'einddatum opnieuw');
      await dialog.getByRole('button', { name: 'Ja, einddatum doorgeven' }).click();
      await page
        .getByText(/einddatum doorgegeven aan DUO en de gemeente/)
        .first()
        .waitFor();
    }
    assert.equal(await resend.count(), 0);
    assert.doesNotMatch(await page.locator('main').innerText(), /kennen de einddatum daarvan nog niet/);
  });
});
