/**
 * The layering of shared/design/architecture.md §3, enforced in CI (`npm run depcheck`).
 * A lib is reached only through its root entry (`#name`); paths below are the resolved source files.
 */
const LIB = (name) => `^libs/${name}/src/`;
const PURE = ['normalisation', 'signals', 'privacy'];
const IO_LIBS = ['persistence', 'messaging', 'pull'];
/** Test files may use the test runner, fast-check and #testing; the layering applies to product code. */
const TEST_FILE = '\\.(int-|e2e-|server-|abuse-)?spec\\.ts$';
/** Test support (a shared contract suite, harnesses): test code that specs run, never product code. */
const TEST_SUPPORT = '\\.test-support\\.ts$';
/** A lib's root folder: libs/<name>, or libs/adapters/<system>, libs/connectors/<destination>. */
const LIB_ROOT = '(adapters/[^/]+|connectors/[^/]+|[^/]+)';
/** What adapters, connectors, persistence and messaging (`$1`: the importing lib) may reach of the libs. */
const IO_LIB_REACH = [
  '^libs/$1/',
  LIB('domain'),
  '^libs/adapters/kit/src/index\\.ts$',
  // Connectors may name the ReleasedPayload type; the rules on privacy narrow this (ADR 0008).
  '^libs/privacy/src/index\\.ts$',
];

