import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { accessSync, appendFileSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort, waitForPort } from './ports';
import { requireTool } from './requireTool';

export interface StartMosquittoOptions {
  /** Add a WebSocket listener on a second free port. */
  ws?: boolean | undefined;
  /** `allow_anonymous`; default true. */
  allowAnonymous?: boolean | undefined;
  /** ACL file contents (mosquitto `acl_file` syntax). Lines before any `user` apply to anonymous clients. */
  acl?: string | undefined;
  /** Users to put in a generated password file (username → password). */
  users?: Record<string, string> | undefined;
  /** An existing password file to use instead of / in addition to `users` (its lines are copied). */
  passwordFile?: string | undefined;
  /** Appended verbatim to the generated mosquitto.conf (global section, after the listeners). */
  extraConfig?: string | undefined;
  /**
   * `set_tcp_nodelay`; default true. `false` keeps Debian's default (Nagle on the broker's sockets), which is
   * what hosted brokers run: the bench measures coplay against it.
   */
  tcpNoDelay?: boolean | undefined;
  /** Startup timeout in ms; default 5000. */
  startTimeoutMs?: number | undefined;
}

/** A mosquitto process on its own loopback port(s). */
export interface MosquittoInstance {
  /** `mqtt://127.0.0.1:PORT`; stays the same across restarts. */
  readonly url: string;
  readonly port: number;
  /** `ws://127.0.0.1:WSPORT` when started with `ws: true`. */
  readonly wsUrl?: string | undefined;
  readonly wsPort?: number | undefined;
  /** Pid of the current process; undefined while stopped. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** The generated config file. */
  readonly configPath: string;
  /** SIGTERM and wait for exit (SIGKILL after 5 s). */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit: a crash, no clean shutdown. */
  kill(): Promise<void>;
  /** Spawn again with the same config and port(s); stops first if running. */
  restart(): Promise<void>;
  /** Final stop; removes the temp directory. */
  close(): Promise<void>;
  /** Everything mosquitto printed so far (all runs). */
  log(): string;
}

const PBKDF2_ITERATIONS = 101;

/**
 * One password-file line in mosquitto 2's `$7$` format (PBKDF2-SHA512), as `mosquitto_passwd` writes it.
 * Used when `mosquitto_passwd` is not installed.
 */
