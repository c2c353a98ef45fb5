import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { NormalisePayloadUseCase } from '#application';
import { SOURCE_SYSTEMS } from '#domain';
import { adapterFor } from '#runtime';
import { magisterPayload, somtodayPayload } from './generate-payloads.js';

// Compiled to dist/apps/cli/src/bench/: five levels up is the worktree, six the folder that holds shared/.
const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../../../../shared/fixtures/source-systems/', import.meta.url));
const GOLDEN = `${ROOT}apps/cli/src/bench/normalise-golden.json`;

/**
 * The canonical output of every fixture and of generated bench payloads, as digests recorded before the
 * throughput work: the fast paths (time tables, caches, one-shot hashing, streaming) must not change a byte.
 */
function digest(system: string, payload: string): string {
  const out = new NormalisePayloadUseCase().execute({
    adapter: adapterFor(system),
    payload,
    mapping: null,
    timetable: null,
    bellSchedule: null,
  });
  return createHash('sha256').update(JSON.stringify(out)).digest('hex');
}

export function goldenDigests(): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const system of SOURCE_SYSTEMS) {
    for (const kind of ['ok', 'not-ok']) {
      const dir = `${ROOT}libs/adapters/${system}/fixtures/${kind}/`;
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        continue;
      }
      for (const name of names)
        digests[`${system}/${kind}/${name}`] = digest(system, readFileSync(dir + name, 'utf8'));
    }
  }
  for (const name of readdirSync(SHARED).sort()) {
    const system = [...SOURCE_SYSTEMS]
      .filter((s) => name.startsWith(`${s}-`))
      .sort((a, b) => b.length - a.length)[0];
    if (system !== undefined) digests[`shared/${name}`] = digest(system, readFileSync(SHARED + name, 'utf8'));
  }
  for (const seed of [1, 2]) {
    digests[`bench/somtoday/${seed}`] = digest('somtoday', somtodayPayload(3_000, seed));
    digests[`bench/magister/${seed}`] = digest('magister', magisterPayload(3_000, seed));
  }
  return digests;
}

describe('normalise golden output', () => {
  it('gives byte-identical canonical output for every fixture and generated payload', () => {
    const expected = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, string>;
    const actual = goldenDigests();
    assert.ok(Object.keys(expected).length > 150);
    expect(actual).toEqual(expected);
  });
});
