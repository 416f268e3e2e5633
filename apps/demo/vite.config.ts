import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { sourceAliases } from '../../vitest.shared.ts';
import { buildTimePublicConfig } from './scripts/demoConfig.ts';

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export default defineConfig({
  plugins: [react(), vue()],
  // Pages import the coplay packages from source, so neither dev nor build needs them built first.
  resolve: { alias: sourceAliases },
  define: {
    // Only an allow-listed, public subset of the environment is baked in (see demoConfig.ts).
    __COPLAY_PUBLIC_CONFIG__: JSON.stringify(buildTimePublicConfig(process.env)),
  },
  build: {
    rollupOptions: { input: { host: page('index.html'), guest: page('guest.html') } },
  },
});
