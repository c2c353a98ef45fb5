import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import {
  type RunningGateway,
  assertAccessible,
  launchChromium,
  screenshot,
  startGateway,
} from './browser.test-support.js';

/**
 * Issue 15 items 5 and 7 through the browser: the privacy officer opens Bewaartermijnen (forecast, receipts,
 * holds), places a legal hold on a demo pupil with a reason and lifts it again with a reason, by keyboard, each
 * behind a confirm dialog; opens the Verwerkingsregister in both views, downloads the CSV and looks at the
 * printable view. The auditor reads both screens without the hold controls. axe on every screen, dialog and
 * the print stylesheet.
 */
describe('the console: retention and the verwerkingsregister (Debian Chromium)', () => {
  let gateway: RunningGateway;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    gateway = await startGateway();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  async function signIn(role: RegExp): Promise<void> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'nl-NL',
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(`${gateway.url}/`);
    await page.waitForURL(/\/aanmelden/);
    await page.getByRole('link', { name: 'Aanmelden' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await page.getByLabel(role).check();
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).waitFor();
  }

  it('the privacy officer sees what will be deleted when, the receipts and the holds', async () => {
    await signIn(/^Privacyfunctionaris \(FG\)(?! 2)/);
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Bewaartermijnen' })
      .click();
    await page.waitForURL(/\/privacy\/bewaartermijnen$/);
    await page.getByRole('heading', { name: 'Bewaartermijnen', level: 1 }).waitFor();
    const main = page.getByRole('main');
    await main.getByText(/Volgens het beleid dat nu geldt/).waitFor();
    await main.getByRole('heading', { name: 'Verwijderbewijzen' }).waitFor();
    await main.getByText(/Er is nog nooit een bewaarplicht ingesteld|Ingestelde en opgeheven/).waitFor();
    const text = await main.innerText();
    assert.doesNotMatch(text, /P5Y|P1Y|disclosure_request|signals\b|enrolment/, 'no codes or ISO periods');
    await assertAccessible(page, 'bewaartermijnen');
    // Two years ahead the demo's signals fall due: the chart draws, with the table's numbers.
    await main.getByLabel('Periode').selectOption({ label: 'De komende 24 maanden' });
    await main.getByRole('img', { name: /Staafdiagram: wat ketenpoort per maand verwijdert/ }).waitFor();
    const table = main.getByTestId('tabel-prognose');
    assert.equal(await table.locator('thead th').count(), 2 + 24 + 1);
    await assertAccessible(page, 'bewaartermijnen (24 maanden, met grafiek)');
    await screenshot(page, 'bewaartermijnen');
  });

  it('places a legal hold with a reason behind a confirm dialog, then lifts it with a reason, by keyboard', async () => {
    const main = page.getByRole('main');
    // A reason that is too short is refused on the page, before anything is sent.
    await main.getByLabel('Leerlingnummer').fill('41001');
    await main.getByLabel('Reden', { exact: true }).fill('x');
    await main.getByRole('button', { name: 'Bewaarplicht instellen' }).click();
    await main.getByText('Geef een reden op van 3 tot 500 tekens.').waitFor();
    await main.getByLabel('Reden', { exact: true }).fill('Klacht bij de geschillencommissie');
    await main.getByRole('button', { name: 'Bewaarplicht instellen' }).click();
    const placeDialog = page.getByRole('dialog', { name: 'Bewaarplicht instellen?' });
    await placeDialog.waitFor();
    await assertAccessible(page, 'bewaarplicht instellen (bevestigen)');
    await placeDialog.getByRole('button', { name: 'Ja, bewaarplicht instellen' }).click();
    await main.getByText('De bewaarplicht voor leerling 41001 is ingesteld.', { exact: false }).waitFor();
    const table = main.getByTestId('tabel-bewaarplicht');
    await table.getByText('Klacht bij de geschillencommissie').waitFor();
    await table.getByText('Geldt nu').waitFor();

    // Lifting, by keyboard only: focus the button, Enter, type the reason, Enter confirms.
    const lift = table.getByRole('button', { name: 'Opheffen voor leerling 41001' });
    await lift.focus();
    await page.keyboard.press('Enter');
    const liftDialog = page.getByRole('dialog', { name: 'Bewaarplicht opheffen?' });
    await liftDialog.waitFor();
    await page.keyboard.press('Enter');
    await liftDialog.getByText('Geef een reden op van 3 tot 500 tekens.').waitFor();
    await assertAccessible(page, 'bewaarplicht opheffen (bevestigen, met fout)');
    await liftDialog.getByLabel('Reden van opheffen').focus();
    await page.keyboard.type('Klacht afgehandeld');
    await page.keyboard.press('Enter');
    await main.getByText('De bewaarplicht voor leerling 41001 is opgeheven.', { exact: false }).waitFor();
    await table.getByText('Klacht afgehandeld').waitFor();
    assert.equal(await table.getByText('Geldt nu').count(), 0);
    const rows = await table.locator('tbody tr').allInnerTexts();
    assert.match(rows[0], /Opgeheven/);
    assert.match(rows[1], /Ingesteld/);
    await assertAccessible(page, 'bewaartermijnen (na opheffen)');
  });

  it('shows the verwerkingsregister of the board and of the processor, with CSV and a printable view', async () => {
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Verwerkingsregister' })
      .click();
    await page.waitForURL(/\/privacy\/verwerkingsregister$/);
    const main = page.getByRole('main');
    await main.getByRole('heading', { name: /Register van het schoolbestuur/ }).waitFor();
    const text = await main.innerText();
    assert.match(text, /DUO \(Register Onderwijsdeelnemers\)/);
    assert.match(text, /Burgerservicenummer \(BSN\)/);
    assert.match(text, /wettelijke verplichting \(AVG art\. 6 lid 1 onder c\)/);
    assert.match(text, /Geen doorgifte buiten de Europese Economische Ruimte/);
    assert.match(text, /Beveiligingsmaatregelen/);
    assert.doesNotMatch(text, /pupil\.bsn|STATUTORY_REPORT|legal_obligation|P5Y/, 'no codes or ISO periods');
    await assertAccessible(page, 'verwerkingsregister (bestuur)');
    await screenshot(page, 'verwerkingsregister');

    // What configuration cannot know, filled in once: it shows in the register at once.
    await main.getByText('Gegevens van het bestuur aanvullen').click();
    await main.getByLabel('Naam van het schoolbestuur').fill('Stichting Demoscholen');
    await main.getByLabel(/^Functionaris gegevensbescherming/).fill('A. de Fg, fg@demo.example');
    await assertAccessible(page, 'verwerkingsregister (gegevens aanvullen)');
    await main.getByRole('button', { name: 'Gegevens opslaan' }).click();
    await main.getByText('De gegevens van het bestuur zijn opgeslagen.').waitFor();
    await main.locator('dd', { hasText: 'A. de Fg, fg@demo.example' }).waitFor();

    const download = page.waitForEvent('download');
    await main.getByRole('link', { name: 'Download CSV' }).click();
    const file = await (await download).path();
    const csv = await readFile(file, 'utf8');
    assert.match(
      csv.split('\r\n')[0],
      /Verwerkingsverantwoordelijke,Functionaris gegevensbescherming,Ontvanger/,
    );
    assert.ok(csv.includes('DUO (Register Onderwijsdeelnemers)'));
    assert.match(csv.split('\r\n')[1], /^Stichting Demoscholen,/);

    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByRole('navigation', { name: 'Hoofdmenu' }).isVisible(), false);
    assert.equal(await main.getByRole('button', { name: 'Afdrukken' }).isVisible(), false);
    await assertAccessible(page, 'verwerkingsregister (afdrukweergave)');
    await page.emulateMedia({ media: 'screen' });

    await main.getByRole('button', { name: 'Verwerker (lid 2)' }).click();
    await main.getByRole('heading', { name: /Register van de verwerker/ }).waitFor();
    assert.match(await main.innerText(), /Categorieën van verwerkingen/);
    await assertAccessible(page, 'verwerkingsregister (verwerker)');
    await page.emulateMedia({ media: 'print' });
    await assertAccessible(page, 'verwerkingsregister verwerker (afdrukweergave)');
    await page.emulateMedia({ media: 'screen' });
  });

  it('the auditor reads both screens and cannot place or lift a hold', async () => {
    await page.context().close();
    await signIn(/^Auditor/);
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Bewaartermijnen' })
      .click();
    const main = page.getByRole('main');
    await main.getByTestId('tabel-bewaarplicht').getByText('Klacht afgehandeld').waitFor();
    assert.equal(await main.getByRole('button', { name: 'Bewaarplicht instellen' }).count(), 0);
    assert.equal(await main.getByRole('button', { name: /Opheffen/ }).count(), 0);
    await assertAccessible(page, 'bewaartermijnen (auditor)');
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Verwerkingsregister' })
      .click();
    await main.getByRole('heading', { name: /Register van het schoolbestuur/ }).waitFor();
    assert.equal(await main.getByText('Gegevens van het bestuur aanvullen').count(), 0);
    await assertAccessible(page, 'verwerkingsregister (auditor)');
  });
});
