// Type-aware linting for every TypeScript file; formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// A test never runs alone or half-written (`.only`, `.todo`), and is skipped only visibly: `.skip` needs a title
// ending in `[skipped: <reason>]`, which scripts/run-tests.mjs repeats in the closing line (ADR 0030).
const TEST_FOCUS_RULES = [
  {
    selector:
      'CallExpression > MemberExpression.callee[object.name=/^(describe|it|test)$/][property.name=/^(only|todo)$/]',
    message: 'No focused or placeholder tests: every test runs and asserts.',
  },
  {
    selector:
      "CallExpression[callee.type='MemberExpression'][callee.object.name=/^(describe|it|test)$/][callee.property.name='skip']:not([arguments.0.value=/\\[skipped: .+\\]$/]):not([arguments.0.quasis.length=1][arguments.0.quasis.0.value.raw=/\\[skipped: .+\\]$/])",
    message: 'A skip names its reason: end the title with `[skipped: <reason>]`.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', '**/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: '@jest/globals',
              name: ['describe', 'it', 'test', 'beforeAll', 'afterAll', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
        {
          selector: "NewExpression[callee.name='XMLParser']",
          message: 'Parse XML with safeXmlParser (#adapter-kit): the one configuration, entities off.',
        },
        ...TEST_FOCUS_RULES,
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read settings through #config (loadSettings/processEnv).',
        },
      ],
    },
  },
  {
    // The one place that configures fast-xml-parser's XMLParser (entities off, values as text).
    files: ['libs/adapters/kit/src/xml.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
      ],
    },
  },
  {
    files: ['libs/config/src/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      '**/*.server-spec.ts',
      '**/*.abuse-spec.ts',
      '**/*.test-support.ts',
      'test/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      'no-restricted-properties': 'off',
    },
  },
  {
    // Vite reads its configuration from a default export.
    files: ['apps/console/vite.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      'no-restricted-syntax': 'off',
      'no-restricted-properties': 'off',
    },
  },
);
