import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const demoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A `npm run demo` process started by a test. */
export interface SpawnedDemo {
  readonly child: ChildProcess;
  /** Everything printed so far (stdout + stderr). */
  readonly output: () => string;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  /** Sends a signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Runs `node --import tsx scripts/dev.ts [args]` (what `npm run demo [-- args]` runs) with extra environment. One
 * process, so a signal reaches the demo's own handlers: the `tsx` CLI would relay it through a parent
 * that gives its child 30 ms to acknowledge and otherwise re-sends it or kills the child (exit 130).
 */
export function spawnDemo(env: Record<string, string>, args: readonly string[] = []): SpawnedDemo {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts', ...args], {
    cwd: demoRoot,
    env: { ...process.env, ...env, FORCE_COLOR: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    child,
    output: () => out,
    exited,
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Waits until the demo printed its URLs; rejects with its output if it exits or times out first. */
export async function waitForUrls(demo: SpawnedDemo, timeoutMs = 45_000): Promise<{ hostUrl: string; guestUrl: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = demo.output();
    const host = /Host .*?(http:\/\/\S+)/.exec(text)?.[1];
    const guest = /Guest .*?(http:\/\/\S+)/.exec(text)?.[1];
    if (host && guest) return { hostUrl: host, guestUrl: guest };
    if (demo.child.exitCode !== null || Date.now() > deadline) {
      await demo.stop('SIGKILL');
      throw new Error(`the demo did not print its URLs:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
