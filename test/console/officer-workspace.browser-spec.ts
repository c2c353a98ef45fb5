import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  type RunningGateway,
  ROOT,
  assertAccessible,
  launchChromium,
  screenshot,
  startGateway,
} from './browser.test-support.js';

/** Demo pupils who live in Bunnik (0312), the demo municipality a person handles (config/demo/board/pupils.json). */
const BUNNIK_PUPILS = ['41008', '41009', '7730001', '7730011', '7730012'];

/** The roster name the demo seeding puts with a pupil, as a report to the municipality carries it (ADR 0027). */
async function demoNameOf(localId: string): Promise<string> {
  const pupils = JSON.parse(await readFile(join(ROOT, 'config/demo/board/pupils.json'), 'utf8')) as {
    localId: string;
    name?: { roepnaam?: string; tussenvoegsel?: string; achternaam: string };
  }[];
  const name = pupils.find((p) => p.localId === localId)?.name;
  if (!name) throw new Error(`demo pupil ${localId} has no roster name`);
  return [name.roepnaam, name.tussenvoegsel, name.achternaam].filter(Boolean).join(' ');
}

interface Report {
  id: string;
  school: string;
  status: string;
  action: string;
  pupil: { localId: string };
}

async function tokenOf(base: string, subject: string): Promise<string> {
  const response = await fetch(`${base}/v1/dev/tokens`);
  const { tokens } = (await response.json()) as { tokens: { subject: string; token: string }[] };
  const found = tokens.find((t) => t.subject === subject);
  if (!found) throw new Error(`no demo token for ${subject}`);
  return found.token;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Signs a demo user in through the demo OIDC provider, picking them by the label the sign-in page shows. */
async function signIn(page: Page, base: string, user: RegExp, landsOn: RegExp): Promise<void> {
  await page.goto(`${base}/`);
  await page.waitForURL(/\/aanmelden/);
  await page.getByRole('link', { name: 'Aanmelden' }).click();
  await page.waitForURL(/\/oidc\/interaction\//);
  await page.getByLabel(user).check();
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await page.waitForURL(landsOn);
}

/**
 * Issue 14 in the browser: on a fresh `npm start`, a report the school approves for a pupil living in Bunnik
 * (0312, handled by a person) reaches the inbox; Bunnik's officer loads the demo key (held in the page as a
 * non-extractable key), reads the report in Dutch, takes it in behandeling, records a decision (encrypted to the
 * municipality), closes it, tries to move it back and reads the Dutch refusal. Utrecht's officer sees nothing of
 * it; the school sees the officer's status and closing reason and nothing of the decision. axe on every screen.
 */
describe('the console: the leerplicht officer’s workspace (Debian Chromium)', () => {
  let gateway: RunningGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let report: Report;

  beforeAll(async () => {
    gateway = await startGateway();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const staff = await tokenOf(gateway.url, 'demo-school-staff');
    const auth = { authorization: `Bearer ${staff}` };
    report = await until('a draft for a pupil living in Bunnik', async () => {
      for (const school of ['99XX', '99XY']) {
        const response = await fetch(`${gateway.url}/v1/schools/${school}/reports?status=DRAFT`, {
          headers: auth,
        });
        const { items } = (await response.json()) as { items: Report[] };
        const found = items.find((r) => BUNNIK_PUPILS.includes(r.pupil.localId) && r.action === 'REPORT');
        if (found) return found;
      }
      return undefined;
    });
    const approved = await fetch(`${gateway.url}/v1/reports/${report.id}/approve`, {
      method: 'POST',
      headers: auth,
    });
    assert.equal(approved.status, 200, await approved.text());
    const officer = await tokenOf(gateway.url, 'demo-leerplicht-officer-bunnik');
    await until('the report in Bunnik’s inbox', async () => {
      const response = await fetch(`${gateway.url}/v1/leerplicht/0312/reports`, {
        headers: { authorization: `Bearer ${officer}` },
      });
      const { items } = (await response.json()) as { items: { reportId: string }[] };
      return items.some((i) => i.reportId === report.id) ? true : undefined;
    });
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  it('signs in as Bunnik’s officer, loads the demo key and reads the report in Dutch', async () => {
    await signIn(page, gateway.url, /Leerplichtambtenaar 2/, /\/gemeente$/);
    await page.getByRole('heading', { name: 'Meldingen voor gemeente 0312', level: 1 }).waitFor();
    // Without the key the list shows only the clear routing fields.
    await page.getByRole('link', { name: 'Versleutelde melding' }).first().waitFor();
    await assertAccessible(page, 'gemeente: inbox zonder sleutel');
    // The demo key, as the officer downloads it from the demo sign-in page (embedded mode only).
    const keyFile = await fetch(`${gateway.url}/oidc/demo-keys/0312.jwk.json`);
    assert.equal(keyFile.status, 200);
    await page.getByLabel('Sleutelbestand (JWK)').setInputFiles({
      name: 'demosleutel-gemeente-0312.jwk.json',
      mimeType: 'application/json',
      buffer: Buffer.from(await keyFile.text()),
    });
    await page.getByText('De sleutel van gemeente 0312 is geladen').waitFor();
    const row = page.locator(`main a[href="/gemeente/0312/${report.id}"]`);
    await row.waitFor();
    await until('the report decrypted in the page', async () => {
      const text = await row.innerText();
      return /wordt geopend|Versleutelde/.test(text) ? undefined : true;
    });
    const name = await demoNameOf(report.pupil.localId);
    assert.match((await row.innerText()).trim(), new RegExp(`^${name}`), 'the list names the pupil');
    const stored = await page.evaluate<string>(
      'JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })',
    );
    assert.doesNotMatch(stored, /"d"|P-256/, 'the key is not kept in web storage');
    // Search over the decrypted reports, in the browser.
    await screenshot(page, 'gemeente-inbox-ontsleuteld');
    await page.getByLabel(/Zoek op leerling/).fill(name.split(/\s+/).at(-1) ?? name);
    await row.waitFor();
    await page.getByLabel(/Zoek op leerling/).fill(name.split(/\s+/)[0].toLowerCase());
    await row.waitFor();
    await page.getByLabel(/Zoek op leerling/).fill('niemand-heet-zo');
    await page.getByText('Geen meldingen in deze selectie.').waitFor();
    await page.getByLabel(/Zoek op leerling/).fill('');
    await assertAccessible(page, 'gemeente: inbox');
    await screenshot(page, 'gemeente-inbox');

    await row.click();
    await page.getByRole('heading', { name: 'Leerling', level: 2 }).waitFor();
    const text = await page.locator('main').innerText();
    assert.match(text, /ondertekening van ketenpoort is gecontroleerd/);
    assert.match(text, /School en locatie/);
    await page.getByRole('heading', { name: `Melding over ${name}`, level: 1 }).waitFor();
    assert.match(text, new RegExp(`Naam\\s+${name}`), 'the pupil is named');
    assert.match(text, /Lesuren\s+\d+(\.\d+)? lesuren/);
    assert.match(text, /Klokuren\s+(\d+ uur( \d+ min)?|\d+ min)\n/, 'klokuren as hours and minutes');
    assert.doesNotMatch(text, /niet in de melding|naam niet meegestuurd/);
    assert.match(text, /Toelichting van de school/);
    assert.match(text, /Contactpersoon van de school/);
    assert.doesNotMatch(text, /16U_|REGISTER\b|IN_BEHANDELING/, 'no codes on screen');
    await assertAccessible(page, 'gemeente: melding');
  });

  it('moves the report through its statuses with a decision, and refuses a move back in Dutch', async () => {
    await page.getByLabel(/Contactpersoon voor de school/).fill('B. Bunnik, leerplichtambtenaar');
    await page.getByRole('button', { name: 'In behandeling nemen' }).click();
    const start = page.getByRole('dialog', { name: 'Melding in behandeling nemen?' });
    await assertAccessible(page, 'gemeente: bevestigen');
    await start.getByRole('button', { name: 'In behandeling nemen' }).click();
    await page.getByText('De status is gewijzigd in "in behandeling bij leerplicht"').waitFor();

    await page.getByLabel('Besluit', { exact: true }).selectOption('PROCES_VERBAAL');
    await page
      .getByRole('textbox', { name: 'Notities' })
      .fill('Tweede gesprek met ouders; proces-verbaal opgemaakt.');
    await page.getByRole('button', { name: 'Versleuteld opslaan' }).click();
    await page.getByText(/Proces-verbaal op \d{1,2} [a-z]+ \d{4} — Tweede gesprek/).waitFor();

    await page.getByRole('button', { name: 'Afsluiten' }).click();
    const close = page.getByRole('dialog', { name: 'Melding afsluiten?' });
    await close.getByLabel('Reden van afsluiten').selectOption('TERUG_NAAR_SCHOOL');
    await close.getByLabel('Toelichting').selectOption('ACTIE_RICHTING_LEERLING');
    await close.getByRole('button', { name: 'Afsluiten' }).click();
    await page.getByText('De status is gewijzigd in "afgesloten"').waitFor();
    await page
      .getByRole('cell', {
        name: 'Leerling is terug naar school; De gemeente heeft actie ondernomen richting de leerling',
      })
      .waitFor();

    await page.getByRole('button', { name: 'In behandeling nemen' }).click();
    await page
      .getByRole('dialog', { name: 'Melding in behandeling nemen?' })
      .getByRole('button', { name: 'In behandeling nemen' })
      .click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Deze statuswijziging is niet toegestaan' });
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /al afgesloten/);
    assert.doesNotMatch(await refusal.innerText(), /STATUS_MOVE|409/);
    await assertAccessible(page, 'gemeente: geweigerde statuswijziging');
    await screenshot(page, 'gemeente-melding');
  });

  it('Utrecht’s officer sees nothing of Bunnik’s inbox', async () => {
    const other = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
    const utrecht = await other.newPage();
    utrecht.setDefaultTimeout(30_000);
    await signIn(utrecht, gateway.url, /^Leerplichtambtenaar\s*gemeente 0344/, /\/gemeente$/);
    await utrecht.getByRole('heading', { name: 'Meldingen voor gemeente 0344', level: 1 }).waitFor();
    assert.equal(await utrecht.locator(`main a[href="/gemeente/0312/${report.id}"]`).count(), 0);
    await utrecht.goto(`${gateway.url}/gemeente/0312/${report.id}`);
    await utrecht.getByText('Deze melding staat niet in de inbox van uw gemeente.').waitFor();
    await assertAccessible(utrecht, 'gemeente: andere gemeente');
    await other.close();
  });

  it('the school sees the officer’s status, closing reason and contact, and nothing of the decision', async () => {
    const school = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
    const staff = await school.newPage();
    staff.setDefaultTimeout(30_000);
    await signIn(staff, gateway.url, /Schoolmedewerker/, /\/werkvoorraad$/);
    await staff.goto(`${gateway.url}/meldingen/${report.school}/${report.id}`);
    await staff.getByText('Leerling is terug naar school').first().waitFor();
    const text = await staff.locator('main').innerText();
    assert.match(text, /Afgesloten/);
    assert.match(text, /B\. Bunnik, leerplichtambtenaar/);
    assert.doesNotMatch(text, /Proces-verbaal|proces-verbaal|Tweede gesprek/);
    await assertAccessible(staff, 'school: afgesloten door de gemeente');
    await school.close();
  });
});