export function mosquittoPasswordLine(username: string, password: string): string {
  const salt = randomBytes(12);
  const hash = pbkdf2Sync(password, salt, PBKDF2_ITERATIONS, 64, 'sha512');
  return `${username}:$7$${PBKDF2_ITERATIONS}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function findPasswdTool(): string | undefined {
  const dirs = ['/usr/bin', '/usr/local/bin', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  for (const dir of dirs) {
    try {
      accessSync(join(dir, 'mosquitto_passwd'), constants.X_OK);
      return join(dir, 'mosquitto_passwd');
    } catch {
      // not here
    }
  }
  return undefined;
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
      for (const c of live) c.kill('SIGKILL');
    });
  }
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Spawns mosquitto with a generated config on free loopback port(s), no persistence, and waits
 * until it accepts connections. Throws (with mosquitto's log) if it exits or does not come up.
 */
export async function startMosquitto(options: StartMosquittoOptions = {}): Promise<MosquittoInstance> {
  const tool = requireTool('mosquitto');
  if (!tool.available || !tool.path) throw new Error(`startMosquitto: mosquitto not found (${tool.reason})`);
  const binary = tool.path;

  const dir = mkdtempSync(join(tmpdir(), 'coplay-mosquitto-'));
  const port = await freePort();
  const wsPort = options.ws ? await freePort() : undefined;
  const lines: string[] = [
    'persistence false',
    // Mosquitto Nagle-batches small packets by default; real-time input wants them sent at once.
    `set_tcp_nodelay ${options.tcpNoDelay === false ? 'false' : 'true'}`,
    'log_dest stderr',
    'log_timestamp_format %H:%M:%S',
    // Root would drop to the `mosquitto` user, which cannot read our 0700 temp dir.
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    `allow_anonymous ${options.allowAnonymous === false ? 'false' : 'true'}`,
  ];

  if (options.users || options.passwordFile) {
    const file = join(dir, 'passwd');
    writeFileSync(file, '', { mode: 0o600 });
    if (options.passwordFile) {
      appendFileSync(file, readFileSync(options.passwordFile, 'utf8').trimEnd() + '\n');
    }
    const passwd = options.users && Object.keys(options.users).length > 0 ? findPasswdTool() : undefined;
    for (const [user, password] of Object.entries(options.users ?? {})) {
      if (passwd) execFileSync(passwd, ['-b', file, user, password], { stdio: 'pipe' });
      else appendFileSync(file, mosquittoPasswordLine(user, password) + '\n');
    }
    lines.push(`password_file ${file}`);
  }
  if (options.acl !== undefined) {
    const file = join(dir, 'acl');
    writeFileSync(file, options.acl.endsWith('\n') ? options.acl : options.acl + '\n', { mode: 0o600 });
    lines.push(`acl_file ${file}`);
  }
  lines.push(`listener ${port} 127.0.0.1`);
  if (wsPort !== undefined) lines.push(`listener ${wsPort} 127.0.0.1`, 'protocol websockets');
  if (options.extraConfig) lines.push(options.extraConfig);

  const configPath = join(dir, 'mosquitto.conf');
  writeFileSync(configPath, lines.join('\n') + '\n', { mode: 0o600 });

  const output: string[] = [];
  let outputSize = 0;
  const capture = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    outputSize += chunk.length;
    // Keep roughly the last 256 KB.
    while (outputSize > 256 * 1024 && output.length > 1) outputSize -= output.shift()!.length;
  };

  let child: ChildProcess | undefined;
  let closed = false;
  const startTimeout = options.startTimeoutMs ?? 5000;

  async function spawnOnce(): Promise<void> {
    const proc = spawn(binary, ['-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    track(proc);
    proc.stdout?.on('data', capture);
    proc.stderr?.on('data', capture);
    child = proc;
    const spawnError = new Promise<never>((_, reject) => proc.once('error', reject));
    const exited = waitExit(proc).then(() => {
      throw new Error(
        `startMosquitto: mosquitto exited during startup (code ${proc.exitCode}, signal ${proc.signalCode}):\n${output.join('')}`,
      );
    });
    const ready = (async () => {
      await waitForPort(port, '127.0.0.1', startTimeout);
      if (wsPort !== undefined) await waitForPort(wsPort, '127.0.0.1', startTimeout);
    })();
    try {
      await Promise.race([ready, exited, spawnError]);
    } catch (err) {
      proc.kill('SIGKILL');
      await waitExit(proc);
      child = undefined;
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(message.includes('mosquitto') ? message : `startMosquitto: ${message}\n${output.join('')}`);
    } finally {
      exited.catch(() => {});
      spawnError.catch(() => {});
    }
  }

  async function terminate(signal: NodeJS.Signals): Promise<void> {
    const proc = child;
    if (!proc) return;
    child = undefined;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await waitExit(proc);
    clearTimeout(timer);
  }

  try {
    await spawnOnce();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    wsUrl: wsPort !== undefined ? `ws://127.0.0.1:${wsPort}` : undefined,
    wsPort,
    get pid() {
      return child?.pid;
    },
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    configPath,
    stop: () => terminate('SIGTERM'),
    kill: () => terminate('SIGKILL'),
    async restart() {
      if (closed) throw new Error('startMosquitto: restart() after close()');
      await terminate('SIGTERM');
      await spawnOnce();
    },
    async close() {
      if (closed) return;
      closed = true;
      await terminate('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => output.join(''),
  };
}
