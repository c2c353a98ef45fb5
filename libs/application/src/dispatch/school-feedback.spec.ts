import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  CLOSING_EXPLANATIONS,
  CLOSING_REASONS,
  type PolicyVersion,
  type PolicyVersionStore,
  type Pupil,
  type StoredStatusChange,
  schoolHistoryOf,
} from '#domain';
import { PolicyResolver, PrivacyPolicyEngine } from '../privacy-engine/index.js';
import type { RecordDisclosureCommand } from '../record-disclosure/index.js';
import { SchoolFeedbackGate, brinOf, feedbackRequestFor } from './school-feedback.js';

const defaultText = readFileSync(
  new URL('../../../../../config/privacy/default.policy.yaml', import.meta.url),
  'utf8',
);
const engine = new PrivacyPolicyEngine();
const NOW = new Date('2026-12-05T10:00:00Z');

const report = {
  board: 'BOARD-FB',
  kind: '16U_MINDERJARIG' as const,
  school: '99XX01',
  pupil: { localId: 'p-fb' },
  fields: { 'absence.beginDate': '2026-11-02' },
};
const closed = {
  status: 'AFGESLOTEN' as const,
  closingReason: 'TERUG_NAAR_SCHOOL' as const,
  closingExplanation: 'ACTIE_RICHTING_LEERLING' as const,
  contact: 'M. Jansen, leerplicht',
};

/** A board whose version in force is `text` (null: none, the shipped default decides). */
function resolverWith(text: string | null): PolicyResolver {
  const store = {
    effectiveAt: () =>
      Promise.resolve(
        text === null
          ? null
          : ({ board: report.board, policyId: 'bestuur', version: '1', text } as PolicyVersion),
      ),
  } as unknown as PolicyVersionStore;
  return new PolicyResolver(store, engine, defaultText);
}

function gate(text: string | null, pupil: Pick<Pupil, 'birthDate'> | null = { birthDate: '2012-05-01' }) {
  const recorded: RecordDisclosureCommand[] = [];
  const feedback = new SchoolFeedbackGate(
    resolverWith(text),
    engine,
    { execute: (command) => (recorded.push(command), Promise.resolve({ requestId: 'r', auditSeqs: [] })) },
    { find: () => Promise.resolve(pupil as Pupil | null) },
    { now: () => NOW },
  );
  return { feedback, recorded };
}

