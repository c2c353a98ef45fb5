import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetSchoolCalendarUseCase, ListReportsUseCase, ListSignalsUseCase } from '#application';
import { type Actor, FixedClock } from '#domain';
import { DEMO_BOARD, DEMO_SCHOOL, DEMO_SCHOOL_B } from '../auth/index.js';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';
import { dayNumber, weekdayOf } from './demo-calendar.js';
import { seedDemoData } from './seed-demo-data.js';

interface Scenario {
  readonly localId: string;
  readonly expectedReportKinds: readonly string[];
}

const LOADED_ON = new Date('2027-08-20T10:00:00Z');
const scenariosFile = fileURLToPath(
  new URL('../../../../../config/demo/board/scenarios.json', import.meta.url),
);
const staff: Actor = {
  role: 'school_staff',
  subject: 'demo-layout-spec',
  board: DEMO_BOARD,
  schools: [DEMO_SCHOOL, DEMO_SCHOOL_B],
};

/**
 * The demo board loaded as if the first start were on 20 August 2027 (summer holiday; school year 2026-2027, a
 * calendar derived by rule, the board laid out from January to May 2027 around the voorjaarsvakantie, Easter and
 * the meivakantie): every record on a school day of the loaded calendar, and every designed story still raises
 * its report kinds.
 */
describe('the demo board laid out for a first start on 20 August 2027', () => {
  let gateway: TestGateway;
  const kinds = new Map<string, Set<string>>();
  let scenarios: Scenario[] = [];

  beforeAll(async () => {
    // The whole gateway lives on that day: the rules do not count absence that lies in their future.
    gateway = await startTestGateway({ clock: new FixedClock(LOADED_ON) });
    scenarios = JSON.parse(await readFile(scenariosFile, 'utf8')) as Scenario[];
    const summary = await seedDemoData(gateway.app, gateway.infra);
    assert.equal(summary.loaded, true);
    assert.equal(summary.quarantined, 0);
    const deadline = Date.now() + 240_000;
    for (;;) {
      kinds.clear();
      for (const school of [DEMO_SCHOOL, DEMO_SCHOOL_B]) {
        const { items } = await gateway.app
          .get(ListSignalsUseCase)
          .execute(staff, school, { status: 'OPEN' });
        for (const { signal } of items) {
          if (signal.reportKind === null) continue;
          const set = kinds.get(signal.pupil.localId) ?? new Set<string>();
          set.add(signal.reportKind);
          kinds.set(signal.pupil.localId, set);
        }
      }
      const done = scenarios.every((s) => s.expectedReportKinds.every((k) => kinds.get(s.localId)?.has(k)));
      if (done || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  afterAll(async () => {
    await gateway.stop();
  });

  it('stores every record on a school day of the calendar it loaded for school year 2026-2027', async () => {
    for (const school of [DEMO_SCHOOL, DEMO_SCHOOL_B]) {
      const { calendar } = await gateway.app.get(GetSchoolCalendarUseCase).execute(staff, school);
      assert.equal(calendar.schoolYear, '2026-2027');
      const rows: { date: string }[] = await gateway.infra.dataSource.query(
        `SELECT DISTINCT to_char(date, 'YYYY-MM-DD') AS date FROM canonical_record WHERE board = $1 AND school_brin = $2`,
        [DEMO_BOARD, school],
      );
      assert.ok(rows.length > 50, `record days of ${school}`);
      for (const { date } of rows) {
        assert.ok(weekdayOf(dayNumber(date)) < 5, `${date} is a weekday`);
        assert.ok(
          date >= calendar.firstSchoolDay && date <= calendar.lastSchoolDay,
          `${date} in the school year`,
        );
        assert.ok(
          !calendar.holidays.some((h) => date >= h.start && date <= h.end),
          `${date} outside holidays`,
        );
        assert.ok(!calendar.closedDays.some((c) => c.date === date), `${date} not a closed day`);
        assert.ok(date < '2027-08-20', `${date} before the day of loading`);
      }
    }
  });

  it('raises exactly the designed report kinds for every named pupil, with deadlines after the absence', async () => {
    for (const scenario of scenarios) {
      expect([...(kinds.get(scenario.localId) ?? [])].sort()).toEqual(
        [...scenario.expectedReportKinds].sort(),
      ); // `pupil ${scenario.localId}`
    }
    const { items } = await gateway.app
      .get(ListReportsUseCase)
      .execute(staff, DEMO_SCHOOL, { status: 'DRAFT' });
    assert.ok(items.length >= 3);
    for (const report of items) {
      const begin = report.fields['absence.beginDate'];
      if (typeof begin === 'string' && report.deadline) assert.ok(report.deadline > begin, report.kind);
    }
  });
});
