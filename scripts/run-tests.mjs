#!/usr/bin/env node
// Runs the compiled test files with Jest (ESM, ADR 0030); jest.config.mjs has one project per tier.
//   --tier unit   *.spec.js only (pure, no servers)
//   --tier int    *.int-spec.js and *.e2e-spec.js (PGlite by default; PostgreSQL/RabbitMQ when
//                 DATABASE_URL / AMQP_URL are set)
//   --tier server *.server-spec.js: crash safety against the real PostgreSQL and RabbitMQ (CI)
//   --tier browser *.browser-spec.js: the console in Debian's Chromium (Playwright), embedded default
//   --tier abuse  *.abuse-spec.js: hostile and slow input (issue 12); PGlite by default, PostgreSQL/RabbitMQ
//                 when DATABASE_URL / AMQP_URL are set; short timeouts set by the specs themselves
//   (default)     everything but the server, browser and abuse tiers (unit and int)
// Further arguments go to Jest as they are (e.g. a path pattern: `--tier int delivery`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { leftOut } from '../jest.config.mjs';

const { values, positionals } = parseArgs({
  options: { tier: { type: 'string', default: 'all' } },
  allowPositionals: true,
});
const projects = {
  unit: ['unit'],
  int: ['int'],
  all: ['unit', 'int'],
  // Needs DATABASE_URL and AMQP_URL; stops and starts RabbitMQ, so it runs alone.
  server: ['server'],
  // The console in Debian's Chromium through Playwright (embedded default; .ci/run installs chromium).
  browser: ['browser'],
  // Hostile and slow input: deep JSON, slow uploads, oversized items, bad encodings (issue 12).
  abuse: ['abuse'],
}[values.tier];
if (!projects) {
  console.error(`unknown tier ${values.tier}; use unit, int, server, browser, abuse or all`);
  process.exit(2);
}
if (!existsSync('dist/libs')) {
  console.error('no test files found: run npm run build first');
  process.exit(1);
}

const skippedSuites = leftOut()
  .filter((suite) => projects.includes(suite.tier))
  .map((suite) => suite.name);
const oneAtATime = ['server', 'browser', 'abuse'].includes(values.tier);
const results = join(mkdtempSync(join(tmpdir(), 'ketenpoort-tests-')), 'results.json');
const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const result = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--disable-warning=ExperimentalWarning',
    '--enable-source-maps',
    jest,
    '--config',
    'jest.config.mjs',
    '--selectProjects',
    ...projects,
    `--maxWorkers=${oneAtATime ? 1 : 2}`,
    // A filter that matches only a server suite left out finds nothing to run: that is its skip, not a failure.
    ...(skippedSuites.length > 0 ? ['--passWithNoTests'] : []),
    '--json',
    `--outputFile=${results}`,
    ...positionals,
  ],
  { stdio: 'inherit' },
);

// One plain closing line, whatever a reader understands: `tests: N passed, M failed[, …skipped: <reasons>]`.
let report;
try {
  report = JSON.parse(readFileSync(results, 'utf8'));
} catch {
  console.log('tests: 0 passed, 1 failed (Jest wrote no results)');
  process.exit(result.status || 1);
}
const files = report.testResults;
// A file that failed outside its tests (did not load, a failing afterAll) counts as one failure, as node:test
// counted a file that did not run.
const fileFailures = files.filter(
  (f) => f.status === 'failed' && !f.assertionResults.some((t) => t.status === 'failed'),
).length;
const passed = report.numPassedTests;
const failed = report.numFailedTests + fileFailures;
// A skip is never hidden: every server suite left out for lack of its server (jest.config.mjs, e.g. the RabbitMQ
// suite without AMQP_URL) is named after the counts, which stay first and unchanged (CI parses them). ESLint
// refuses `.skip`, `.only` and `.todo`, so Jest itself skips nothing; should it, the count says so.
const pending = report.numPendingTests + report.numTodoTests;
const skipNote = [
  ...(skippedSuites.length > 0
    ? [
        `${skippedSuites.length} suite${skippedSuites.length === 1 ? '' : 's'} skipped: ${skippedSuites.join('; ')}`,
      ]
    : []),
  ...(pending > 0 ? [`${pending} test${pending === 1 ? '' : 's'} skipped`] : []),
];
console.log([`tests: ${passed} passed, ${failed} failed`, ...skipNote].join(', '));
process.exit(failed > 0 || !report.success ? result.status || 1 : (result.status ?? 1));
