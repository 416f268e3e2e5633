import { defineConfig } from 'vitest/config';
import { reportOptions, sourceAliases } from '../../vitest.shared.ts';

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    ...reportOptions('demo'),
    environment: 'node',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The e2e test and the dev-script tests start servers and a browser: one file at a time.
    fileParallelism: false,
  },
});
