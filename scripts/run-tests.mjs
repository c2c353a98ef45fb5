#!/usr/bin/env node
// Runs the compiled test files with node's built-in test runner.
//   --tier unit   *.spec.js only (pure, no servers)
//   --tier int    *.int-spec.js and *.e2e-spec.js (PGlite by default; PostgreSQL/RabbitMQ when
//                 DATABASE_URL / AMQP_URL are set)
//   --tier server *.server-spec.js: crash safety against the real PostgreSQL and RabbitMQ (CI)
//   --tier browser *.browser-spec.js: the console in Debian's Chromium (Playwright), embedded default
//   --tier abuse  *.abuse-spec.js: hostile and slow input (issue 12); PGlite by default, PostgreSQL/RabbitMQ
//                 when DATABASE_URL / AMQP_URL are set; short timeouts set by the specs themselves
//   (default)     everything but the server tier
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { tier: { type: 'string', default: 'all' } } });
const patterns = {
  unit: [/\.spec\.js$/],
  int: [/\.int-spec\.js$/, /\.e2e-spec\.js$/],
  all: [/\.spec\.js$/, /\.int-spec\.js$/, /\.e2e-spec\.js$/],
  // Needs DATABASE_URL and AMQP_URL; stops and starts RabbitMQ, so it runs alone.
  server: [/\.server-spec\.js$/],
  // The console in Debian's Chromium through Playwright (embedded default; .ci/run installs chromium).
  browser: [/\.browser-spec\.js$/],
  // Hostile and slow input: deep JSON, slow uploads, oversized items, bad encodings (issue 12).
  abuse: [/\.abuse-spec\.js$/],
}[values.tier];
if (!patterns) {
  console.error(`unknown tier ${values.tier}; use unit, int, server, browser, abuse or all`);
  process.exit(2);
}

function walk(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(walk(path));
    else if (patterns.some((p) => p.test(name))) out.push(path);
  }
  return out;
}

const files = ['dist/apps', 'dist/libs', 'dist/test'].flatMap((d) => {
  try {
    return walk(d);
  } catch {
    return [];
  }
});
files.sort();
if (files.length === 0) {
  console.error('no test files found: run npm run build first');
  process.exit(1);
}
const tap = join(mkdtempSync(join(tmpdir(), 'ketenpoort-tests-')), 'results.tap');
const result = spawnSync(
  process.execPath,
  [
    '--enable-source-maps',
    '--test',
    `--test-concurrency=${values.tier === 'server' || values.tier === 'browser' || values.tier === 'abuse' ? 1 : 2}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ],
  { stdio: 'inherit' },
);
// One plain closing line, whatever reporter a reader understands.
const summary = readFileSync(tap, 'utf8');
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(summary)?.[1] ?? 0);
// A skip is never hidden: every suite or test skipped (e.g. the RabbitMQ suite without AMQP_URL) is named after
// the counts, which stay first and unchanged (`tests: N passed, M failed`; CI parses them).
const skips = [];
const lines = summary.split('\n');
lines.forEach((line, i) => {
  const skip = /^\s*(?:not )?ok \d+ - .* # SKIP(?: (.*))?$/.exec(line);
  if (!skip) return;
  const end = lines.findIndex((l, j) => j > i && /^\s*\.\.\.$/.test(l));
  const block = lines.slice(i + 1, end === -1 ? i + 1 : end);
  skips.push({
    suite: block.some((l) => /^\s*type: 'suite'$/.test(l)),
    reason: skip[1] ?? 'no reason given',
  });
});
const skipped = (suite) => skips.filter((s) => s.suite === suite);
const skipNote = [
  [skipped(true), 'suite'],
  [skipped(false), 'test'],
]
  .filter(([list]) => list.length > 0)
  .map(
    ([list, noun]) =>
      `${list.length} ${noun}${list.length === 1 ? '' : 's'} skipped: ${list.map((s) => s.reason).join('; ')}`,
  );
console.log([`tests: ${count('pass')} passed, ${count('fail')} failed`, ...skipNote].join(', '));
process.exit(result.status ?? 1);
