import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  type AnalysisResult,
  byGroup,
  byPeriodAndCategory,
  byWeekdayAndLessonHour,
  clockHours,
  dutchNumber,
  periodLabel,
} from '../../apps/console/src/analysis/analysis-data.js';
import { formatHours } from '../../apps/console/src/labels/format.js';
import { CATEGORY_LABELS, label } from '../../apps/console/src/labels/labels.js';
import {
  type RunningGateway,
  assertAccessible,
  launchChromium,
  screenshot,
  startGateway,
} from './browser.test-support.js';

// Runs inside the page (page.evaluate); the test build has no DOM types.
interface PageElement {
  readonly tagName: string;
  readonly innerText: string;
  getAttribute(name: string): string | null;
}
declare const document: { readonly activeElement: PageElement | null };

async function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return (el?.getAttribute('aria-label') ?? el?.innerText ?? '').trim();
  });
}

/** Tab until the focused element has this text: proves it is reachable by keyboard. */
async function tabTo(page: Page, text: string): Promise<void> {
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press('Tab');
    if ((await focusedText(page)) === text) return;
  }
  assert.fail(`"${text}" cannot be reached with the keyboard`);
}

/** The analysis API as the console calls it, with the browser's session cookie. */
async function analysis(page: Page, query: Record<string, string>): Promise<AnalysisResult> {
  const path = `/v1/schools/99XX/analysis?${new URLSearchParams(query).toString()}`;
  return page.evaluate(async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`analysis answered ${response.status}`);
    return (await response.json()) as AnalysisResult;
  }, path);
}

