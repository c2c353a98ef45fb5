import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { createDevPki } from '#runtime';
import {
  type RunningGateway,
  assertAccessible,
  launchChromium,
  screenshot,
  startGateway,
} from './browser.test-support.js';

const DAY = 86_400_000;

/**
 * The board administrator's page (issue 16: sending parties "shown in the console"): signed in through the demo
 * OIDC provider as the board administrator, first with no party of its own (an explanation, not an empty
 * table), then with a party whose certificate expires in 10 days: OIN, schools and a Dutch warning with the date
 * in words; axe on both states.
 */
describe('the console: sending parties for the board administrator (Debian Chromium)', () => {
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

  it('signs in as the board administrator and explains that the board has no party of its own yet', async () => {
    await page.goto(`${gateway.url}/`);
    await page.waitForURL(/\/aanmelden/);
    await page.getByRole('link', { name: 'Aanmelden' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await page.getByLabel(/Beheerder van het schoolbestuur/).check();
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.waitForURL(/\/verzendende-partijen$/);
    await page.getByRole('heading', { name: 'Verzendende partijen (DUO)', level: 1 }).waitFor();
    await page.getByText('Uw bestuur heeft nog geen eigen verzendende partij').waitFor();
    const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
    assert.equal(await nav.getByRole('link').count(), 1, 'only the board administrator’s own page');
    await assertAccessible(page, 'verzendende partijen (leeg)');
  });

  it('shows a party with its OIN, its schools and a Dutch warning 10 days before its certificate expires', async () => {
    const pki = await createDevPki({ oin: '00000001222222220000' });
    const notAfter = new Date(Date.now() + 10 * DAY);
    const soon = await pki.issueClient({
      oin: '00000001222222220000',
      notBefore: new Date(Date.now() - DAY),
      notAfter,
    });
    const { token } = (await (
      await fetch(`${gateway.url}/v1/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'board_admin' }),
      })
    ).json()) as { token: string };
    const upload = await fetch(`${gateway.url}/v1/sending-parties/demo-bestuur`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        name: 'Stichting Demo Onderwijs',
        kind: 'BESTUUR',
        schools: [
          {
            brin: '99XX',
            locationName: 'Hoofdlocatie',
            contact: { name: 'A. Verzuim', role: 'verzuimcoördinator' },
            copyRecipient: 'BEIDE',
          },
        ],
        certificate: { certPem: soon.cert, keyPem: soon.key },
      }),
    });
    assert.equal(upload.status, 200, await upload.text());

    await page.reload();
    await page.getByRole('heading', { name: 'Stichting Demo Onderwijs', level: 2 }).waitFor();
    const card = page.getByRole('region', { name: 'Stichting Demo Onderwijs' });
    const text = await card.innerText();
    assert.match(text, /00000001222222220000/);
    assert.match(text, /Verloopt binnenkort/);
    assert.match(text, /Het certificaat verloopt over (9|10) dagen, op \d{1,2} [a-z]+ \d{4}/);
    assert.match(text, /Hoofdlocatie/);
    assert.match(text, /De contactpersoon en de behandelaar/);
    assert.doesNotMatch(text, /EXPIRING|BESTUUR|BEIDE/, 'no codes on screen');
    await assertAccessible(page, 'verzendende partijen');
    await screenshot(page, 'verzendende-partijen');
  });
});
