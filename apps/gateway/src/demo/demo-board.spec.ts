import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { isValidBsn } from '#domain';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));
const committed = join(repo, 'config/demo/board');
const generator = join(repo, 'scripts/generate-demo-board.mjs');

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

interface DemoPupil {
  readonly localId: string;
  readonly school: string;
  readonly birthDate: string;
  readonly woongemeente: string;
  readonly startkwalificatie?: boolean;
  readonly bsn?: string;
}

describe('the shipped demo board (config/demo/board)', () => {
  it('is the generator output: re-running it gives byte-identical files', async () => {
    const out = await mkdtemp(join(tmpdir(), 'demo-board-'));
    try {
      await promisify(execFile)(process.execPath, [generator, out]);
      const generated = await files(out);
      expect(generated).toEqual(await files(committed));
      for (const name of generated) {
        const a = await readFile(join(out, name));
        const b = await readFile(join(committed, name));
        assert.ok(a.equals(b), `${name} differs from the generator output`);
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('has synthetic pupils of two schools with BSNs that pass the elfproef and routable woongemeenten', async () => {
    const pupils = JSON.parse(await readFile(join(committed, 'pupils.json'), 'utf8')) as DemoPupil[];
    assert.equal(pupils.length, 40);
    expect([...new Set(pupils.map((p) => p.school))].sort()).toEqual(['99XX', '99XY']);
    const withBsn = pupils.filter((p) => p.bsn !== undefined);
    assert.ok(withBsn.length >= 30);
    for (const p of withBsn) assert.ok(isValidBsn(p.bsn ?? ''), `BSN of ${p.localId}`);
    const routable = new Set(['0344', '0310', '0312', '1904', '0356', '0355']);
    for (const p of pupils) assert.ok(routable.has(p.woongemeente), `woongemeente of ${p.localId}`);
    const adultsWithout = pupils.filter((p) => p.birthDate < '2007-09-01' && p.startkwalificatie === false);
    assert.ok(adultsWithout.length >= 2);
  });
});
