import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** External programs some integration tests need. */
export type ToolName = 'mosquitto' | 'nats-server' | 'rabbitmq-server' | 'redis-server' | 'chromium';

/** Outcome of {@link requireTool}. */
export interface ToolInfo {
  available: boolean;
  /** Absolute path of the executable when available. */
  path?: string | undefined;
  /** Why it is not available. */
  reason?: string | undefined;
}

/** Test seams: which environment to read and where to look (instead of the default dirs + PATH). */
export interface RequireToolOptions {
  env?: Record<string, string | undefined>;
  searchDirs?: string[] | undefined;
}

const BINARIES: Record<ToolName, string[]> = {
  mosquitto: ['mosquitto'],
  'nats-server': ['nats-server'],
  'rabbitmq-server': ['rabbitmq-server'],
  'redis-server': ['redis-server'],
  chromium: ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'],
};

const DEFAULT_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];

// One skip notice per tool per process, so a file with many suites does not repeat it.
const warned = new Set<string>();

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Looks for an external tool. Use as `describe.skipIf(!requireTool('mosquitto').available)`.
 *
 * Missing tool: with `CI=true` this THROWS (CI must not silently skip), otherwise it prints
 * `[coplay testkit] skipping: <tool> not found (<reason>)` once and returns `available: false`.
 */
export function requireTool(name: ToolName, options: RequireToolOptions = {}): ToolInfo {
  const env = options.env ?? process.env;
  const candidates = BINARIES[name];
  if (!candidates) throw new Error(`requireTool: unknown tool "${String(name)}"`);
  const dirs =
    options.searchDirs ?? [...DEFAULT_DIRS, ...(env.PATH ?? '').split(delimiter).filter((d) => d !== '')];
  const unique = [...new Set(dirs)];
  for (const binary of candidates) {
    for (const dir of unique) {
      const path = join(dir, binary);
      if (isExecutable(path)) return { available: true, path };
    }
  }
  const reason = `no executable ${candidates.map((c) => `"${c}"`).join(' or ')} in ${
    options.searchDirs ? unique.join(', ') : 'standard dirs or PATH'
  }`;
  if (env.CI === 'true') {
    throw new Error(`[coplay testkit] ${name} is required in CI (CI=true) but was not found: ${reason}`);
  }
  if (!warned.has(name)) {
    warned.add(name);
    console.warn(`[coplay testkit] skipping: ${name} not found (${reason})`);
  }
  return { available: false, reason };
}
