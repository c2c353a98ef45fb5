import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '#config';
import { NATIONAL_RULEPACK_FILE, loadRulepacks, loadSignalEvaluator } from './rulepacks.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const REGIONAL = join(ROOT, 'config/rulepacks/regional/rmc-utrecht.yaml');

/** Runs a compiled app's main with the given environment; its exit code and stderr. */
function run(main: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, main)], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

/** The rulepacks a process loads at start: the shipped national pack, and RULEPACK_REGIONAL on top. */
describe('runtime: rulepack loading', () => {
  let dir: string;
  let bad: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ketenpoort-rulepacks-'));
    bad = join(dir, 'bad.yaml');
    await writeFile(
      bad,
      [
        'id: broken',
        "version: '1'",
        "effectiveFrom: '2025-08-01'",
        'kind: regional',
        'rules:',
        '  LPW_16H_4W:',
        '    threshold: zestien',
        '  NOT_A_RULE:',
        '    enabled: true',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the shipped national pack alone by default', () => {
    const pack = loadRulepacks({ rulepackRegionalFile: null });
    assert.equal(pack.id, 'nl-national');
    assert.equal(pack.kind, 'national');
    assert.equal(loadSignalEvaluator({ rulepackRegionalFile: null }).rulepack.id, 'nl-national');
  });

  it('lays the regional pack over the national one; signals name the pack that set each rule', () => {
    const pack = loadRulepacks({ rulepackRegionalFile: REGIONAL });
    assert.equal(pack.id, 'rmc-utrecht');
    assert.equal(pack.kind, 'regional');
    expect(pack.ruleSources?.LPW_16H_4W).toEqual({ id: 'rmc-utrecht', version: '2025.1' });
    expect(pack.ruleSources?.LPW_LRV).toEqual({ id: 'nl-national', version: '2025.1' });
  });

  it('refuses a bad, missing or misplaced pack with one ConfigurationError naming field and code', () => {
    assert.throws(
      () => loadRulepacks({ rulepackRegionalFile: bad }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigurationError);
        assert.ok(error.problems.length >= 2, error.message);
        assert.ok(error.problems.every((p) => p.startsWith(`RULEPACK_REGIONAL (${bad}): `)));
        assert.ok(error.problems.some((p) => p.includes('rules.LPW_16H_4W.threshold')));
        assert.ok(error.problems.some((p) => p.includes('NOT_A_RULE')));
        return true;
      },
    );
    assert.throws(
      () => loadRulepacks({ rulepackRegionalFile: join(dir, 'missing.yaml') }),
      (error: unknown) =>
        error instanceof ConfigurationError && /RULEPACK_REGIONAL cannot be read/.test(error.message),
    );
    assert.throws(
      () => loadRulepacks({ rulepackRegionalFile: NATIONAL_RULEPACK_FILE }),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        /kind: INVALID_VALUE: must be a regional pack/.test(error.message),
    );
    assert.throws(
      () => loadRulepacks({ rulepackRegionalFile: null }, REGIONAL),
      (error: unknown) =>
        error instanceof ConfigurationError && /must be a national pack/.test(error.message),
    );
  });

  it('a bad RULEPACK_REGIONAL stops gateway and worker at start with exit 78 and the coded problems', async () => {
    const env = { DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent', RULEPACK_REGIONAL: bad };
    const gateway = await run('dist/apps/gateway/src/main.js', env);
    assert.equal(gateway.code, 78, gateway.stderr);
    assert.match(gateway.stderr, /^ketenpoort: Invalid configuration:/);
    assert.match(gateway.stderr, /rules\.LPW_16H_4W\.threshold: \w+:/);
    const worker = await run('dist/apps/worker/src/main.js', {
      ...env,
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:1',
    });
    assert.equal(worker.code, 78, worker.stderr);
    assert.match(worker.stderr, /^ketenpoort-worker: Invalid configuration:/);
    assert.match(worker.stderr, /RULEPACK_REGIONAL/);
  });
});
