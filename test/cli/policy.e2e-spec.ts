import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { REPORT_FIELD_PATHS } from '#domain';
import { decide, parseDisclosureRequest, parsePolicy } from '#privacy';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin/ketenpoort.js');
const DEFAULT_POLICY = join(ROOT, 'config/privacy/default.policy.yaml');

async function ketenpoort(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { PATH: process.env['PATH'] ?? '' },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

interface VerifyOutput {
  holds: boolean;
  combinationsChecked: number;
  invariants: {
    id: string;
    holds: boolean;
    combinationsChecked: number;
    counterexample?: { request: { recipient: { kind: string } }; field: string; releasedBy: string };
  }[];
}

/** Each invariant of the default policy, and an edit that breaks exactly that promise. */
const BREAKS: {
  invariant: string;
  edits: [string, string][];
  field: string;
  releasedBy: string;
  recipient?: string;
}[] = [
  {
    invariant: 'geen-ziekte-naar-leerplicht',
    edits: [
      ['categoriesAny: [SICK, MEDICAL_VISIT, SCHOOL_SUSPENSION]', 'categoriesAny: [SCHOOL_SUSPENSION]'],
      [
        '[onderwijsnummer, identification, contact, school, absence, absence_clock, school_action, reporter]',
        '[onderwijsnummer, suspected_reason]',
      ],
    ],
    field: 'report.suspectedReason',
    releasedBy: 'leerplicht-meerderjarig',
  },
  {
    invariant: 'geen-schorsing-naar-leerplicht',
    edits: [
      ['categoriesAny: [SICK, MEDICAL_VISIT, SCHOOL_SUSPENSION]', 'categoriesAny: [SICK, MEDICAL_VISIT]'],
      [
        '[onderwijsnummer, identification, contact, school, absence, absence_clock, school_action, reporter]',
        '[onderwijsnummer, suspected_reason]',
      ],
    ],
    field: 'report.suspectedReason',
    releasedBy: 'leerplicht-meerderjarig',
  },
  {
    invariant: 'vrije-tekst-verlaat-school-nooit',
    edits: [
      ['    fields: [free_text]\n', '    fields: [health]\n'],
      ['        bsn,\n', '        bsn,\n        registration.remarks,\n'],
    ],
    field: 'registration.remarks',
    releasedBy: 'duo-verzuimmelding',
    recipient: 'DUO',
  },
  {
    invariant: 'gezondheid-niet-naar-handhaving',
    edits: [
      [
        'recipients: [DUO, LEERPLICHT, DOORSTROOMPUNT]\n    fields: [health]',
        'recipients: [LEERPLICHT, DOORSTROOMPUNT]\n    fields: [health]',
      ],
      ['        bsn,\n', '        bsn,\n        health,\n'],
    ],
    field: 'health.detail',
    releasedBy: 'duo-verzuimmelding',
    recipient: 'DUO',
  },
  {
    invariant: 'bsn-alleen-naar-duo',
    edits: [
      ['    fields: [bsn]\n', '    fields: [onderwijsnummer]\n'],
      ['fields: [identification, parent_contact,', 'fields: [bsn, identification, parent_contact,'],
    ],
    field: 'pupil.bsn',
    releasedBy: 'jgz-mazl-met-toestemming',
    recipient: 'JGZ',
  },
  {
    invariant: 'jgz-alleen-met-toestemming',
    edits: [
      ['consent: { jgz: not_given }', 'consent: { jgz: absent }'],
      ['consent: { jgz: given }', 'consent: { jgz: withdrawn }'],
    ],
    field: 'pupil.name',
    releasedBy: 'jgz-mazl-met-toestemming',
    recipient: 'JGZ',
  },
  {
    invariant: 'inspectie-geen-verzuimhistorie',
    edits: [
      ['fields: [absence_history, authorised_absence]', 'fields: [authorised_absence]'],
      ['absence.days, school_action, reporter]', 'absence.days, absence.hours, school_action, reporter]'],
    ],
    field: 'absence.hours',
    releasedBy: 'inspectie-schorsing-verwijdering',
    recipient: 'INSPECTIE',
  },
  {
    invariant: 'besluit-leerplicht-niet-naar-school',
    edits: [
      [
        '      recipients: [SCHOOL]\n    fields: [officer_decision]',
        '      recipients: [SCHOOL]\n    fields: [officer.notes]',
      ],
      ['    fields: [status_feedback]\n', '    fields: [status_feedback, officer.decision]\n'],
    ],
    field: 'officer.decision',
    releasedBy: 'school-terugkoppeling',
    recipient: 'SCHOOL',
  },
];

describe('ketenpoort policy', () => {
  let dir: string;
  let policyText: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ketenpoort-policy-'));
    policyText = await readFile(DEFAULT_POLICY, 'utf8');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('check: the default policy is valid', async () => {
    const result = await ketenpoort('policy', 'check', DEFAULT_POLICY);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(out['valid'], true);
    expect(out['policy']).toEqual({ id: 'ketenpoort-standaard', version: '2025.1' });
    expect(out['problems']).toEqual([]);
  });

  it('check: a broken policy lists every problem with its line, exit 1', async () => {
    const lines = policyText.split('\n');
    const versionLine = lines.findIndex((l) => l.startsWith('version:'));
    const ageLine = lines.findIndex((l) => l.includes('ageBelow: 18'));
    const fieldsLine = lines.findIndex((l) => l.includes('fields: [bsn]'));
    lines[versionLine] = 'version: 2025';
    lines[ageLine] = lines[ageLine].replace('18', 'achttien');
    lines[fieldsLine] = lines[fieldsLine].replace('[bsn]', '[burgerservicenummer]');
    const file = join(dir, 'broken.policy.yaml');
    await writeFile(file, lines.join('\n'));
    const result = await ketenpoort('policy', 'check', file);
    assert.equal(result.code, 1);
    const out = JSON.parse(result.stdout) as {
      valid: boolean;
      problems: { line: number; code: string; path: string }[];
    };
    assert.equal(out.valid, false);
    expect(out.problems.map((p) => [p.line, p.code])).toEqual([
      [versionLine + 1, 'SCHEMA_TYPE'],
      [ageLine + 1, 'SCHEMA_TYPE'],
    ]); // 'schema problems come first; semantic checks run on a schema-valid policy'
    const semantic = lines.join('\n').replace('version: 2025', "version: '2025'").replace('achttien', '18');
    await writeFile(file, semantic);
    const second = JSON.parse((await ketenpoort('policy', 'check', file)).stdout) as typeof out;
    expect(second.problems.map((p) => [p.line, p.code, p.path])).toEqual([
      [
        fieldsLine + 1,
        'UNKNOWN_DATA_CATEGORY',
        `rules[${rulesIndexOf(semantic, 'bsn-alleen-naar-duo')}].fields[0]`,
      ],
    ]);
  });

  it('check: an unreadable file is exit 2; a missing subcommand too', async () => {
    assert.equal((await ketenpoort('policy', 'check', join(dir, 'nope.yaml'))).code, 2);
    assert.equal((await ketenpoort('policy')).code, 2);
    assert.equal((await ketenpoort('policy', 'check')).code, 2);
  });

  it('verify: every invariant of the default policy holds over the whole domain', async () => {
    const result = await ketenpoort('policy', 'verify', DEFAULT_POLICY);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as VerifyOutput;
    assert.equal(out.holds, true);
    expect(out.invariants.map((i) => i.id).sort()).toEqual(BREAKS.map((b) => b.invariant).sort());
    // The default declares exactly the statutory floor: every invariant is proven as the floor's.
    assert.ok(out.invariants.every((i) => (i as { source?: string }).source === 'floor'));
    // 6 recipients × 7 purposes × 7 report kinds × 154 category sets × 3 age bands (<18, 18–22, ≥23) × 3 consents × 2 moments × 45 fields (the DUO vocabulary added 9, the klokuren 1, the school's feedback 6: ADR 0026)
    assert.equal(out.combinationsChecked, 6 * 7 * 7 * 154 * 3 * 3 * 2 * 45);
    for (const invariant of out.invariants) {
      assert.equal(invariant.holds, true, invariant.id);
      assert.equal(invariant.combinationsChecked, out.combinationsChecked);
      assert.equal(invariant.counterexample, undefined);
    }
  });

  for (const broken of BREAKS) {
    it(`verify: breaking ${broken.invariant} on purpose yields its counterexample, exit 1`, async () => {
      let text = policyText;
      for (const [from, to] of broken.edits) {
        assert.ok(text.includes(from), `edit target present: ${from}`);
        text = text.replace(from, to);
      }
      const file = join(dir, `${broken.invariant}.policy.yaml`);
      await writeFile(file, text);
      const result = await ketenpoort('policy', 'verify', file);
      assert.equal(result.code, 1, result.stdout);
      const out = JSON.parse(result.stdout) as VerifyOutput;
      assert.equal(out.holds, false);
      const failed = out.invariants.filter((i) => !i.holds).map((i) => i.id);
      expect(failed).toEqual([broken.invariant]);
      const found = out.invariants.find((i) => i.id === broken.invariant)!.counterexample!;
      assert.equal(found.field, broken.field);
      assert.equal(found.releasedBy, broken.releasedBy);
      if (broken.recipient) assert.equal(found.request.recipient.kind, broken.recipient);
      assert.match(result.stderr, new RegExp(`invariant ${broken.invariant} does not hold`));

      // The counterexample is a real request: the engine releases the field for it.
      const at = (found as unknown as { at: string }).at;
      const parsed = parsePolicy(text);
      assert.ok(parsed.ok);
      const request = parseDisclosureRequest(found.request);
      assert.ok(request.ok);
      assert.ok(decide(parsed.value, request.value, { at }).released.includes(broken.field));

      // And so `policy decide` refuses to decide anything under that file (ADR 0012): exit 1, coded.
      const requestFile = join(dir, `${broken.invariant}.request.json`);
      await writeFile(requestFile, JSON.stringify(found.request));
      const decided = await ketenpoort(
        'policy',
        'decide',
        '--policy',
        file,
        '--request',
        requestFile,
        '--at',
        at,
      );
      assert.equal(decided.code, 1);
      const refused = JSON.parse(decided.stdout) as { code: string; failing: { invariant: string }[] };
      assert.equal(refused.code, 'POLICY_PROOF_FAILED');
      expect(refused.failing.map((f) => f.invariant)).toEqual([broken.invariant]);
      assert.match(
        decided.stderr,
        new RegExp(`INVARIANT_VIOLATED: ${broken.invariant}: Wettelijke invariant`),
      );
      assert.doesNotMatch(decided.stderr, /\n\s+at /);
    });
  }

  it('decide: prints the decision for a request file, at a given moment', async () => {
    const requestFile = join(dir, 'request.json');
    await writeFile(
      requestFile,
      JSON.stringify({
        recipient: { kind: 'LEERPLICHT' },
        purpose: 'LEERPLICHT_ENFORCEMENT',
        reportKind: '16U_MINDERJARIG',
        pupil: { ageAtDate: 15 },
        payload: Object.fromEntries(REPORT_FIELD_PATHS.map((f) => [f, 'x'])),
      }),
    );
    const result = await ketenpoort(
      'policy',
      'decide',
      '--policy',
      DEFAULT_POLICY,
      '--request',
      requestFile,
      '--at',
      '2026-02-02',
    );
    assert.equal(result.code, 0, result.stderr);
    const decision = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(decision).sort()).toEqual([
      'determinedBy',
      'effect',
      'explanation',
      'obligations',
      'policy',
      'released',
      'withheld',
    ]);
    assert.equal(decision['effect'], 'permit');
    assert.match(
      decision['explanation'] as string,
      /^Aan de leerplichtafdeling van de woongemeente voor handhaving/,
    );

    const early = await ketenpoort(
      'policy',
      'decide',
      '--policy',
      DEFAULT_POLICY,
      '--request',
      requestFile,
      '--at',
      '2024-01-01',
    );
    assert.equal((JSON.parse(early.stdout) as { effect: string }).effect, 'deny');
  });

  it('verify: removing the invariants from the text removes nothing from the floor', async () => {
    const file = join(dir, 'no-invariants.policy.yaml');
    await writeFile(file, policyText.slice(0, policyText.indexOf('\ninvariants:')) + '\ninvariants: []\n');
    const result = await ketenpoort('policy', 'verify', file);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as VerifyOutput;
    assert.equal(out.invariants.length, BREAKS.length);
  });

  it('decide: a malformed request or moment is exit 2', async () => {
    const requestFile = join(dir, 'bad-request.json');
    await writeFile(
      requestFile,
      JSON.stringify({ recipient: { kind: 'POLITIE' }, purpose: 'X', pupil: {}, payload: {} }),
    );
    const bad = await ketenpoort('policy', 'decide', '--policy', DEFAULT_POLICY, '--request', requestFile);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /recipient\.kind/);
    assert.equal((await ketenpoort('policy', 'decide', '--policy', DEFAULT_POLICY)).code, 2);
  });
});

function rulesIndexOf(text: string, id: string): number {
  const ids = [...text.matchAll(/^ {2}- id: (\S+)/gm)].map((m) => m[1]);
  const ruleIds = ids.slice(0, ids.indexOf('wetsvoorstel-geoorloofd-verzuim-meesturen') + 1);
  return ruleIds.indexOf(id);
}
