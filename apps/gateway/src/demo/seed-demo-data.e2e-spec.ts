import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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

/** A school's OPEN signals: the report kinds per pupil, the pupils with any signal, the count per rule. */
async function openSignals(
  gateway: TestGateway,
  school: string,
): Promise<{ kinds: Map<string, Set<string>>; pupils: Set<string>; rules: Map<string, number> }> {
  const { items } = await gateway.app.get(ListSignalsUseCase).execute(staff, school, { status: 'OPEN' });
  const kinds = new Map<string, Set<string>>();
  const pupils = new Set<string>();
  const rules = new Map<string, number>();
  for (const { signal } of items) {
    pupils.add(signal.pupil.localId);
    rules.set(signal.rule, (rules.get(signal.rule) ?? 0) + 1);
    if (signal.reportKind === null) continue;
    const set = kinds.get(signal.pupil.localId) ?? new Set<string>();
    set.add(signal.reportKind);
    kinds.set(signal.pupil.localId, set);
  }
  return { kinds, pupils, rules };
}

describe('the demo school board (config/demo/board) through the loader, with the national rulepack', () => {
  let gateway: TestGateway;
  let summary: DemoSeedSummary;
  let scenarios: Scenario[];
  const kinds = new Map<string, Set<string>>();
  let rulesB = new Map<string, number>();

  beforeAll(async () => {
    gateway = await startTestGateway();
    scenarios = JSON.parse(await readFile(boardFile('scenarios.json'), 'utf8')) as Scenario[];
    summary = await seedDemoData(gateway.app, gateway.infra);
    // Magister pupils whose absences name lesson hours: without teacher checks each gets UNCHECKED_LESSON
    // signals, the sign that the worker has evaluated them.
    const reportedA: string[] = [];
    for (const id of Array.from({ length: 20 }, (_, i) => String(41001 + i))) {
      const payload = JSON.parse(
        await readFile(boardFile(`${DEMO_SCHOOL}/absenties/${id}.json`), 'utf8'),
      ) as {
        Items: unknown[];
      };
      if (payload.Items.length > 0) reportedA.push(id);
    }
    // The in-process worker evaluates the ingested batches: wait until every pupil has been evaluated (school A)
    // and the last batch of school B (the teacher checks, with their three call-backs) has been too.
    const deadline = Date.now() + 240_000;
    for (;;) {
      const a = await openSignals(gateway, DEMO_SCHOOL);
      const b = await openSignals(gateway, DEMO_SCHOOL_B);
      kinds.clear();
      for (const [pupil, set] of [...a.kinds, ...b.kinds]) kinds.set(pupil, set);
      rulesB = b.rules;
      const done =
        reportedA.every((pupil) => a.pupils.has(pupil)) &&
        (b.rules.get('CALL_BACK') ?? 0) >= 3 &&
        scenarios.every((s) => s.expectedReportKinds.every((k) => kinds.get(s.localId)?.has(k)));
      if (done || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  afterAll(async () => {
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
    expect(quarantine.items).toEqual([]);
  });

  it('raises exactly the designed report kinds for every named pupil', () => {
    for (const scenario of scenarios) {
      expect([...(kinds.get(scenario.localId) ?? [])].sort()).toEqual(
        [...scenario.expectedReportKinds].sort(),
      ); // `pupil ${scenario.localId}`
    }
  });

  it('raises no report kind for the ordinary pupils', () => {
    const named = new Set(scenarios.map((s) => s.localId));
    const others = [...kinds.keys()].filter((pupil) => !named.has(pupil));
    expect(others).toEqual([]);
  });

  it('finds every reported lesson of school B confirmed by its teacher, and three checks to call back', () => {
    assert.equal(rulesB.get('UNCHECKED_LESSON') ?? 0, 0);
    assert.equal(rulesB.get('CALL_BACK'), 3);
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
