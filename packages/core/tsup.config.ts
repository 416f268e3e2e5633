import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'server/index': 'src/server/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
  external: ['rxjs', 'mqtt', 'ky'],
  // mqtt-match (20 lines) is CommonJS only: bundled, so the ESM build also loads in a browser without a
  // bundler (import map) and in Deno from a URL. It is a devDependency for that reason.
  noExternal: ['mqtt-match'],
});
