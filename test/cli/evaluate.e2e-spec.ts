import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CALENDAR, lessons, rec, truantDays } from '../signals/support.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin/ketenpoort.js');

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

const lines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('ketenpoort evaluate', () => {
  let dir: string;
  let records: string;
  let pupils: string;
  let calendar: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kp-evaluate-'));
    records = join(dir, 'records.jsonl');
    pupils = join(dir, 'pupils.json');
    calendar = join(dir, 'calendar.json');
    const rs = [
      ...lessons('2025-09-08', 1, 8, 'UNAUTHORISED'),
      ...lessons('2025-09-09', 1, 8, 'UNAUTHORISED'),
      ...lessons('2025-09-10', 1, 8, 'UNAUTHORISED', { pupilId: 'adult' }),
      ...lessons('2025-09-11', 1, 8, 'UNAUTHORISED', { pupilId: 'adult' }),
      ...truantDays(['2025-09-12'], 'UNAUTHORISED', { pupilId: 'ghost' }),
      ...nLate(12),
    ];
    await writeFile(records, rs.map((r) => JSON.stringify(r)).join('\n') + '\n');
    await writeFile(
      pupils,
      JSON.stringify([
        { localId: 'p1', birthDate: '2011-03-15', sector: 'vo' },
        { localId: 'adult', birthDate: '2006-01-01', sector: 'mbo', startkwalificatie: true },
      ]),
    );
    await writeFile(calendar, JSON.stringify(CALENDAR));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  function nLate(n: number): ReturnType<typeof rec>[] {
    const days = ['2025-09-15', '2025-09-16', '2025-09-17', '2025-09-18', '2025-09-19', '2025-09-22'];
    return Array.from({ length: n }, (_, i) =>
      rec(
        days[i % days.length],
        'LATE_UNAUTHORISED',
        { minutes: 10, lessons: 0, tag: String(i) },
        1 + Math.floor(i / 6),
      ),
    );
  }

  it('writes signals as JSON Lines (national pack by default), the same ids every run', async () => {
    const args = [
      'evaluate',
      '--records',
      records,
      '--pupils',
      pupils,
      '--calendar',
      calendar,
      '--as-of',
      '2025-09-12',
    ];
    const first = await ketenpoort(...args);
    assert.equal(first.code, 0, first.stderr);
    const signals = lines(first.stdout).filter((s) => s['rule'] === 'LPW_16H_4W');
    expect(
      signals.map((s) => [
        (s['pupil'] as { localId: string }).localId,
        s['reportKind'],
        s['mandatory'],
        s['endDate'],
      ]),
    ).toEqual([
      ['adult', '16U_MEERDERJARIG', false, '2025-09-11'],
      ['p1', '16U_MINDERJARIG', true, '2025-09-09'],
    ]);
    expect(signals[1]?.['rulepack']).toEqual({ id: 'nl-national', version: '2025.1' });
    assert.match(first.stderr, /skipped 8 records of 1 pupils/);
    const second = await ketenpoort(...args);
    assert.equal(second.stdout, first.stdout);
  });

  it('takes a national and a regional pack (--rulepack twice), or a regional pack alone', async () => {
    const national = join(ROOT, 'config/rulepacks/national.yaml');
    const regional = join(ROOT, 'config/rulepacks/regional/rmc-utrecht.yaml');
    const both = await ketenpoort(
      'evaluate',
      '--records',
      records,
      '--pupils',
      pupils,
      '--calendar',
      calendar,
      '--rulepack',
      national,
      '--rulepack',
      regional,
    );
    assert.equal(both.code, 0, both.stderr);
    const ladder = lines(both.stdout).filter((s) => s['rule'] === 'LATENESS_LADDER');
    assert.equal(ladder.length, 4);
    const alone = await ketenpoort(
      'evaluate',
      '--records',
      records,
      '--pupils',
      pupils,
      '--calendar',
      calendar,
      '--rulepack',
      regional,
    );
    assert.equal(alone.stdout, both.stdout);
  });

  it('bad input is exit 2 with a clear message', async () => {
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, '{"recordId":"x"}\nnot json\n');
    const r1 = await ketenpoort('evaluate', '--records', bad, '--pupils', pupils, '--calendar', calendar);
    assert.equal(r1.code, 2);
    assert.match(r1.stderr, /line 1: pupil.localId: required/);
    assert.match(r1.stderr, /line 2: not valid JSON/);
    const r2 = await ketenpoort(
      'evaluate',
      '--records',
      records,
      '--pupils',
      calendar,
      '--calendar',
      calendar,
    );
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /pupils file .* is invalid/);
    const r3 = await ketenpoort(
      'evaluate',
      '--records',
      join(dir, 'missing.jsonl'),
      '--pupils',
      pupils,
      '--calendar',
      calendar,
    );
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /cannot read records file/);
    const badPack = join(dir, 'pack.yaml');
    await writeFile(badPack, 'id: x\nversion: 1\nkind: national\nrules: {}\n');
    const r4 = await ketenpoort(
      'evaluate',
      '--records',
      records,
      '--pupils',
      pupils,
      '--calendar',
      calendar,
      '--rulepack',
      badPack,
    );
    assert.equal(r4.code, 2);
    assert.match(r4.stderr, /effectiveFrom: INVALID_DATE/);
    const r5 = await ketenpoort(
      'evaluate',
      '--records',
      records,
      '--pupils',
      pupils,
      '--calendar',
      calendar,
      '--as-of',
      '2025-13-01',
    );
    assert.equal(r5.code, 2);
    const r6 = await ketenpoort('evaluate', '--records', records);
    assert.equal(r6.code, 2);
    assert.doesNotMatch(r1.stderr + r2.stderr + r4.stderr, /\n\s+at /, 'no stack trace');
  });
});
