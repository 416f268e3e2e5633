import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A JavaScript runtime the scenario runs under: its executable and the arguments before the script. */
export interface Runtime {
  name: string;
  /** Absolute path of the executable, when installed. */
  path?: string;
  args: string[];
  /** Why it is missing. */
  reason?: string;
}

const modules = fileURLToPath(new URL('./node_modules/', import.meta.url));
const arch = process.arch === 'arm64' ? 'arm64' : 'x64';

// The npm packages' postinstall scripts move each binary into place; with scripts blocked
// (npm's allowScripts / --ignore-scripts) it stays in the platform package. Look in both.
type RuntimeName = 'node22' | 'bun' | 'deno';

const CANDIDATES: Record<RuntimeName, string[]> = {
  node22: [`node-${process.platform}-${arch}/bin/node`],
  bun: ['bun/bin/bun.exe', `@oven/bun-${process.platform}-${arch === 'arm64' ? 'aarch64' : 'x64'}/bin/bun`],
  deno: ['deno/deno', `@deno/${process.platform}-${arch}-glibc/deno`],
};

const ARGS: Record<RuntimeName, string[]> = {
  node22: [],
  bun: [],
  // What the scenario needs and nothing more: sockets, reading its modules, env for MQTT.js's debug; and
  // nothing fetched (no remote modules, no npm download: it runs from node_modules).
  deno: ['run', '--allow-net', '--allow-read', '--allow-env', '--no-remote', '--cached-only'],
};

/** Finds a runtime installed by `npm run setup:runtimes` (tests/runtimes/node_modules). */
export function findRuntime(name: RuntimeName): Runtime {
  for (const candidate of CANDIDATES[name]) {
    const path = modules + candidate;
    // bun/bin/bun.exe is a 450-byte placeholder until bun's postinstall replaces it: a real binary is big.
    if ((statSync(path, { throwIfNoEntry: false })?.size ?? 0) > 1 << 20) return { name, path, args: ARGS[name] };
  }
  return { name, args: ARGS[name], reason: `not in tests/runtimes/node_modules: run \`npm run setup:runtimes\`` };
}
