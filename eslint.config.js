import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { existsSync, readdirSync } from 'node:fs';

// Examples install their own dependencies (npm run examples:install); until then their imports have no
// types, so type-aware rules cannot judge them. .ci/run lints after installing them.
const uninstalledExamples = readdirSync(new URL('./examples', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory() && !existsSync(new URL(`./examples/${d.name}/node_modules`, import.meta.url)))
  .map((d) => `examples/${d.name}/**`);

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', 'test-artifacts/**', '**/*.vue', 'docs/api/**', '**/.next/**', '**/.nuxt/**', '**/.output/**', '**/next-env.d.ts', ...uninstalledExamples] },
  js.configs.recommended,
  // Type-aware: every TypeScript file is linted with its package's tsconfig (project service).
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.ts', 'docs/reference/*.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Rethrowing or rejecting with a caught `unknown` passes the original error on unchanged.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    // Tests read parsed JSON and stub async APIs: `any` from JSON.parse and async stubs are the point.
    files: ['**/*.test.{ts,tsx}', '**/vitest.setup.ts', 'packages/testkit/**', 'examples/testing.ts', 'apps/demo/e2e/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['packages/react/**/*.{ts,tsx}', 'apps/demo/src/host/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    // Tests capture hook results in outer variables, and useBrokerFixture is a vitest fixture, not a hook.
    files: ['packages/react/**/*.test.tsx'],
    rules: { 'react-hooks/rules-of-hooks': 'off', 'react-hooks/globals': 'off' },
  },
  {
    // Plain JS, and code that only type-checks inside its own install (consumer check, the Nuxt example).
    files: ['**/*.{js,mjs,cjs}', 'scripts/consumer/**', 'examples/nuxt/**'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js', '**/*.mjs', 'apps/demo/scripts/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  // dx: examples, runtime tests and scripts are plain JS that runs in Node, Deno, Bun and browsers.
  {
    files: ['examples/**/*.{js,mjs,cjs}', 'tests/**/*.{js,mjs,cjs}', 'scripts/**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'navigator', 'fetch', 'Request', 'Response', 'URLSearchParams',
          'TextDecoder', 'TextEncoder', 'crypto', 'setTimeout', 'clearTimeout', 'require', 'Deno', 'Bun'].map(
          (name) => [name, 'readonly'],
        ),
      ),
    },
  },
);
