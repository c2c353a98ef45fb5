import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { XMLValidator } from 'fast-xml-parser';
import { safeXmlParser } from '#adapter-kit';
import { compactVerify, decodeProtectedHeader } from 'jose';

// `report duo|leerplicht` run as the real command (contracts §1, issue 6). These specs live in test/cli/ (not next
// to the command) because they read the output with fast-xml-parser and jose, which the layering keeps out of apps/.

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin/ketenpoort.js');
const FIXTURE = join(ROOT, 'test/cli/fixtures/approved-report.json');
const REPORT_SCHEMA = join(ROOT, 'config/leerplicht/report.schema.json');
const DEFAULT_POLICY = join(ROOT, 'config/privacy/default.policy.yaml');
const AT = '2026-03-02T08:00:00Z';
const DUO_FIXTURES = join(ROOT, 'libs/connectors/duo-rod/fixtures');
const SENDER_KEY = join(DUO_FIXTURES, 'sender.key.pem');
const SENDER_CERT = join(DUO_FIXTURES, 'sender.cert.pem');
const OTHER_KEY = join(DUO_FIXTURES, 'other.key.pem');
const BSN = '123456782';

let dir: string;
let dataDir: string;

async function ketenpoort(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { PATH: process.env['PATH'] ?? '', DATA_DIR: dataDir, ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function fixture(): Promise<{
  id: string;
  kind: string;
  status: string;
  fields: Record<string, unknown>;
}> {
  return JSON.parse(await readFile(FIXTURE, 'utf8')) as {
    id: string;
    kind: string;
    status: string;
    fields: Record<string, unknown>;
  };
}

let counter = 0;
async function file(content: string | object): Promise<string> {
  const path = join(dir, `input-${++counter}.json`);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** One line, coded, no stack trace: what every exit-2 message must look like. */
function assertCodedLine(stderr: string, code: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line expected, got:\n${stderr}`);
  assert.match(lines[0], code);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ketenpoort-report-'));
  dataDir = join(dir, 'data');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ketenpoort report duo', () => {
  type Body = {
    MeldenRelatiefVerzuim: {
      verzendendeInstantie: string;
      meldingRelatiefVerzuim: {
        kenmerkMelding: string;
        onderwijsdeelnemer: { BSN: string };
        onderwijsinstelling: { BRIN: string };
        beginverzuim: string;
      };
    };
  };
  const read = (stdout: string) =>
    safeXmlParser({ removeNSPrefix: true, decode: true }).parse(stdout) as {
      Envelope: {
        Header: {
          MessageID: string;
          To: string;
          From: { Address: string };
          Security?: { BinarySecurityToken: string; Signature: unknown; Timestamp: { Created: string } };
        };
        Body: Body;
      };
    };

  it('prints the DUO ROD SOAP message (ibg-vsv-2): well-formed XML carrying the BSN, no withheld values', async () => {
    const { code, stdout, stderr } = await ketenpoort(['report', 'duo', '--report', FIXTURE, '--at', AT]);
    assert.equal(code, 0, stderr);
    assert.equal(XMLValidator.validate(stdout), true);
    const xml = read(stdout);
    const melding = xml.Envelope.Body.MeldenRelatiefVerzuim.meldingRelatiefVerzuim;
    assert.equal(melding.onderwijsdeelnemer.BSN, BSN);
    assert.equal(melding.kenmerkMelding, 'rep-2026-0001');
    assert.equal(melding.onderwijsinstelling.BRIN, '99XX');
    assert.equal(melding.beginverzuim, '2026-02-02');
    assert.match(xml.Envelope.Header.To, /oin=00000001800866472000$/);
    assert.equal(xml.Envelope.Header.Security, undefined, 'without --key and --cert: unsigned');
    assert.match(stderr, /unsigned: give --key and --cert/);
    // The default policy sends DUO no name, no free text, no health data.
    for (const value of ['Sam de Vries', 'opmerking uit het LAS', 'R. de Vries'])
      assert.ok(!stdout.includes(value), 'a withheld value is in the output');
    // The withheld summary names fields and rules, never values.
    assert.match(stderr, /withheld \d+ field\(s\): .*pupil\.name \(default-deny\)/);
    assert.match(stderr, /registration\.remarks \(vrije-tekst-blijft-op-school\)/);
    assert.ok(!stderr.includes('Sam de Vries') && !stderr.includes(BSN));
  });

  it('with --key and --cert prints the signed envelope: the sender is the certificate’s OIN, the token its certificate', async () => {
    const { code, stdout, stderr } = await ketenpoort([
      'report',
      'duo',
      '--report',
      FIXTURE,
      '--at',
      AT,
      '--key',
      SENDER_KEY,
      '--cert',
      SENDER_CERT,
    ]);
    assert.equal(code, 0, stderr);
    assert.ok(!stderr.includes('unsigned'));
    const xml = read(stdout);
    const security = xml.Envelope.Header.Security!;
    assert.ok(security.Signature, 'a ds:Signature');
    assert.equal(security.Timestamp.Created, '2026-03-02T08:00:00.000Z');
    const certificate = new X509Certificate(await readFile(SENDER_CERT));
    assert.equal(security.BinarySecurityToken, certificate.raw.toString('base64'));
    assert.match(xml.Envelope.Header.From.Address, /oin=00000001999999990000$/);
    assert.equal(xml.Envelope.Body.MeldenRelatiefVerzuim.verzendendeInstantie, '00000001999999990000');
    assert.match(
      stdout,
      /<ds:SignatureMethod Algorithm="http:\/\/www\.w3\.org\/2001\/04\/xmldsig-more#rsa-sha256"\/>/,
    );
    const again = await ketenpoort([
      'report',
      'duo',
      '--report',
      FIXTURE,
      '--at',
      AT,
      '--key',
      SENDER_KEY,
      '--cert',
      SENDER_CERT,
    ]);
    assert.equal(again.stdout, stdout, 'the same report, key and --at: byte-identical');
  });

  const signingRefusals: [string, string[], RegExp][] = [
    ['--key without --cert', ['--key', SENDER_KEY], /--key and --cert go together/],
    [
      'a key that is not the certificate’s',
      ['--key', OTHER_KEY, '--cert', SENDER_CERT],
      /SIGNING_KEY_INVALID: the signing key does not belong/,
    ],
    [
      'a certificate file that cannot be read',
      ['--key', SENDER_KEY, '--cert', '/nonexistent/cert.pem'],
      /cannot read cert/,
    ],
  ];
  for (const [name, options, message] of signingRefusals)
    it(`refuses ${name} (exit 2, one coded line, no key material)`, async () => {
      const { code, stdout, stderr } = await ketenpoort(['report', 'duo', '--report', FIXTURE, ...options]);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assertCodedLine(stderr, message);
      assert.ok(!stderr.includes('PRIVATE KEY'));
    });

  it('uses DUO_OIN and SCHOOL_OIN from the settings', async () => {
    const { code, stdout } = await ketenpoort(['report', 'duo', '--report', FIXTURE, '--at', AT], {
      DUO_OIN: '00000001111111111000',
      SCHOOL_OIN: '00000001222222222000',
    });
    assert.equal(code, 0);
    assert.match(stdout, /oin=00000001111111111000</);
    assert.match(stdout, /oin=00000001222222222000</);
  });

  it('is deterministic: the same report and --at give byte-identical output', async () => {
    const a = await ketenpoort(['report', 'duo', '--report', FIXTURE, '--at', AT]);
    const b = await ketenpoort(['report', 'duo', '--report', FIXTURE, '--at', AT]);
    assert.equal(a.code, 0);
    assert.equal(a.stdout, b.stdout);
  });

  it('refuses leerplicht-only options (exit 2)', async () => {
    const { code, stdout, stderr } = await ketenpoort(['report', 'duo', '--report', FIXTURE, '--signed']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assertCodedLine(stderr, /--signed: only for report leerplicht/);
  });
});

describe('ketenpoort report leerplicht', () => {
  it('prints the report JSON on one line: valid against report.schema.json, no BSN', async () => {
    const { code, stdout, stderr } = await ketenpoort([
      'report',
      'leerplicht',
      '--report',
      FIXTURE,
      '--recipient',
      '0363',
      '--at',
      AT,
    ]);
    assert.equal(code, 0, stderr);
    assert.equal(stdout.split('\n').length, 2, 'one line and its newline');
    const report = JSON.parse(stdout) as Record<string, unknown> & {
      pupil?: Record<string, unknown>;
      recipient: { kind: string; id: string };
    };
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(
      JSON.parse(await readFile(REPORT_SCHEMA, 'utf8')) as object,
    );
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.equal(report.pupil?.['bsn'], undefined);
    assert.ok(!stdout.includes(BSN));
    expect(report.recipient).toEqual({ kind: 'LEERPLICHT', id: '0363' });
    assert.equal(report['issuedAt'], '2026-03-02T08:00:00.000Z');
    assert.equal(report['reportId'], 'rep-2026-0001');
    assert.match(stderr, /pupil\.bsn \(bsn-alleen-naar-duo\)/);
    assert.doesNotMatch(stderr, /placeholder/);
  });

  it('warns on stderr and uses placeholder recipient 0000 without --recipient', async () => {
    const { code, stdout, stderr } = await ketenpoort([
      'report',
      'leerplicht',
      '--report',
      FIXTURE,
      '--at',
      AT,
    ]);
    assert.equal(code, 0);
    expect((JSON.parse(stdout) as { recipient: unknown }).recipient).toEqual({
      kind: 'LEERPLICHT',
      id: '0000',
    });
    assert.match(stderr, /no --recipient: using placeholder 0000/);
  });

  it('--signed prints a compact JWS that verifies with the key in DATA_DIR; its report equals the JSON', async () => {
    const args = ['report', 'leerplicht', '--report', FIXTURE, '--recipient', '0363', '--at', AT];
    const plain = await ketenpoort(args);
    const signed = await ketenpoort([...args, '--signed']);
    assert.equal(signed.code, 0, signed.stderr);
    const jws = signed.stdout.trimEnd();
    assert.equal(signed.stdout, `${jws}\n`);
    assert.match(jws, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const pem = await readFile(join(dataDir, 'leerplicht-signing-key.pem'), 'utf8');
    const publicKey = createPublicKey(createPrivateKey(pem));
    const { payload, protectedHeader } = await compactVerify(jws, publicKey);
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(protectedHeader.typ, 'leerplicht-report+jwt');
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    expect(claims['report']).toEqual(JSON.parse(plain.stdout));
    assert.equal(claims['jti'], 'kp-leerplicht-register-rep-2026-0001');
    assert.equal(claims['aud'], 'LEERPLICHT:0363');
    assert.equal(claims['iat'], Date.parse(AT) / 1000);
  });

  it('--signed is deterministic with --at and the same key (ES256 signatures differ; header and claims do not)', async () => {
    const args = ['report', 'leerplicht', '--report', FIXTURE, '--recipient', '0363', '--at', AT, '--signed'];
    const a = (await ketenpoort(args)).stdout.split('.');
    const b = (await ketenpoort(args)).stdout.split('.');
    assert.equal(a[0], b[0]);
    assert.equal(a[1], b[1]);
    assert.equal(decodeProtectedHeader(`${a[0]}..`).kid !== undefined, true);
  });

  it('unsigned output is byte-identical for the same input and --at', async () => {
    const args = ['report', 'leerplicht', '--report', FIXTURE, '--recipient', '0363', '--at', AT];
    assert.equal((await ketenpoort(args)).stdout, (await ketenpoort(args)).stdout);
  });

  it('sends a DOORSTROOMPUNT report to the Doorstroompunt (recipient kind from the report kind)', async () => {
    const report = await fixture();
    const path = await file({
      ...report,
      kind: 'DOORSTROOMPUNT',
      fields: { ...report.fields, 'pupil.birthDate': '2006-01-10', 'absence.kind': 'DOORSTROOMPUNT' },
    });
    const { code, stdout, stderr } = await ketenpoort([
      'report',
      'leerplicht',
      '--report',
      path,
      '--recipient',
      'RMC-07',
      '--at',
      AT,
    ]);
    assert.equal(code, 0, stderr);
    expect((JSON.parse(stdout) as { recipient: unknown }).recipient).toEqual({
      kind: 'DOORSTROOMPUNT',
      id: 'RMC-07',
    });
  });
});

describe('ketenpoort report: refusals', () => {
  it('exit 1 with the Dutch explanation and nothing on stdout when the policy denies', async () => {
    const policy = (await readFile(DEFAULT_POLICY, 'utf8')).replace(
      /recipients: \[DUO\]\n/,
      'recipients: [INSPECTIE]\n',
    );
    assert.notEqual(policy, await readFile(DEFAULT_POLICY, 'utf8'), 'the edit must change the policy');
    const path = join(dir, 'deny.policy.yaml');
    await writeFile(path, policy);
    const { code, stdout, stderr } = await ketenpoort([
      'report',
      'duo',
      '--report',
      FIXTURE,
      '--policy',
      path,
      '--at',
      AT,
    ]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assertCodedLine(stderr, /^ketenpoort report duo: PRIVACY_DENIED: \S.*/);
    assert.ok(!stderr.includes(BSN));
  });

  it('exit 1 naming the invariant when --policy fails its proof; nothing is formatted', async () => {
    const policy = (await readFile(DEFAULT_POLICY, 'utf8'))
      .replace(
        / {2}- id: bsn-alleen-naar-duo\n {4}effect: forbid\n/,
        '  - id: bsn-alleen-naar-duo\n    effect: forbid\n    enabled: false\n',
      )
      .replace(
        '[onderwijsnummer, identification, contact, school, absence, absence_clock, school_action, reporter]',
        '[bsn, onderwijsnummer, identification, contact, school, absence, absence_clock, school_action, reporter]',
      );
    const path = join(dir, 'unproven.policy.yaml');
    await writeFile(path, policy);
    const { code, stdout, stderr } = await ketenpoort([
      'report',
      'duo',
      '--report',
      FIXTURE,
      '--policy',
      path,
      '--at',
      AT,
    ]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /POLICY_PROOF_FAILED: .*unproven\.policy\.yaml fails its proof/);
    assert.match(stderr, /INVARIANT_VIOLATED: bsn-alleen-naar-duo: Wettelijke invariant/);
    assert.doesNotMatch(stderr, /\n\s+at /);
    assert.ok(!stderr.includes(BSN));
  });

  it('exit 2 with the problems of an invalid --policy', async () => {
    const path = await file('id: kapot\nversion: 1\n');
    const { code, stdout, stderr } = await ketenpoort([
      'report',
      'duo',
      '--report',
      FIXTURE,
      '--policy',
      path,
    ]);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assertCodedLine(stderr, /POLICY_INVALID: .*input-\d+\.json: /);
  });

  const BAD: [string, (r: Awaited<ReturnType<typeof fixture>>) => unknown, RegExp][] = [
    ['not an object', () => [1, 2], /REPORT_INVALID: the report must be a JSON object/],
    ['no id', (r) => ({ ...r, id: '' }), /REPORT_INVALID: id must be a non-empty string/],
    ['an unknown kind', (r) => ({ ...r, kind: 'SPIJBELEN' }), /REPORT_INVALID: kind must be one of/],
    ['an unknown status', (r) => ({ ...r, status: 'GOEDGEKEURD' }), /REPORT_INVALID: status must be one of/],
    ['a draft', (r) => ({ ...r, status: 'DRAFT' }), /REPORT_NOT_APPROVED: status DRAFT/],
    ['no fields', (r) => ({ ...r, fields: [] }), /REPORT_INVALID: fields must be an object/],
    [
      'an unknown field path',
      (r) => ({ ...r, fields: { ...r.fields, 'pupil.shoeSize': 42 } }),
      /REPORT_INVALID: unknown field path\(s\): pupil\.shoeSize/,
    ],
    [
      'a bad date',
      (r) => ({ ...r, fields: { ...r.fields, 'absence.beginDate': '2026-02-30' } }),
      /REPORT_INVALID: fields\.absence\.beginDate must be YYYY-MM-DD/,
    ],
    [
      'no birth date',
      (r) => {
        const { 'pupil.birthDate': _, ...fields } = r.fields;
        return { ...r, fields };
      },
      /REPORT_INVALID: fields\.pupil\.birthDate is required/,
    ],
    [
      'a birth date after the absence',
      (r) => ({ ...r, fields: { ...r.fields, 'pupil.birthDate': '2027-01-01' } }),
      /REPORT_INVALID: fields\.pupil\.birthDate must lie before/,
    ],
    [
      'an unknown absence.kind',
      (r) => ({ ...r, fields: { ...r.fields, 'absence.kind': 'X' } }),
      /REPORT_INVALID: fields\.absence\.kind must be one of/,
    ],
    [
      'a released value of the wrong shape',
      (r) => ({ ...r, fields: { ...r.fields, 'absence.hours': 'veel' } }),
      /DUO_FIELD_INVALID: .*absence\.hours/,
    ],
  ];
  for (const [name, edit, message] of BAD) {
    it(`exit 2 (coded, one line, no values) for a report with ${name}`, async () => {
      const path = await file(edit(await fixture()) as object);
      const { code, stdout, stderr } = await ketenpoort(['report', 'duo', '--report', path, '--at', AT]);
      assert.equal(code, 2, stderr);
      assert.equal(stdout, '');
      assertCodedLine(stderr, message);
      assert.ok(!stderr.includes(BSN));
    });
  }

  it('exit 2 when a released value does not fit the leerplicht report (paths, never values)', async () => {
    const report = await fixture();
    const path = await file({ ...report, fields: { ...report.fields, 'pupil.onderwijsnummer': 'abc-123' } });
    const { code, stdout, stderr } = await ketenpoort([
      'report',
      'leerplicht',
      '--report',
      path,
      '--recipient',
      '0363',
    ]);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assertCodedLine(stderr, /LEERPLICHT_PAYLOAD_INVALID: .*pupil\.onderwijsnummer/);
    assert.ok(!stderr.includes('abc-123'));
  });

  it('exit 2 when the configured signing key cannot be read (named, never its path or content)', async () => {
    const { code, stdout, stderr } = await ketenpoort(
      ['report', 'leerplicht', '--report', FIXTURE, '--recipient', '0363', '--signed'],
      { LEERPLICHT_SIGNING_KEY: join(dir, 'missing-key.pem') },
    );
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assertCodedLine(stderr, /CONFIGURATION_INVALID: the leerplicht signing key cannot be read \(ENOENT\)/);
    assert.ok(!stderr.includes('missing-key'));
  });

  it('exit 2 for a file that is not JSON, and for a missing file', async () => {
    const notJson = await ketenpoort(['report', 'leerplicht', '--report', await file('<melding/>')]);
    assert.equal(notJson.code, 2);
    assertCodedLine(notJson.stderr, /REPORT_INVALID: .* is not JSON/);
    const missing = await ketenpoort(['report', 'leerplicht', '--report', join(dir, 'nope.json')]);
    assert.equal(missing.code, 2);
    assertCodedLine(missing.stderr, /cannot read report .*nope\.json \(ENOENT\)/);
  });

  it('exit 2 for bad usage: unknown subcommand, no subcommand, no --report, bad --at, unknown option', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['report', 'inspectie', '--report', FIXTURE],
        /unknown subcommand "inspectie"; known: duo, leerplicht/,
      ],
      [['report'], /report needs a subcommand: duo, leerplicht/],
      [['report', 'duo'], /report duo needs --report <file>/],
      [['report', 'duo', '--report', FIXTURE, '--at', 'gisteren'], /AT_INVALID/],
      [['report', 'leerplicht', '--report', FIXTURE, '--recipient-kind', 'jgz'], /--recipient-kind must be/],
      [['report', 'leerplicht', '--report', FIXTURE, '--frobnicate'], /frobnicate/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await ketenpoort(args);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.equal(stdout, '');
      assertCodedLine(stderr, message);
    }
  });

  it('--help for both subcommands (exit 0, usage on stdout)', async () => {
    for (const sub of ['duo', 'leerplicht']) {
      const { code, stdout } = await ketenpoort(['report', sub, '--help']);
      assert.equal(code, 0);
      assert.match(stdout, /report duo --report <file>/);
      assert.match(stdout, /report leerplicht --report <file> \[--signed\]/);
    }
  });
});
