// Type-aware linting for every TypeScript file; formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// A test never runs alone, half-written or skipped (`.only`, `.todo`, `.skip`): a suite that needs a server the
// machine lacks is left out by jest.config.mjs (`SERVER_SUITES`) and named in the closing line (ADR 0030).
const TEST_FOCUS_RULES = [
  {
    selector:
      'CallExpression > MemberExpression.callee[object.name=/^(describe|it|test)$/][property.name=/^(only|todo|skip)$/]',
    message: 'No focused, placeholder or skipped tests: every test runs and asserts.',
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
