import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', 'test-artifacts/**', '**/*.vue', 'docs/api/**', '**/.next/**', '**/.nuxt/**', '**/.output/**', '**/next-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
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
