import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Forbidden imports planted in the source tree; each must trip the named rule. An `allowed` probe is an import
 * the rules permit: it must trip none.
 */
const PROBES: { file: string; source: string; rule: string | null; allowed?: true }[] = [
  { file: 'libs/domain/src/zz-probe-orm.ts', source: "import 'typeorm';\n", rule: 'domain-imports-nothing' },
  {
    file: 'libs/domain/src/zz-probe-lib.ts',
    source: "import '#persistence';\n",
    rule: 'domain-imports-nothing',
  },
  {
    file: 'libs/signals/src/zz-probe.ts',
    source: "import '#persistence';\n",
    rule: 'pure-libs-import-only-domain',
  },
  {
    file: 'libs/application/src/zz-probe.ts',
    source: "import '#persistence';\n",
    rule: 'application-reaches-io-only-through-ports',
  },
  {
    file: 'libs/persistence/src/zz-probe.ts',
    source: "import '#messaging';\n",
    rule: 'adapters-connectors-io-import-only-domain',
  },
  {
    file: 'libs/messaging/src/zz-probe.ts',
    source: "import 'pg';\n",
    rule: 'npm-packages-where-they-belong',
  },
  {
    // Product code of messaging may not use #testing; its test support may (next probe), and nothing more.
    file: 'libs/messaging/src/zz-probe-testing.ts',
    source: "import '#testing';\n",
    rule: 'adapters-connectors-io-import-only-domain',
  },
  {
    file: 'libs/messaging/src/zz-probe.test-support.ts',
    source: "import '#persistence';\n",
    rule: 'io-test-support-imports-only-domain-and-testing',
  },
  {
    file: 'libs/messaging/src/zz-probe-allowed.test-support.ts',
    source: "import '#testing';\n",
    rule: null,
    allowed: true,
  },
  { file: 'apps/cli/src/zz-probe.ts', source: "import 'amqplib';\n", rule: 'amqplib-only-in-messaging' },
  {
    file: 'apps/worker/src/zz-probe.ts',
    source: "import '../../gateway/src/app.module.js';\n",
    rule: 'no-app-imports-another-app',
  },
  {
    file: 'apps/cli/src/zz-probe-deep.ts',
    source: "import '../../../libs/domain/src/errors.js';\n",
    rule: 'apps-import-libs-only-through-their-root-entry',
  },
  {
    file: 'libs/runtime/src/zz-probe.ts',
    source: "import '../../../apps/gateway/src/app.module.js';\n",
    rule: 'libs-never-import-apps',
  },
  { file: 'apps/gateway/src/zz-probe.ts', source: "import '#testing';\n", rule: 'testing-only-from-tests' },
  {
    file: 'libs/runtime/src/zz-probe-deep.ts',
    source: "import '../../persistence/src/data-source.js';\n",
    rule: 'libs-only-through-their-root-entry',
  },
  {
    file: 'libs/messaging/src/zz-probe-runtime.ts',
    source: "import '#runtime';\n",
    rule: 'runtime-only-from-apps',
  },
  {
    file: 'apps/chain-simulator/src/zz-probe-signing.ts',
    source: "import 'xml-crypto';\n",
    rule: 'xml-signature-only-in-the-duo-connector',
  },
  {
    file: 'libs/connectors/duo-rod/src/zz-probe-libxml2.ts',
    source: "import 'libxml2-wasm';\n",
    rule: 'libxml2-only-in-the-chain-simulator',
  },
  {
    file: 'libs/persistence/src/zz-probe-jose.ts',
    source: "import 'jose';\n",
    rule: 'jose-only-in-connectors-and-gateway',
  },
  {
    file: 'apps/console/src/zz-probe-lib.ts',
    source: "import { loadSettings } from '#config';\nexport const probe = loadSettings;\n",
    rule: 'console-imports-only-its-npm-packages',
  },
  {
    file: 'apps/console/src/zz-probe-node.ts',
    source: "import 'node:fs';\n",
    rule: 'console-uses-no-node-modules',
  },
  {
    file: 'apps/gateway/src/zz-probe-console.ts',
    source: "import '../../console/src/labels/labels.js';\n",
    rule: 'nothing-imports-the-console',
  },
  {
    file: 'libs/config/src/zz-probe-cycle-a.ts',
    source: "import './zz-probe-cycle-b.js';\n",
    rule: 'no-circular',
  },
  {
    file: 'libs/config/src/zz-probe-cycle-b.ts',
    source: "import './zz-probe-cycle-a.js';\n",
    // The other half of the cycle; the check reports a cycle once.
    rule: null,
  },
];

describe('dependency check', () => {
  it('is live: every planted forbidden import fails it, naming its rule', async () => {
    const paths = PROBES.map((p) => join(root, p.file));
    try {
      for (const [i, probe] of PROBES.entries()) {
        await mkdir(dirname(paths[i]), { recursive: true });
        await writeFile(
          paths[i],
          `// planted by dependency-rules.int-spec.ts; removed after the run\n${probe.source}export {};\n`,
        );
      }
      const result = await run(
        process.execPath,
        [
          join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
          '--config',
          '.dependency-cruiser.cjs',
          '--output-type',
          'err',
          ...PROBES.map((p) => p.file),
        ],
        { cwd: root },
      ).then(
        () => ({ failed: false, output: '' }),
        (error: { stdout: string; stderr: string }) => ({
          failed: true,
          output: `${error.stdout}${error.stderr}`,
        }),
      );
      assert.equal(result.failed, true, 'the dependency check must fail on forbidden imports');
      for (const probe of PROBES) {
        if (probe.allowed) {
          assert.doesNotMatch(
            result.output,
            new RegExp(probe.file.replace(/[.]/g, '\\.')),
            `${probe.file} is allowed`,
          );
        }
        if (probe.rule === null) continue;
        assert.match(
          result.output,
          new RegExp(`${probe.rule}: ${probe.file.replace(/[.]/g, '\\.')}`),
          `${probe.file} should violate ${probe.rule}`,
        );
      }
    } finally {
      await Promise.all(paths.map((p) => rm(p, { force: true })));
    }
  });
});
