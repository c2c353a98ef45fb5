// Jest runs the compiled ESM in dist/ as it is (ADR 0030): no transform, Node's own ESM loader through
// `--experimental-vm-modules` (scripts/run-tests.mjs starts Jest that way), the package's `#` subpath imports
// resolved by Node's rules. One project per tier, told apart by file name as before (ADR 0007);
// scripts/run-tests.mjs picks the tier's projects and the number of workers (server, browser and abuse: one).
/**
 * Suites that need a server the machine may not have: left out of their tier without it, and named in the closing
 * line of scripts/run-tests.mjs (a skip is never hidden, and no test stands in for one).
 */
export const SERVER_SUITES = [
  { tier: 'int', file: 'rabbitmq.broker.int-spec.js', env: 'AMQP_URL', name: 'RabbitMQ (no AMQP_URL)' },
];
/** The server suites left out now, for lack of their variable. */
export const leftOut = (env = process.env) => SERVER_SUITES.filter((suite) => !env[suite.env]);

const tier = (displayName, ...suffixes) => ({
  displayName,
  rootDir: import.meta.dirname,
  roots: ['<rootDir>/dist/apps', '<rootDir>/dist/libs', '<rootDir>/dist/test'],
  testMatch: suffixes.map((suffix) => `**/*${suffix}.js`),
  testPathIgnorePatterns: leftOut()
    .filter((suite) => suite.tier === displayName)
    .map((suite) => `/${suite.file.replaceAll('.', '\\.')}$`),
  testEnvironment: 'node',
  transform: {},
  // Specs import describe, it, expect … from @jest/globals; nothing is injected.
  injectGlobals: false,
});

export default {
  projects: [
    // `*.spec.js` only: the other suffixes end in `-spec.js`, never in `.spec.js`.
    tier('unit', '.spec'),
    tier('int', '.int-spec', '.e2e-spec'),
    tier('server', '.server-spec'),
    tier('browser', '.browser-spec'),
    tier('abuse', '.abuse-spec'),
  ],
  // node:test has no default timeout and the end-to-end specs start gateways, workers and browsers; the longest
  // wait inside a spec is the chain's 15 minutes for 1,000 registrations (test/delivery/chain.int-spec.ts), so a
  // test ends after 20 — its own wait fails first, with its own message.
  testTimeout: 1_200_000,
  // Every test file evaluates its own copy of Nest, TypeORM, PGlite …; a worker that holds more than this after a
  // file is replaced by a fresh one, so memory does not grow with the number of files.
  workerIdleMemoryLimit: '1GB',
  ci: true,
};
