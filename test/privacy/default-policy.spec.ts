import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { type DisclosureRequest, REPORT_FIELD_PATHS } from '#domain';
import { POLICY_SCHEMA, type Policy, decide, parsePolicy, retentionPeriod, verifyInvariants } from '#privacy';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const text = readFileSync(`${root}config/privacy/default.policy.yaml`, 'utf8');
const parsed = parsePolicy(text, 'default.policy.yaml');
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
const policy: Policy = parsed.value;
const AT = '2026-02-02';
const payload = Object.fromEntries(REPORT_FIELD_PATHS.map((f) => [f, `waarde ${f}`]));
const ask = (r: Omit<DisclosureRequest, 'payload'>) => decide(policy, { ...r, payload }, { at: AT });

describe('the default policy', () => {
  it('matches the schema file editors use', () => {
    const file = JSON.parse(readFileSync(`${root}config/privacy/policy.schema.json`, 'utf8')) as unknown;
    expect(file).toEqual(JSON.parse(JSON.stringify(POLICY_SCHEMA)));
  });

  it('DUO, statutory report: the Besluit Verzuimmelding set with the BSN, no free text, no health', () => {
    const d = ask({
      recipient: { kind: 'DUO' },
      purpose: 'STATUTORY_REPORT',
      reportKind: '16U_MINDERJARIG',
      pupil: { ageAtDate: 14 },
    });
    assert.equal(d.effect, 'permit');
    for (const f of [
      'pupil.bsn',
      'absence.hours',
      'absence.perDay',
      'report.suspectedReason',
      'reporter.email',
      // DUO's verzuim vocabulary: education, woongemeente, the school's explanation and copy recipient.
      'education.leerjaar',
      'education.niveau',
      'pupil.woongemeente',
      'report.explanation',
      'report.copyRecipient',
    ])
      assert.ok(d.released.includes(f), f);
    for (const f of [
      'registration.remarks',
      'health.detail',
      'absence.authorisedSummary',
      'pupil.name',
      // Klokuren: DUO's message takes the lesuren only, so the policy does not give DUO the clock time (ADR 0027).
      'absence.clockMinutes',
    ])
      assert.ok(!d.released.includes(f), f);
    expect(d.obligations.map((o) => o.kind)).toEqual(['retention', 'log']);
    assert.match(
      d.explanation,
      /^Aan DUO \(Register Onderwijsdeelnemers\) voor een wettelijke verzuimmelding mogen 31 gegevens worden verstrekt op grond van Leerplichtwet 1969 art\. 21a/,
    );
    assert.match(
      d.explanation,
      /registration\.remarks \(regel vrije-tekst-blijft-op-school: vrije tekst uit de schooladministratie blijft op school\)/,
    );
  });

  it("DUO's extra vocabulary stays with DUO: leerplicht gets no education, woongemeente, explanation or copy recipient", () => {
    const d = ask({
      recipient: { kind: 'LEERPLICHT' },
      purpose: 'LEERPLICHT_ENFORCEMENT',
      pupil: { ageAtDate: 15 },
    });
    assert.equal(d.effect, 'permit');
    for (const f of [
      'education.name',
      'education.leerjaar',
      'pupil.woongemeente',
      'report.explanation',
      'report.copyRecipient',
    ])
      assert.ok(!d.released.includes(f), f);
  });

  it('leerplicht and the Doorstroompunt get the name and the klokuren, never the BSN (ADR 0027)', () => {
    for (const [kind, purpose, age] of [
      ['LEERPLICHT', 'LEERPLICHT_ENFORCEMENT', 15],
      ['LEERPLICHT', 'STATUTORY_REPORT', 19],
      ['DOORSTROOMPUNT', 'DOORSTROOMPUNT', 20],
    ] as const) {
      const d = ask({ recipient: { kind }, purpose, pupil: { ageAtDate: age } });
      assert.equal(d.effect, 'permit', `${kind} ${age}`);
      for (const f of ['pupil.name', 'pupil.birthDate', 'absence.hours', 'absence.clockMinutes'])
        assert.ok(d.released.includes(f), `${kind} ${age}: ${f}`);
      assert.ok(!d.released.includes('pupil.bsn'), `${kind} ${age}: no BSN`);
    }
    const inspectie = ask({
      recipient: { kind: 'INSPECTIE' },
      purpose: 'INSPECTIE_NOTICE',
      pupil: { ageAtDate: 15 },
      categories: ['SCHOOL_SUSPENSION'],
    });
    assert.ok(!inspectie.released.includes('absence.clockMinutes'), 'the Inspectie gets no absence history');
  });

  it('DUO without a report kind: nothing', () => {
    assert.equal(
      ask({ recipient: { kind: 'DUO' }, purpose: 'STATUTORY_REPORT', pupil: { ageAtDate: 14 } }).effect,
      'deny',
    );
  });

  it('leerplicht at 17 tells the parents; at 18 the pupil, and leaves out the parents', () => {
    const at17 = ask({
      recipient: { kind: 'LEERPLICHT' },
      purpose: 'LEERPLICHT_ENFORCEMENT',
      pupil: { ageAtDate: 17 },
    });
    const at18 = ask({
      recipient: { kind: 'LEERPLICHT' },
      purpose: 'LEERPLICHT_ENFORCEMENT',
      pupil: { ageAtDate: 18 },
    });
    expect(at17.determinedBy.filter((r) => r.startsWith('leerplicht'))).toEqual(['leerplicht-minderjarig']);
    assert.ok(at17.obligations.some((o) => o.kind === 'notify_parent' && o['withinDays'] === 5));
    assert.ok(at17.released.includes('parent.phone'));
    assert.ok(at18.obligations.some((o) => o.kind === 'notify_pupil'));
    assert.ok(!at18.released.includes('parent.phone'));
    for (const d of [at17, at18]) {
      assert.ok(!d.released.includes('pupil.bsn'));
      assert.ok(!d.released.includes('report.suspectedReason'));
      assert.ok(!d.released.includes('health.detail'));
      assert.ok(d.released.includes('report.actionTaken'));
    }
  });

  it('leerplicht never hears about sickness: the reason-carrying fields are withheld by the forbid', () => {
    const d = ask({
      recipient: { kind: 'LEERPLICHT' },
      purpose: 'STATUTORY_REPORT',
      pupil: { ageAtDate: 15 },
      categories: ['SICK', 'UNAUTHORISED'],
    });
    assert.equal(d.effect, 'permit');
    assert.equal(
      d.withheld.find((w) => w.field === 'absence.authorisedSummary')?.rule,
      'geen-ziekte-naar-leerplicht',
    );
  });

  it('Doorstroompunt: 18 up to 23 only', () => {
    const at = (age: number) =>
      ask({ recipient: { kind: 'DOORSTROOMPUNT' }, purpose: 'DOORSTROOMPUNT', pupil: { ageAtDate: age } })
        .effect;
    expect([at(17), at(18), at(22), at(23)]).toEqual(['deny', 'permit', 'permit', 'deny']);
  });

  it('JGZ, MAZL: only with recorded consent; absent or withdrawn consent gives nothing', () => {
    const jgz = (consent?: { jgz: boolean }) =>
      ask({
        recipient: { kind: 'JGZ' },
        purpose: 'MAZL_CONSULTATION',
        pupil: { ageAtDate: 13, ...(consent ? { consent } : {}) },
        categories: ['SICK'],
      });
    const given = jgz({ jgz: true });
    assert.equal(given.effect, 'permit');
    assert.ok(given.released.includes('absence.authorisedSummary'));
    assert.ok(!given.released.includes('pupil.bsn') && !given.released.includes('health.detail'));
    for (const d of [jgz(), jgz({ jgz: false })]) {
      assert.equal(d.effect, 'deny');
      expect(d.determinedBy).toEqual(['jgz-alleen-met-toestemming']);
      assert.match(d.explanation, /Zonder vastgelegde toestemming gaat er niets naar de jeugdarts/);
    }
  });

  it('Inspectie: the suspension notice without absence history', () => {
    const d = ask({
      recipient: { kind: 'INSPECTIE' },
      purpose: 'INSPECTIE_NOTICE',
      pupil: { ageAtDate: 15 },
      categories: ['SCHOOL_SUSPENSION'],
    });
    assert.equal(d.effect, 'permit');
    assert.ok(d.released.includes('absence.beginDate'));
    for (const f of ['absence.hours', 'absence.perDay', 'absence.authorisedSummary', 'pupil.bsn'])
      assert.ok(!d.released.includes(f), f);
    const noSuspension = ask({
      recipient: { kind: 'INSPECTIE' },
      purpose: 'INSPECTIE_NOTICE',
      pupil: { ageAtDate: 15 },
    });
    assert.equal(noSuspension.effect, 'deny');
  });

  it('a recipient with a purpose not its own gets nothing', () => {
    assert.equal(
      ask({ recipient: { kind: 'LEERPLICHT' }, purpose: 'MAZL_CONSULTATION', pupil: { ageAtDate: 15 } })
        .effect,
      'deny',
    );
    assert.equal(
      ask({
        recipient: { kind: 'DUO' },
        purpose: 'INSPECTIE_NOTICE',
        reportKind: 'LRV',
        pupil: { ageAtDate: 15 },
      }).effect,
      'deny',
    );
  });

  it('the pending-law rule is off; switched on, the summary goes to DUO from its date, but never sickness to leerplicht', () => {
    const request = {
      recipient: { kind: 'DUO' as const },
      purpose: 'STATUTORY_REPORT',
      reportKind: '16U_MINDERJARIG' as const,
      pupil: { ageAtDate: 14 },
      categories: ['SICK'],
    };
    assert.ok(
      !decide(policy, { ...request, payload }, { at: '2028-01-01' }).released.includes(
        'absence.authorisedSummary',
      ),
    );
    const on = parsePolicy(text.replace('    enabled: false\n', '    enabled: true\n'));
    assert.ok(on.ok);
    assert.ok(
      !decide(on.value, { ...request, payload }, { at: '2027-07-31' }).released.includes(
        'absence.authorisedSummary',
      ),
    );
    assert.ok(
      decide(on.value, { ...request, payload }, { at: '2027-08-01' }).released.includes(
        'absence.authorisedSummary',
      ),
    );
    const leerplicht = decide(
      on.value,
      { ...request, recipient: { kind: 'LEERPLICHT' }, payload },
      { at: '2027-08-01' },
    );
    assert.ok(!leerplicht.released.includes('absence.authorisedSummary'));
    assert.ok(
      verifyInvariants(on.value).every((i) => i.holds),
      'the pending rule keeps every invariant',
    );
  });

  it('keeps absence 5 years after leaving, signals 1 year, drafts 6 months', () => {
    assert.equal(retentionPeriod(policy, 'absence', 'after_leaving'), 'P5Y');
    assert.equal(retentionPeriod(policy, 'enrolment', 'after_leaving'), 'P5Y');
    assert.equal(retentionPeriod(policy, 'signals', 'after_creation'), 'P1Y');
    assert.equal(retentionPeriod(policy, 'report_drafts', 'after_creation'), 'P6M');
  });
});
