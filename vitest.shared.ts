import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Tests run against sources, so `npm test` needs no build step. */
export const sourceAliases = {
  '@coplay/core/server': here('./packages/core/src/server/index.ts'),
  '@coplay/core': here('./packages/core/src/index.ts'),
  '@coplay/react': here('./packages/react/src/index.ts'),
  '@coplay/vue': here('./packages/vue/src/index.ts'),
  '@coplay/testkit/vitest': here('./packages/testkit/src/vitest.ts'),
  '@coplay/testkit': here('./packages/testkit/src/index.ts'),
};

/**
 * With COPLAY_TEST_REPORT_DIR set (CI does), each workspace also writes a JSON report there, which
 * scripts/test-summary.mjs adds up into one closing line.
 */
export function reportOptions(name: string): { reporters?: string[]; outputFile?: Record<string, string> } {
  const dir = process.env.COPLAY_TEST_REPORT_DIR;
  return dir ? { reporters: ['default', 'json'], outputFile: { json: `${dir}/${name}.json` } } : {};
}
