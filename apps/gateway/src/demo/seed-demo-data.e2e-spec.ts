import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ListQuarantineUseCase, ListReportsUseCase, ListSignalsUseCase } from '#application';
import type { Actor } from '#domain';
import { DEMO_BOARD, DEMO_SCHOOL, DEMO_SCHOOL_B } from '../auth/index.js';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';
import { type DemoSeedSummary, seedDemoData } from './seed-demo-data.js';

interface Scenario {
  readonly localId: string;
  readonly school: string;
  readonly expectedReportKinds: readonly string[];
}

const boardFile = (name: string): string =>
  fileURLToPath(new URL(`../../../../../config/demo/board/${name}`, import.meta.url));

const staff: Actor = {
  role: 'school_staff',
  subject: 'demo-board-spec',
  board: DEMO_BOARD,
  schools: [DEMO_SCHOOL, DEMO_SCHOOL_B],
};

/** The report kinds of a school's OPEN signals, per pupil. */
async function kindsByPupil(gateway: TestGateway, school: string): Promise<Map<string, Set<string>>> {
  const { items } = await gateway.app.get(ListSignalsUseCase).execute(staff, school, { status: 'OPEN' });
  const kinds = new Map<string, Set<string>>();
  for (const { signal } of items) {
    if (signal.reportKind === null) continue;
    const set = kinds.get(signal.pupil.localId) ?? new Set<string>();
    set.add(signal.reportKind);
    kinds.set(signal.pupil.localId, set);
  }
  return kinds;
}

describe('the demo school board (config/demo/board) through the loader, with the national rulepack', () => {
  let gateway: TestGateway;
  let summary: DemoSeedSummary;
  let scenarios: Scenario[];
  const kinds = new Map<string, Set<string>>();

  before(async () => {
    gateway = await startTestGateway();
    scenarios = JSON.parse(await readFile(boardFile('scenarios.json'), 'utf8')) as Scenario[];
    summary = await seedDemoData(gateway.app, gateway.infra);
    // The in-process worker evaluates the ingested batches: wait until every named pupil's kinds are there.
    const deadline = Date.now() + 240_000;
    for (;;) {
      kinds.clear();
      for (const school of [DEMO_SCHOOL, DEMO_SCHOOL_B]) {
        for (const [pupil, set] of await kindsByPupil(gateway, school)) kinds.set(pupil, set);
      }
      const done = scenarios.every((s) => s.expectedReportKinds.every((k) => kinds.get(s.localId)?.has(k)));
      if (done || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  after(async () => {
    await gateway.stop();
  });

  it('loads both schools, 40 pupils, their timetables and a term of absences, with nothing quarantined', async () => {
    assert.equal(summary.loaded, true);
    assert.equal(summary.schools, 2);
    assert.equal(summary.pupils, 40);
    // 20 Magister timetables and 20 absence payloads; SOMtoday: timetable, absentiemeldingen, waarnemingen.
    assert.equal(summary.batches, 43);
    assert.ok(summary.lessons > 10_000, `lessons stored: ${summary.lessons}`);
    assert.ok(summary.records > 500, `records: ${summary.records}`);
    assert.equal(summary.quarantined, 0);
    assert.equal(summary.decisions, 2);
    const quarantine = await gateway.app.get(ListQuarantineUseCase).execute(staff, {});
    assert.deepEqual(quarantine.items, []);
  });

  it('raises exactly the designed report kinds for every named pupil', () => {
    for (const scenario of scenarios) {
      assert.deepEqual(
        [...(kinds.get(scenario.localId) ?? [])].sort(),
        [...scenario.expectedReportKinds].sort(),
        `pupil ${scenario.localId}`,
      );
    }
  });

  it('raises no report kind for the ordinary pupils', () => {
    const named = new Set(scenarios.map((s) => s.localId));
    const others = [...kinds.keys()].filter((pupil) => !named.has(pupil));
    assert.deepEqual(others, []);
  });

  it('leaves a DRAFT report for every mandatory signal of a named pupil, for a person to approve', async () => {
    for (const school of [DEMO_SCHOOL, DEMO_SCHOOL_B]) {
      const { items } = await gateway.app.get(ListReportsUseCase).execute(staff, school, { status: 'DRAFT' });
      for (const scenario of scenarios.filter((s) => s.school === school)) {
        const mandatory = scenario.expectedReportKinds.filter((k) => k !== '16U_MEERDERJARIG');
        const drafted = new Set<string>(
          items.filter((r) => r.pupil.localId === scenario.localId).map((r) => r.kind),
        );
        for (const kind of mandatory) assert.ok(drafted.has(kind), `DRAFT ${kind} for ${scenario.localId}`);
      }
    }
  });

  it('loads nothing a second time', async () => {
    const again = await seedDemoData(gateway.app, gateway.infra);
    assert.equal(again.loaded, false);
    assert.equal(again.records, 0);
  });
});
