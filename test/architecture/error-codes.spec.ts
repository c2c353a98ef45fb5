import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';

/**
 * Error codes in a catalogue per module outside #application too (issue 17): the gateway's modules, the domain,
 * the adapters (one catalogue in #adapter-kit they share), the connectors and the other libraries that raise
 * coded errors. #application has its own spec (libs/application/src/error-codes.spec.ts); the three checks here
 * are the same. Left out on purpose: libs/messaging (its codes name broker log events, not errors), apps/cli
 * (it prints the codes of the libraries' errors), apps/chain-simulator (it speaks for DUO and a municipality:
 * its codes are theirs) and libs/testing (made-up test errors).
 */
const AREAS = [
  'apps/gateway/src',
  'apps/worker/src',
  'libs/domain/src',
  'libs/adapters',
  'libs/connectors',
  'libs/normalisation/src',
  'libs/signals/src',
  'libs/privacy/src',
  'libs/persistence/src',
  'libs/pull/src',
  'libs/runtime/src',
  'libs/config/src',
] as const;

/** Areas whose code strings are codes only: there, any quoted string equal to a code of theirs is a free code. */
const CODES_ONLY: readonly string[] = ['libs/adapters'];

/** The repository (this spec runs from dist/test/architecture/, the .ts files stay in place). */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'fixtures' && name !== 'node_modules') out.push(...walk(path));
    } else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

interface Catalogue {
  readonly file: string;
  readonly constant: string;
  readonly codes: Readonly<Record<string, string>>;
}

async function cataloguesOf(area: string): Promise<Catalogue[]> {
  const files = walk(join(ROOT, area)).filter((f) => f.endsWith('-error-codes.ts'));
  return Promise.all(
    files.map(async (path) => {
      const file = relative(ROOT, path);
      const constant = `${basename(file, '-error-codes.ts').toUpperCase().replaceAll('-', '_')}_ERRORS`;
      const compiled = new URL(`../../${file.replace(/\.ts$/, '.js')}`, import.meta.url);
      const module = (await import(compiled.href)) as Record<string, Readonly<Record<string, string>>>;
      const codes = module[constant];
      assert.ok(codes, `${file} exports ${constant}`);
      return { file, constant, codes };
    }),
  );
}

/** The product's sources of an area: no specs, no test support, no catalogues. */
function sourcesOf(area: string): { file: string; text: string }[] {
  return walk(join(ROOT, area))
    .filter((f) => !/(spec|test-support|-error-codes)\.ts$/.test(f))
    .map((f) => ({ file: relative(ROOT, f), text: readFileSync(f, 'utf8') }));
}

const CODE = String.raw`'[A-Z][A-Z0-9_]+'`;
/**
 * A code written as a free string where a catalogue constant belongs: the two forms the #application spec
 * forbids (a coded error's first argument, a `code:` member), widened to coded problems and rejections (an HTTP
 * status may come first) and to the helpers that build a quarantine entry, a problem or an issue (the code
 * is their first argument, or follows one or two ids or field paths).
 */
const FREE_CODE = [
  new RegExp(String.raw`new \w*(?:Error|Exception|Problem|Rejection)\(\s*(?:\d+,\s*)?${CODE}`),
  new RegExp(String.raw`\bcode:\s*${CODE}`),
  new RegExp(
    String.raw`\b(?:quarantine|quarantinedInput|quarantineOnly|payloadRejected|reject|problem|fail|only|untrusted|issue|bad)\(\s*(?:(?:[\w.]+|'[^'\n]*'),\s*){0,2}${CODE}`,
  ),
];

describe('the error-code catalogues outside #application', () => {
  it('name each code by itself: the public strings are the keys, never renamed', async () => {
    let count = 0;
    for (const area of AREAS) {
      for (const { file, codes } of await cataloguesOf(area)) {
        count += 1;
        for (const [name, code] of Object.entries(codes)) {
          assert.equal(code, name, `${file}: ${name}`);
          assert.match(code, /^[A-Z][A-Z0-9_]*$/, `${file}: ${name}`);
        }
        const values = Object.values(codes);
        assert.equal(new Set(values).size, values.length, `${file}: two keys share a code`);
        assert.ok(values.length > 0, `${file}: an empty catalogue`);
      }
    }
    assert.ok(count >= 14, `found only ${count} catalogues: the scan is broken`);
  });

  it('are in use: every code of a catalogue is referenced in its area', async () => {
    for (const area of AREAS) {
      const all = sourcesOf(area)
        .map((s) => s.text)
        .join('\n');
      for (const { constant, codes } of await cataloguesOf(area)) {
        for (const name of Object.keys(codes)) {
          assert.ok(all.includes(`${constant}.${name}`), `${constant}.${name} is never used`);
        }
      }
    }
  });

  it('leave no free code strings: errors, problems and issues take their code from a catalogue', async () => {
    for (const area of AREAS) {
      const sources = sourcesOf(area);
      assert.ok(sources.length > 0, `${area} has sources`);
      for (const { file, text } of sources) {
        for (const pattern of FREE_CODE) assert.doesNotMatch(text, pattern, file);
      }
      if (!CODES_ONLY.includes(area)) continue;
      const codes = new Set((await cataloguesOf(area)).flatMap((c) => Object.values(c.codes)));
      for (const { file, text } of sources) {
        const free = [...text.matchAll(/'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]).filter((c) => codes.has(c));
        // The file is part of what is compared, so a failure names it: codes of the catalogue written as strings.
        expect({ file, free }).toEqual({ file, free: [] });
      }
    }
  });
});