module.exports = {
  forbidden: [
    {
      name: 'domain-imports-nothing',
      comment: 'libs/domain is pure TypeScript: no npm packages, no other libs (node:crypto hashing only).',
      severity: 'error',
      from: { path: LIB('domain'), pathNot: TEST_FILE },
      to: { pathNot: [LIB('domain'), '^node:crypto$', '^crypto$'] },
    },
    {
      name: 'pure-libs-import-only-domain',
      comment:
        'normalisation, signals and privacy are pure: they import only #domain (and luxon for time zones).',
      severity: 'error',
      from: { path: `^libs/(${PURE.join('|')})/src/`, pathNot: TEST_FILE },
      // luxon: dates and time zones are a solved problem; it is pure computation (no I/O).
      // ajv and yaml: the privacy lib validates policy text (see the next rule: privacy only).
      to: {
        pathNot: [
          '^libs/$1/src/',
          LIB('domain'),
          'node_modules/luxon/',
          'node_modules/@types/luxon/',
          'node_modules/(ajv|yaml)/',
        ],
      },
    },
    {
      name: 'policy-parsing-only-in-privacy',
      comment:
        'Among the pure libs, only privacy parses policy text (ajv, yaml; ADR 0008); signals parses rulepack YAML (yaml only; ADR 0010).',
      severity: 'error',
      from: {
        path: `^libs/(${PURE.filter((l) => l !== 'privacy' && l !== 'signals').join('|')})/src/`,
        pathNot: TEST_FILE,
      },
      to: { path: 'node_modules/(ajv|yaml)/' },
    },
    {
      name: 'rulepack-parsing-only-in-signals',
      comment: 'libs/signals parses rulepack text with yaml (ADR 0010); ajv stays with privacy.',
      severity: 'error',
      from: { path: LIB('signals'), pathNot: TEST_FILE },
      to: { path: 'node_modules/ajv/' },
    },
    {
      name: 'privacy-not-from-adapters-or-io',
      comment: 'Adapters, persistence and messaging never reach the privacy engine.',
      severity: 'error',
      from: { path: `^libs/(adapters/[^/]+|${IO_LIBS.join('|')})/`, pathNot: TEST_FILE },
      to: { path: LIB('privacy') },
    },
    {
      name: 'connectors-see-only-privacy-types',
      comment:
        'Connectors take a ReleasedPayload (the type); only the engine may make one, so they never import its values (ADR 0008).',
      severity: 'error',
      from: { path: '^libs/connectors/', pathNot: TEST_FILE },
      to: { path: LIB('privacy'), dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'application-reaches-io-only-through-ports',
      comment: 'application composes the pure libs; I/O only through ports defined in domain.',
      severity: 'error',
      from: { path: LIB('application'), pathNot: TEST_FILE },
      to: {
        pathNot: [LIB('application'), LIB('domain'), ...PURE.map(LIB), '^node:crypto$'],
      },
    },
    {
      name: 'adapters-connectors-io-import-only-domain',
      comment:
        'adapters, connectors, persistence and messaging import only domain (and their own npm packages).',
      severity: 'error',
      from: {
        path: `^libs/(adapters/[^/]+|connectors/[^/]+|${IO_LIBS.join('|')})/`,
        pathNot: [TEST_FILE, TEST_SUPPORT],
      },
      // libs/adapters/kit holds pure helpers the adapters share (it imports only domain itself).
      to: { path: '^(libs|apps)/', pathNot: IO_LIB_REACH },
    },
    {
      name: 'io-test-support-imports-only-domain-and-testing',
      comment:
        "Test support in adapters, connectors, persistence and messaging is test code, run by the lib's specs: it may use #testing (the shared poller and builders) as they do, and otherwise only what the lib itself may.",
      severity: 'error',
      from: { path: `^libs/(adapters/[^/]+|connectors/[^/]+|${IO_LIBS.join('|')})/.*${TEST_SUPPORT}` },
      to: { path: '^(libs|apps)/', pathNot: [...IO_LIB_REACH, '^libs/testing/src/index\\.ts$'] },
    },
    {
      name: 'npm-packages-where-they-belong',
      comment:
        'typeorm/pg/pglite only in persistence; amqplib only in messaging; fast-xml-parser only in adapters and the DUO connector.',
      severity: 'error',
      from: { pathNot: ['^libs/persistence/', '^libs/testing/'] },
      to: { path: 'node_modules/(typeorm|pg|@electric-sql)/' },
    },
    {
      name: 'jose-only-in-connectors-and-gateway',
      comment:
        "JWT/JWS/JWE: the gateway verifies tokens, connectors sign and encrypt, the console decrypts and verifies reports in the officer's browser (ADR 0023).",
      severity: 'error',
      from: {
        pathNot: ['^libs/connectors/', '^apps/gateway/', '^apps/chain-simulator/', '^apps/console/src/'],
      },
      to: { path: 'node_modules/jose/' },
    },
    {
      name: 'xml-parser-only-in-adapters-and-duo',
      severity: 'error',
      from: { pathNot: ['^libs/adapters/', '^libs/connectors/duo-rod/', '^apps/chain-simulator/'] },
      to: { path: 'node_modules/fast-xml-parser/' },
    },
    {
      name: 'xml-signature-only-in-the-duo-connector',
      comment:
        'XML signatures and PKCS#12 (xml-crypto, @xmldom/xmldom, node-forge) belong to the DUO connector (ADR 0014); tests may sign hand-written messages with them.',
      severity: 'error',
      from: { pathNot: ['^libs/connectors/duo-rod/', TEST_FILE, '\\.test-support\\.ts$'] },
      to: { path: 'node_modules/(xml-crypto|@xmldom/xmldom|node-forge)/' },
    },
    {
      name: 'libxml2-only-in-the-chain-simulator',
      comment:
        "libxml2 (WebAssembly) is the chain simulator's own code path for WS-Security and the schema, never the product's (ADR 0014).",
      severity: 'error',
      from: { pathNot: ['^apps/chain-simulator/', TEST_FILE] },
      to: { path: 'node_modules/libxml2-wasm/' },
    },
    {
      name: 'amqplib-only-in-messaging',
      severity: 'error',
      from: { pathNot: ['^libs/messaging/'] },
      to: { path: 'node_modules/amqplib/' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-app-imports-another-app',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-only-through-their-root-entry',
      comment: 'Outside a lib, import it as #name (its src/index.ts), never a deep path.',
      severity: 'error',
      from: { path: `^libs/${LIB_ROOT}/` },
      to: { path: `^libs/${LIB_ROOT}/src/(?!(index|bench)\\.ts$)`, pathNot: '^libs/$1/' },
    },
    {
      name: 'bench-entries-only-from-the-bench',
      comment:
        'The bench-only entries (#persistence/bench, #messaging/bench: raw COPY rows, the raw broker rate) serve apps/cli/src/bench alone.',
      severity: 'error',
      from: {
        path: '^(apps|libs|test)/',
        pathNot: ['^apps/cli/src/bench/', '^libs/(persistence|messaging)/'],
      },
      to: { path: '^libs/(persistence|messaging)/src/bench\\.ts$' },
    },
    {
      name: 'apps-import-libs-only-through-their-root-entry',
      severity: 'error',
      from: { path: '^apps/' },
      to: { path: `^libs/${LIB_ROOT}/src/(?!(index|bench)\\.ts$)` },
    },
    {
      name: 'testing-only-from-tests',
      severity: 'error',
      from: {
        path: '^(apps|libs)/',
        pathNot: ['\\.(int-|e2e-|server-|abuse-)?spec\\.ts$', '\\.test-support\\.ts$', '^libs/testing/'],
      },
      to: { path: LIB('testing') },
    },
    {
      name: 'runtime-only-from-apps',
      comment: 'libs/runtime composes infrastructure for the apps; no other lib depends on it.',
      severity: 'error',
      from: { path: '^libs/', pathNot: ['^libs/runtime/', '^libs/testing/'] },
      to: { path: LIB('runtime') },
    },
    {
      name: 'console-imports-only-its-npm-packages',
      comment:
        'apps/console (the browser app) bundles its own npm packages; from the libs it may name types only (ADR 0015).',
      severity: 'error',
      from: { path: '^apps/console/' },
      to: { path: '^libs/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'console-uses-no-node-modules',
      comment: 'The console runs in a browser: no node: built-ins (its Vite config excepted).',
      severity: 'error',
      from: { path: '^apps/console/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'nothing-imports-the-console',
      comment: 'The gateway serves the built console as files; no app or lib imports its code.',
      severity: 'error',
      from: { pathNot: '^apps/console/' },
      to: { path: '^apps/console/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', '/fixtures/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.d.ts'],
      mainFields: ['types', 'module', 'main'],
    },
    moduleSystems: ['es6', 'cjs'],
    reporterOptions: { text: { highlightFocused: true } },
  },
};
