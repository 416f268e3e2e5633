import { defineConfig } from 'vitest/config';
import { reportOptions, sourceAliases } from '../../vitest.shared.ts';

export default defineConfig({
  // Type tests import @coplay/react and @coplay/vue: from source, like core's tests, not from an unbuilt dist.
  resolve: { alias: sourceAliases },
  test: { ...reportOptions('testkit'), include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 },
});
