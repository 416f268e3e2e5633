import { spawn, type ChildProcess } from 'node:child_process';

/** How to start one external broker process. */
export interface ServerProcessOptions {
  /** Shown in errors, e.g. `startNats`. */
  readonly name: string;
  readonly binary: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly cwd?: string | undefined;
  /** Resolves once the server serves; called after every spawn. */
  readonly ready: () => Promise<void>;
  /** Startup timeout in ms (the error carries the server's log). */
  readonly startTimeoutMs: number;
  /** SIGTERM grace before SIGKILL. Default 5000 ms. */
  readonly stopTimeoutMs?: number | undefined;
}

// Children must not outlive a crashed test run.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) signalGroup(c, 'SIGKILL');
    });
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * A restartable external server process whose output is kept (last ~256 KB) for error messages.
 * The starters for nats-server, rabbitmq-server and redis-server build on it.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private readonly output: string[] = [];
  private outputSize = 0;

  constructor(private readonly options: ServerProcessOptions) {}

  /** Pid of the running process. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    const c = this.child;
    return c !== undefined && c.exitCode === null && c.signalCode === null;
  }

  /** Everything the server printed so far (all runs). */
  log(): string {
    return this.output.join('');
  }

  private capture = (chunk: Buffer) => {
    this.output.push(chunk.toString('utf8'));
    this.outputSize += chunk.length;
    while (this.outputSize > 256 * 1024 && this.output.length > 1) this.outputSize -= this.output.shift()!.length;
  };

  /** Spawns and waits for `ready`; throws with the log if the process exits or the timeout passes first. */
  async start(): Promise<void> {
    const { name, binary, args, env, cwd, ready, startTimeoutMs } = this.options;
    // Its own process group, so a wrapper script (rabbitmq-server) and its VM are signalled together.
    const proc = spawn(binary, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env, cwd, detached: true });
    track(proc);
    proc.stdout?.on('data', this.capture);
    proc.stderr?.on('data', this.capture);
    this.child = proc;
    let timer: NodeJS.Timeout | undefined;
    const spawnError = new Promise<never>((_, reject) => proc.once('error', reject));
    const exited = waitExit(proc).then(() => {
      throw new Error(`${name}: ${binary} exited during startup (code ${proc.exitCode}, signal ${proc.signalCode})`);
    });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name}: not ready within ${startTimeoutMs} ms`)), startTimeoutMs);
    });
    try {
      await Promise.race([ready(), exited, spawnError, timeout]);
    } catch (err) {
      signalGroup(proc, 'SIGKILL');
      await waitExit(proc);
      this.child = undefined;
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- ${name} log ---\n${this.log()}`);
    } finally {
      clearTimeout(timer);
      exited.catch(() => {});
      spawnError.catch(() => {});
    }
  }

  /** Sends `signal` and waits for the exit (SIGKILL after the stop timeout). */
  async terminate(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const proc = this.child;
    if (!proc) return;
    this.child = undefined;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    signalGroup(proc, signal);
    const timer = setTimeout(() => signalGroup(proc, 'SIGKILL'), this.options.stopTimeoutMs ?? 5000);
    await waitExit(proc);
    clearTimeout(timer);
  }
}