describe('the analysis screen in a browser (Debian Chromium, real OIDC sign-in, embedded default)', () => {
  let gateway: RunningGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let period = { from: '', to: '' };

  beforeAll(async () => {
    gateway = await startGateway();
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'nl-NL',
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  it('signs in as school staff and opens the analysis for this school year from the menu', async () => {
    await page.goto(`${gateway.url}/meldingen`);
    await page.waitForURL(/\/aanmelden\?returnTo=/);
    await page.getByRole('link', { name: 'Aanmelden' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    // The school staff member is the first demo user and already chosen.
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.waitForURL(/\/meldingen$/);
    await page.getByRole('link', { name: 'Analyse', exact: true }).click();
    await page.getByRole('heading', { name: 'Analyse van verzuim', level: 1 }).waitFor();
    await page.getByTestId('tabel-categorie').waitFor();
    await page.getByTestId('tabel-klas').waitFor();
    await page.getByTestId('tabel-weekdag').waitFor();
    // The default period is the school year of the school's calendar.
    const calendar = await page.evaluate(async () => {
      const response = await fetch('/v1/schools/99XX/calendar');
      return ((await response.json()) as { calendar: { firstSchoolDay: string; lastSchoolDay: string } })
        .calendar;
    });
    period = { from: calendar.firstSchoolDay, to: calendar.lastSchoolDay };
    assert.equal(await page.getByLabel('Van', { exact: true }).inputValue(), period.from);
    assert.equal(await page.getByLabel('Tot en met', { exact: true }).inputValue(), period.to);
    assert.equal((await page.locator('.kp-chart svg').count()) >= 3, true, 'three charts');
    const text = await page.locator('main').innerText();
    assert.doesNotMatch(text, /UNAUTHORISED|SICK|legal|mon-|onbekend-/);
    await assertAccessible(page, 'analyse');
    await screenshot(page, 'analyse');
  });

  it('shows in its tables the numbers of the API: per week and category, per class, per weekday and lesson hour', async () => {
    const reason = await analysis(page, { ...period, by: 'reason', period: 'week' });
    const rows = byPeriodAndCategory(reason);
    assert.ok(rows.length > 5, 'the demo has absence in many weeks');
    const categoryTable = page.getByTestId('tabel-categorie');
    for (const row of rows.slice(0, 8)) {
      const line = categoryTable.getByRole('row', { name: periodLabel(row.period), exact: false });
      const cells = await line.innerText();
      assert.ok(
        cells.includes(formatHours(row.hours.lessons, row.hours.minutes)),
        `${row.period} ${row.category}`,
      );
    }
    const groups = byGroup(await analysis(page, { ...period, by: 'group', period: 'week' }));
    const groupTable = await page.getByTestId('tabel-klas').innerText();
    for (const g of groups) {
      assert.ok(groupTable.includes(formatHours(g.total.lessons, g.total.minutes)), `class ${g.group}`);
    }
    const heat = byWeekdayAndLessonHour(
      await analysis(page, { ...period, by: 'weekdayLessonHour', period: 'week' }),
    );
    const first = heat.cells.find((c) => c.hours.lessons > 0);
    assert.ok(first);
    const heatTable = await page.getByTestId('tabel-weekdag').innerText();
    assert.ok(heatTable.includes(formatHours(first.hours.lessons, first.hours.minutes)));
  });

  it('changes the period to the last four weeks with absence, per month, by keyboard, and shows those only', async () => {
    // The last ISO week with absence in the school year → its Monday; the period: the four weeks up to its Sunday.
    const weeks = byPeriodAndCategory(await analysis(page, { ...period, by: 'reason', period: 'week' }));
    const [year, week] = (weeks.at(-1)?.period ?? '').split('-W').map(Number) as [number, number];
    const jan4 = Date.UTC(year, 0, 4);
    const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000 + (week - 1) * 7 * 86_400_000;
    const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
    const from = day(monday - 21 * 86_400_000);
    const to = day(monday + 6 * 86_400_000);
    await page.getByLabel('Van', { exact: true }).fill(from);
    await page.getByLabel('Tot en met', { exact: true }).fill(to);
    await page.getByLabel('Indeling').selectOption('month');
    await tabTo(page, 'Toon analyse');
    await page.keyboard.press('Enter');
    await page.waitForURL(/per=month/);
    const monthly = byPeriodAndCategory(await analysis(page, { from, to, by: 'reason', period: 'month' }));
    assert.ok(monthly.length > 0);
    const table = page.getByTestId('tabel-categorie');
    await table
      .getByRole('rowheader', { name: periodLabel(monthly[0]?.period ?? '') })
      .first()
      .waitFor();
    const text = await table.innerText();
    assert.doesNotMatch(text, /week \d+/);
    for (const row of monthly) assert.ok(text.includes(formatHours(row.hours.lessons, row.hours.minutes)));
    period = { from, to };
    await assertAccessible(page, 'analyse per maand');
  });

  it('downloads the same numbers as CSV for Dutch Excel (BOM, semicolons, decimal comma), by keyboard', async () => {
    const downloading = page.waitForEvent('download');
    await tabTo(page, 'Download als CSV (per categorie)');
    await page.keyboard.press('Enter');
    const download = await downloading;
    assert.equal(download.suggestedFilename(), `verzuim-99XX-${period.from}-${period.to}-per-categorie.csv`);
    const path = await download.path();
    const csv = await readFile(path, 'utf8');
    assert.ok(csv.startsWith('\uFEFF'), 'a UTF-8 byte-order mark');
    const lines = csv.slice(1).trimEnd().split('\r\n');
    assert.equal(lines[0], 'Periode;Categorie;Lesuren;Klokuren');
    const rows = byPeriodAndCategory(await analysis(page, { ...period, by: 'reason', period: 'month' }));
    expect(lines.slice(1)).toEqual(
      rows.map(
        (r) =>
          `${periodLabel(r.period)};${label(CATEGORY_LABELS, r.category)};${r.hours.lessons};${dutchNumber(clockHours(r.hours.minutes))}`,
      ),
    );
  });

  it('says in Dutch what to fix when the end date lies before the begin date', async () => {
    await page.getByLabel('Van', { exact: true }).fill(period.to);
    await page.getByLabel('Tot en met', { exact: true }).fill(period.from);
    await page.getByRole('button', { name: 'Toon analyse' }).click();
    await page
      .getByRole('alert')
      .getByText('De einddatum ligt vóór de begindatum', { exact: false })
      .waitFor();
    await assertAccessible(page, 'analyse met een fout');
  });
});