describe('the school feedback gate (ADR 0026)', () => {
  it('asks for the four fields of the Besluit Verzuimmelding, to the school by its BRIN, for STATUS_FEEDBACK', () => {
    const request = feedbackRequestFor(report, closed, 14);
    expect(request.recipient).toEqual({ kind: 'SCHOOL', id: '99XX' });
    assert.equal(request.purpose, 'STATUS_FEEDBACK');
    expect(Object.keys(request.payload).sort()).toEqual([
      'feedback.closingExplanation',
      'feedback.closingReason',
      'feedback.contact',
      'feedback.status',
    ]);
    expect(Object.keys(feedbackRequestFor(report, { status: 'IN_BEHANDELING' }, 14).payload)).toEqual([
      'feedback.status',
    ]);
    assert.equal(brinOf('12AB'), '12AB');
    assert.equal(brinOf('schoolX'), 'schoolX');
  });

  it('under the shipped policy releases all four to the school and logs the disclosure when asked to', async () => {
    const { feedback, recorded } = gate(null);
    const result = await feedback.decide(report, closed);
    assert.equal(result.undecided, null);
    expect(result.feedback).toEqual({
      released: [
        'feedback.closingExplanation',
        'feedback.closingReason',
        'feedback.contact',
        'feedback.status',
      ],
      closingReason: 'TERUG_NAAR_SCHOOL',
      closingExplanation: 'ACTIE_RICHTING_LEERLING',
      contact: 'M. Jansen, leerplicht',
    });
    assert.equal(recorded.length, 0, 'nothing is logged before the change was written');
    await result.record!('LEERPLICHT:r:AFGESLOTEN');
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0].sent, true);
    assert.equal(recorded[0].decision.effect, 'permit');
    assert.equal(recorded[0].request.recipient.kind, 'SCHOOL');
    assert.equal(recorded[0].reference, 'LEERPLICHT:r:AFGESLOTEN');
  });

  it('a board policy that withholds the closing explanation and the contact: stored as null for the school', async () => {
    const text = defaultText.replace(
      'status_feedback: [feedback.status, feedback.closingReason, feedback.closingExplanation, feedback.contact]',
      'status_feedback: [feedback.status, feedback.closingReason]',
    );
    assert.notEqual(text, defaultText);
    const { feedback } = gate(text);
    const result = await feedback.decide(report, closed);
    expect(result.feedback).toEqual({
      released: ['feedback.closingReason', 'feedback.status'],
      closingReason: 'TERUG_NAAR_SCHOOL',
      closingExplanation: null,
      contact: null,
    });
  });

  it('a policy without a rule for the school releases nothing (default deny) and still logs the decision', async () => {
    const text = defaultText.replace(/ {2}- id: school-terugkoppeling[\s\S]*?log: true\n/, '');
    assert.notEqual(text, defaultText);
    const { feedback, recorded } = gate(text);
    const result = await feedback.decide(report, closed);
    expect(result.feedback.released).toEqual([]);
    assert.equal(result.feedback.contact, null);
    await result.record!('DUO:r:AFGESLOTEN');
    assert.equal(recorded[0].sent, false);
    assert.equal(recorded[0].decision.effect, 'deny');
  });

  it('decides nothing under a version that fails the proof, nor without a pupil: nothing for the school', async () => {
    const leaking = defaultText
      .replace(/ {2}- id: besluit-leerplicht-blijft-bij-gemeente[\s\S]*?fields: \[officer_decision\]\n/, '')
      .replace('    fields: [status_feedback]\n', '    fields: [status_feedback, officer.decision]\n');
    assert.equal(engine.prove(leaking).holds, false);
    const failing = await gate(leaking).feedback.decide(report, closed);
    assert.equal(failing.undecided, 'POLICY_IN_FORCE_FAILS_PROOF');
    expect(failing.feedback.released).toEqual([]);
    assert.equal(failing.record, null);
    const unknown = await gate(null, null).feedback.decide(report, closed);
    assert.equal(unknown.undecided, 'PUPIL_UNKNOWN');
    assert.equal(unknown.feedback.contact, null);
  });
});

describe("the school's view of the history (schoolHistoryOf)", () => {
  const row = fc.record({
    reportId: fc.constant('r'),
    status: fc.constantFrom('REGISTERED', 'IN_BEHANDELING', 'AFGESLOTEN'),
    at: fc.constant('2026-12-05T10:00:00.000Z'),
    source: fc.constantFrom('DUO' as const, 'LEERPLICHT' as const, 'KETENPOORT' as const),
    closingReason: fc.option(fc.constantFrom(...CLOSING_REASONS), { nil: null }),
    closingExplanation: fc.option(fc.constantFrom(...CLOSING_EXPLANATIONS), { nil: null }),
    contact: fc.option(fc.string({ minLength: 1 }), { nil: null }),
    detail: fc.constant(null),
    schoolFields: fc.option(
      fc.subarray([
        'feedback.status',
        'feedback.closingReason',
        'feedback.closingExplanation',
        'feedback.contact',
      ]),
      { nil: null },
    ),
  });

  it('shows only what was released, leaves out rows whose status was withheld, keeps older rows as they were', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), (history: StoredStatusChange[]) => {
        const shown = schoolHistoryOf(history);
        const kept = history.filter(
          (h) => h.schoolFields === null || h.schoolFields.includes('feedback.status'),
        );
        assert.equal(shown.length, kept.length);
        shown.forEach((line, i) => {
          const source = kept[i];
          assert.ok(!('schoolFields' in line));
          const may = (path: string) => source.schoolFields === null || source.schoolFields.includes(path);
          assert.equal(line.status, source.status);
          assert.equal(line.closingReason, may('feedback.closingReason') ? source.closingReason : null);
          assert.equal(
            line.closingExplanation,
            may('feedback.closingExplanation') ? source.closingExplanation : null,
          );
          assert.equal(line.contact, may('feedback.contact') ? source.contact : null);
        });
      }),
    );
  });
});
