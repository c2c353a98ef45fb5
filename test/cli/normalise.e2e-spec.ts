import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { NormalisePayloadUseCase } from '#application';
import { CATEGORIES, SOURCE_SYSTEMS } from '#domain';
import { adapterFor } from '#runtime';
import { somtodayPayload } from '../../apps/cli/src/bench/generate-payloads.js';
import { quarantineLine } from '../../apps/cli/src/commands/normalise.command.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../bin/ketenpoort.js', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function ketenpoort(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { PATH: process.env['PATH'] ?? '' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const CANONICAL_FIELDS = [
  'recordId',
  'sourceSystem',
  'sourceRecordType',
  'sourceId',
  'pupil',
  'school',
  'date',
  'start',
  'end',
  'wholeDay',
  'lessonHourFrom',
  'lessonHourTo',
  'category',
  'legalClass',
  'registeredVia',
  'missedMinutes',
  'missedLessons',
  'reasonCode',
  'explainedBy',
  'mapping',
];

describe('ketenpoort normalise / timetable', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ketenpoort-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('turns a SOMtoday payload into canonical records with every contract field, the same twice', async () => {
    const input = join(SHARED, 'source-systems/somtoday-absentiemeldingen.json');
    const first = await ketenpoort('normalise', '--system', 'somtoday', '--input', input);
    assert.equal(first.code, 0, first.stderr);
    const records = jsonLines(first.stdout);
    assert.ok(records.length > 0);
    for (const record of records) {
      expect(Object.keys(record).sort()).toEqual([...CANONICAL_FIELDS].sort());
      assert.ok((CATEGORIES as readonly string[]).includes(record['category'] as string));
      assert.equal(record['sourceSystem'], 'somtoday');
      assert.ok(!JSON.stringify(record).includes('opmerking'), 'free text never in a canonical record');
    }
    const second = await ketenpoort('normalise', '--system', 'somtoday', '--input', input);
    assert.equal(second.stdout, first.stdout, 'normalising the same input twice gives the same output');
  });

  it('reads --input as a stream, printing what the whole payload gives (one payload, or many batches)', async () => {
    const expected = (system: string, payload: string): { stdout: string; stderr: string } => {
      const out = new NormalisePayloadUseCase().execute({
        adapter: adapterFor(system),
        payload,
        mapping: null,
        timetable: null,
        bellSchedule: null,
      });
      const lines = (items: readonly unknown[]): string =>
        items.map((i) => `${JSON.stringify(i)}\n`).join('');
      return { stdout: lines(out.records), stderr: lines(out.quarantined.map(quarantineLine)) };
    };
    for (const [system, file] of [
      ['somtoday', 'somtoday-waarnemingen.json'],
      ['magister', 'magister-absenties.json'],
      ['eduarte', 'eduarte-absentiemeldingen.json'],
    ]) {
      const input = join(SHARED, `source-systems/${file}`);
      const got = await ketenpoort('normalise', '--system', system, '--input', input);
      assert.equal(got.code, 0, got.stderr);
      const want = expected(system, await readFile(input, 'utf8'));
      assert.equal(got.stdout, want.stdout, file);
      assert.equal(got.stderr, want.stderr, file);
    }
    // 12,000 items: three batches, each printed sorted; together exactly the records of the whole payload.
    const big = join(dir, 'big.json');
    const payload = somtodayPayload(12_000, 9);
    await writeFile(big, payload);
    const got = await ketenpoort('normalise', '--system', 'somtoday', '--input', big);
    assert.equal(got.code, 0, got.stderr);
    const sorted = (text: string): string[] => text.split('\n').filter(Boolean).sort();
    expect(sorted(got.stdout)).toEqual(sorted(expected('somtoday', payload).stdout));
    assert.equal(got.stderr, '');
  });

  it('refuses a directory as --input with exit 2', async () => {
    const { code, stderr } = await ketenpoort('normalise', '--system', 'somtoday', '--input', dir);
    assert.equal(code, 2);
    assert.match(stderr, /EISDIR/);
  });

  it('lists quarantined inputs on stderr as JSON lines and still exits 0', async () => {
    const input = join(dir, 'mixed.json');
    await writeFile(
      input,
      JSON.stringify({ items: [{ $type: 'participatie.RAbsentieMelding', links: 'nope' }] }),
    );
    const { code, stdout, stderr } = await ketenpoort('normalise', '--system', 'somtoday', '--input', input);
    assert.equal(code, 0);
    assert.equal(stdout, '');
    const lines = jsonLines(stderr);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]['quarantined'], true);
    assert.equal(typeof lines[0]['reason'], 'string');
    assert.ok('sourceId' in lines[0]);
  });

  it('refuses an unknown system with exit 2 listing the known ids', async () => {
    const { code, stderr } = await ketenpoort('normalise', '--system', 'parnassys', '--input', 'x.json');
    assert.equal(code, 2);
    for (const id of SOURCE_SYSTEMS) assert.match(stderr, new RegExp(id));
  });

  it('exits 2 for an unreadable input, a bad mapping, or an unknown option', async () => {
    assert.equal(
      (await ketenpoort('normalise', '--system', 'magister', '--input', join(dir, 'missing.json'))).code,
      2,
    );
    const mapping = join(dir, 'mapping.yaml');
    await writeFile(mapping, 'system: magister\nversion: "1"\nreasons:\n  SP: TRUANCY\n');
    const input = join(SHARED, 'source-systems/magister-absenties.json');
    const bad = await ketenpoort('normalise', '--system', 'magister', '--input', input, '--mapping', mapping);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /mapping/);
    assert.equal(
      (await ketenpoort('normalise', '--system', 'magister', '--input', input, '--frobnicate')).code,
      2,
    );
  });

  it('takes the pupil from --pupil when the payload does not name it (Magister app API)', async () => {
    const input = join(SHARED, 'source-systems/magister-absenties.json');
    const without = await ketenpoort('normalise', '--system', 'magister', '--input', input);
    assert.equal(without.stdout, '', 'without a pupil nothing is guessed');
    assert.ok(jsonLines(without.stderr).every((q) => q['reason'] === 'MISSING_FIELD'));
    const { code, stdout } = await ketenpoort(
      'normalise',
      '--system',
      'magister',
      '--input',
      input,
      '--pupil',
      '12345',
    );
    assert.equal(code, 0);
    const first = jsonLines(stdout).find((r) => r['sourceId'] === '5001');
    expect(
      first && [
        first['pupil'],
        first['date'],
        first['start'],
        first['end'],
        first['category'],
        first['missedMinutes'],
      ],
    ).toEqual([
      { localId: '12345' },
      '2026-01-13',
      '2026-01-13T09:20:00+01:00',
      '2026-01-13T10:10:00+01:00',
      'UNAUTHORISED',
      50,
    ]);
  });

  it('prints Zermelo lessons as JSON lines', async () => {
    const input = join(SHARED, 'source-systems/zermelo-appointments.json');
    const { code, stdout } = await ketenpoort('timetable', '--system', 'zermelo', '--input', input);
    assert.equal(code, 0);
    const lessons = jsonLines(stdout);
    assert.ok(lessons.length > 0);
    for (const lesson of lessons) {
      for (const field of [
        'lessonId',
        'date',
        'start',
        'end',
        'lessonHour',
        'durationMinutes',
        'cancelled',
        'sourceSystem',
        'sourceId',
      ]) {
        assert.ok(field in lesson, `lesson has ${field}`);
      }
    }
  });

  it('refuses a timetable for a system that has none', async () => {
    const input = join(SHARED, 'source-systems/oso-dossier-po.xml');
    assert.equal((await ketenpoort('timetable', '--system', 'oso', '--input', input)).code, 2);
  });

  it('prints the SOMtoday timetable (afspraken) as lessons, one per pupil', async () => {
    const input = join(ROOT, 'libs/adapters/somtoday/fixtures/ok/afspraken.json');
    const { code, stdout, stderr } = await ketenpoort('timetable', '--system', 'somtoday', '--input', input);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    const lessons = jsonLines(stdout);
    expect(
      lessons.map((l) => [l['lessonId'], l['pupil'] ?? null, l['cancelled'], l['subject'] ?? null]),
    ).toEqual([
      ['5500000001', '1234500017', false, 'wisB'],
      ['5500000001', '1234500025', false, 'wisB'],
      ['5500000002', null, true, null],
    ]);
    for (const lesson of lessons) assert.equal(lesson['sourceSystem'], 'somtoday');
  });
});
