import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { policyVariant } from '#testing';
import {
  type RunningGateway,
  assertAccessible,
  launchChromium,
  screenshot,
  startGateway,
} from './browser.test-support.js';

// Runs inside the page (page.evaluate); the test build has no DOM types, so it is declared here only.
declare const document: { readonly activeElement: { closest(selector: string): unknown } | null };

/** The demo board's policy id and a version number the demo never uses. */
const POLICY = 'demo-bestuur-beleid';
const VERSION = '2026.1';

/** A YAML syntax error on the `title:` line (a second colon: a mapping where a plain value is expected). */
function withSyntaxError(text: string): { text: string; line: number } {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith('title:'));
  lines[at] = 'title: Beleid: van het bestuur';
  return { text: lines.join('\n'), line: at + 1 };
}

/** Breaks a statutory invariant: the BSN forbid removed and the BSN given to leerplicht from 18. */
const bsnToLeerplicht = () =>
  policyVariant({
    id: POLICY,
    version: VERSION,
    dropRules: ['bsn-alleen-naar-duo'],
    releaseAlso: { 'leerplicht-meerderjarig': ['bsn'] },
  });

/** A change that holds: leerplicht no longer gets the parents' contact details of minors. */
const fewerParentDetails = () =>
  policyVariant({
    id: POLICY,
    version: VERSION,
    releaseNoLonger: { 'leerplicht-minderjarig': ['parent_contact'] },
  });

/**
 * Issue 15 items 1–3 through the browser: FG 1 drafts a change in the editor, sees a YAML error at its line,
 * sees the proof fail for a change that gives the BSN to leerplicht, fixes it, sees the diff and the
 * simulation, submits; FG 2 approves; the overview shows the new version in force. axe on every screen; the
 * editor is left with Escape, then Tab.
 */
