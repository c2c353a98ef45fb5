import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../bin/ketenpoort.js', import.meta.url));

async function ketenpoort(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { PATH: process.env['PATH'] ?? '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('ketenpoort CLI', () => {
  it('--help lists every command of contracts §1', async () => {
    const { code, stdout } = await ketenpoort('--help');
    assert.equal(code, 0);
    for (const command of ['normalise', 'timetable', 'evaluate', 'policy', 'report', 'audit', 'bench']) {
      assert.match(stdout, new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  it('exits 2 on an unknown command, listing the known ones on stderr', async () => {
    const { code, stdout, stderr } = await ketenpoort('frobnicate');
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /unknown command "frobnicate"/);
    assert.match(stderr, /normalise/);
  });

  it('exits 2 without a command', async () => {
    assert.equal((await ketenpoort()).code, 2);
  });

  it('gives every command --help', async () => {
    const { code, stdout } = await ketenpoort('normalise', '--help');
    assert.equal(code, 0);
    assert.match(stdout, /--system <id> --input <file>/);
  });

  it('exits 2 with one line when an input cannot be read', async () => {
    const { code, stdout, stderr } = await ketenpoort('report', 'duo', '--report', 'x.json');
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^ketenpoort report: cannot read report x\.json \(ENOENT\)\n$/);
  });

  it('migrate names a bad DATABASE_URL without echoing it', async () => {
    try {
      await run(process.execPath, [BIN, 'migrate'], {
        env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: 'not-a-url' },
      });
      assert.fail('expected exit 2');
    } catch (error) {
      const e = error as { code: number; stderr: string };
      assert.equal(e.code, 2);
      assert.match(e.stderr, /DATABASE_URL/);
      assert.doesNotMatch(e.stderr, /not-a-url/);
    }
  });
});
