import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Planted imports around #privacy: the rule that must trip, or null when the import is allowed. */
const PROBES: { file: string; source: string; rule: string | null }[] = [
  {
    file: 'libs/connectors/zz-privacy-probe/src/value.ts',
    source: "import { release } from '#privacy';\nexport const probe = release;\n",
    rule: 'connectors-see-only-privacy-types',
  },
  {
    file: 'libs/connectors/zz-privacy-probe/src/type-only.ts',
    source: "import type { ReleasedPayload } from '#privacy';\nexport type Probe = ReleasedPayload;\n",
    rule: null,
  },
  {
    file: 'libs/connectors/zz-privacy-probe/src/inline-type.ts',
    source: "import { type ReleasedPayload } from '#privacy';\nexport type InlineProbe = ReleasedPayload;\n",
    rule: null,
  },
  {
    file: 'libs/adapters/kit/src/zz-privacy-probe.ts',
    source: "import '#privacy';\n",
    rule: 'privacy-not-from-adapters-or-io',
  },
  {
    file: 'libs/normalisation/src/zz-privacy-probe.ts',
    source: "import 'yaml';\n",
    rule: 'policy-parsing-only-in-privacy',
  },
  // signals parses rulepack YAML (ADR 0010) but never ajv.
  { file: 'libs/signals/src/zz-privacy-probe.ts', source: "import 'yaml';\n", rule: null },
  {
    file: 'libs/signals/src/zz-privacy-probe-ajv.ts',
    source: "import 'ajv';\n",
    rule: 'rulepack-parsing-only-in-signals',
  },
];

async function depcruise(files: string[]): Promise<string> {
  return run(
    process.execPath,
    [
      join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
      '--config',
      '.dependency-cruiser.cjs',
      '--output-type',
      'err',
      ...files,
    ],
    { cwd: root },
  ).then(
    (ok) => `${ok.stdout}${ok.stderr}`,
    (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
  );
}

describe('dependency rules around #privacy', () => {
  it('connectors may name the ReleasedPayload type but import no value of #privacy', async () => {
    const paths = PROBES.map((p) => join(root, p.file));
    try {
      for (const [i, probe] of PROBES.entries()) {
        await mkdir(dirname(paths[i]), { recursive: true });
        await writeFile(paths[i], `// planted by privacy-imports.int-spec.ts\n${probe.source}export {};\n`);
      }
      const output = await depcruise(PROBES.map((p) => p.file));
      for (const probe of PROBES) {
        const line = new RegExp(`: ${probe.file.replace(/[.]/g, '\\.')} →`);
        if (probe.rule === null) assert.doesNotMatch(output, line, `${probe.file} is allowed`);
        else
          assert.match(
            output,
            new RegExp(`${probe.rule}: ${probe.file.replace(/[.]/g, '\\.')}`),
            `${probe.file} should violate ${probe.rule}`,
          );
      }
    } finally {
      await rm(join(root, 'libs/connectors/zz-privacy-probe'), { recursive: true, force: true });
      await Promise.all(paths.map((p) => rm(p, { force: true })));
    }
  });
});