describe('the console: the privacy officer drafts, proves and (four eyes) approves a policy (Debian Chromium)', () => {
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

  async function signIn(officer: RegExp): Promise<void> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(`${gateway.url}/`);
    await page.waitForURL(/\/aanmelden/);
    await page.getByRole('link', { name: 'Aanmelden' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await page.getByLabel(officer).check();
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.waitForURL(/\/privacy\/beleid$/);
    await page.getByRole('heading', { name: 'Privacybeleid', level: 1 }).waitFor();
  }

  /** Replaces the editor's whole text, as pasting would. */
  async function replaceText(text: string): Promise<void> {
    const editor = page.getByRole('textbox', { name: 'Tekst van het privacybeleid (YAML)' });
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(text);
  }

  it('FG 1 starts on the policy in force, in plain Dutch, with the floor and its unconfirmed ground', async () => {
    await signIn(/^Privacyfunctionaris \(FG\)(?! 2)/);
    const main = page.getByRole('main');
    await main.getByText('Nu geldt versie').waitFor();
    const text = await main.innerText();
    assert.match(text, /het standaardbeleid van ketenpoort/);
    assert.match(text, /Burgerservicenummer \(BSN\)/);
    assert.match(text, /Leerplichtwet 1969/);
    assert.match(text, /5 jaar na uitschrijving/);
    assert.match(text, /Grondslag niet bevestigd/);
    assert.match(text, /Verzuimgegevens: 5 jaar na uitschrijving; anders 5 jaar/);
    assert.match(text, /bij verzuim: geschorst of verwijderd/);
    assert.doesNotMatch(
      text,
      /pupil\.bsn|health\.detail|registration\.remarks|STATUTORY_REPORT|SCHOOL_SUSPENSION|disclosure_log|P5Y/,
      'no field paths, codes or ISO periods',
    );
    await assertAccessible(page, 'privacybeleid (overzicht)');
    await screenshot(page, 'privacybeleid');
  });

  it('FG 1 sees a YAML error at its line, then a broken guarantee, then a change that holds with its diff', async () => {
    await page.getByRole('link', { name: 'Een nieuw concept schrijven' }).click();
    await page.waitForURL(/\/privacy\/beleid\/concept$/);
    await page.locator('.cm-content').waitFor();

    const broken = withSyntaxError(fewerParentDetails());
    await replaceText(broken.text);
    // The list names the line; its button takes the cursor there, where the gutter marks the error.
    await page.getByRole('button', { name: `Regel ${broken.line}, kolom 8` }).click();
    await page.locator('.cm-lint-marker-error').first().waitFor();
    const cursorLine = page.locator('.kp-code-editor .cm-lineNumbers .cm-activeLineGutter');
    assert.equal((await cursorLine.innerText()).trim(), String(broken.line));

    await replaceText(bsnToLeerplicht());
    const alert = page.getByRole('alert').filter({ hasText: 'breekt' });
    await alert.waitFor();
    const failing = await alert.innerText();
    assert.match(failing, /BSN|burgerservicenummer/i);
    assert.match(failing, /Burgerservicenummer \(BSN\) zou naar Leerplicht van de woongemeente gaan/);
    assert.equal(
      await page.getByRole('button', { name: 'Opslaan en ter goedkeuring aanbieden' }).isDisabled(),
      true,
    );

    await replaceText(fewerParentDetails());
    await page.getByText('Alle privacygaranties blijven gelden').waitFor();
    await page.locator('.cm-mergeView').waitFor();
    const changes = page.getByRole('table', { name: 'Gegevens per ontvanger' });
    await changes.waitFor();
    assert.match(
      await changes.innerText(),
      /Leerplicht van de woongemeente[\s\S]*Telefoonnummer ouder of verzorger/,
    );
    await assertAccessible(page, 'concept privacybeleid');
    await screenshot(page, 'privacybeleid-concept');
  });

  it('leaves the editor with the keyboard: Escape, then Tab', async () => {
    await page.getByRole('textbox', { name: 'Tekst van het privacybeleid (YAML)' }).focus();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    const inEditor = await page.evaluate(
      () => (document.activeElement?.closest('.kp-code-editor') ?? null) !== null,
    );
    assert.equal(inEditor, false, 'focus left the editor');
  });

  it('FG 1 submits; the author cannot approve their own draft', async () => {
    const submit = page.getByRole('button', { name: 'Opslaan en ter goedkeuring aanbieden' });
    await submit.waitFor();
    assert.equal(await submit.isDisabled(), false);
    await submit.click();
    await page.waitForURL(/\/privacy\/beleid$/);
    await page.getByText(`Versie ${VERSION} is ter goedkeuring aangeboden`).waitFor();
    const history = page.getByRole('table', { name: 'Alle versies van het privacybeleid' });
    assert.match(await history.innerText(), /Wacht op goedkeuring/);
    await page.getByRole('link', { name: VERSION, exact: true }).click();
    await page.getByText('U heeft dit concept geschreven').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Goedkeuren' }).count(), 0);
    await page.context().close();
  });

  it('FG 2 rejects another submitted draft with a reason; the history keeps the reason', async () => {
    // FG 1 submitted a second draft through the API (the editor path is covered above).
    const { token } = (await (
      await fetch(`${gateway.url}/v1/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'privacy_officer' }),
      })
    ).json()) as { token: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const text = policyVariant({
      id: POLICY,
      version: '2026.0',
      releaseNoLonger: { 'leerplicht-meerderjarig': ['reporter'] },
    });
    const stored = await fetch(`${gateway.url}/v1/privacy/policies`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ text }),
    });
    assert.equal(stored.status, 201, await stored.text());
    const submitted = await fetch(`${gateway.url}/v1/privacy/policies/${POLICY}/versions/2026.0/submit`, {
      method: 'POST',
      headers,
    });
    assert.equal(submitted.status, 200, await submitted.text());

    await signIn(/Privacyfunctionaris \(FG\) 2/);
    await page.getByRole('link', { name: 'Versie 2026.0 beoordelen' }).click();
    await page.getByText('Alle privacygaranties blijven gelden').waitFor();
    const reject = page.getByRole('button', { name: 'Afwijzen' });
    assert.equal(await reject.isDisabled(), true, 'no rejection without a reason');
    await page
      .getByLabel(/Reden van afwijzing/)
      .fill('Leerplicht heeft de melder nodig om te kunnen bellen.');
    await assertAccessible(page, 'concept afwijzen');
    await reject.click();
    await page.waitForURL(/\/privacy\/beleid$/);
    await page.getByText('Versie 2026.0 is afgewezen.').waitFor();
    const table = page.getByRole('table', { name: 'Alle versies van het privacybeleid' });
    await table.getByText(/afgewezen door demo-privacy-officer-2/).waitFor();
    assert.match(await table.innerText(), /Leerplicht heeft de melder nodig om te kunnen bellen\./);
  });

  it('FG 2 reviews the diff, proof and simulation and approves; the overview shows the new version', async () => {
    await page.getByRole('link', { name: `Versie ${VERSION} beoordelen` }).click();
    await page.waitForURL(new RegExp(`/privacy/beleid/${POLICY}/${VERSION.replace('.', '\\.')}$`));
    await page.getByText('Alle privacygaranties blijven gelden').waitFor();
    await page.locator('.cm-mergeView').waitFor();
    await page.getByRole('table', { name: 'Gegevens per ontvanger' }).waitFor();
    await assertAccessible(page, 'concept beoordelen');
    await screenshot(page, 'privacybeleid-beoordelen');
    await page.getByRole('button', { name: 'Goedkeuren' }).click();
    await page.waitForURL(/\/privacy\/beleid$/);
    await page.getByText(`Versie ${VERSION} is goedgekeurd.`).waitFor();
    const main = page.getByRole('main');
    await main.getByText(`Nu geldt versie ${VERSION}`).waitFor();
    const table = page.getByRole('table', { name: 'Alle versies van het privacybeleid' });
    await table.getByText(/goedgekeurd door demo-privacy-officer-2/).waitFor();
    const history = await table.innerText();
    assert.match(history, /\d{1,2} [a-z]+ \d{4}/, 'the day it took effect, in words');
    await assertAccessible(page, 'privacybeleid na goedkeuring');
  });
});
