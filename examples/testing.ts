/**
 * Helpers for the examples' tests (run from the repository root with `npm run test:examples`): the same
 * services as `npm run examples:services`, on free ports, and spawned example processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { startBroker, startTokenAuthority, type EmbeddedBroker, type TokenAuthority } from '@coplay/testkit';
export { CHROMIUM_ARGS } from '@coplay/testkit';

/** A broker that accepts only tokens from a local Easemob-compatible authority, both on free ports. */
export interface ExampleServices {
  broker: EmbeddedBroker;
  authority: TokenAuthority;
  /** The variables the examples read (see examples/README.md). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startServices(): Promise<ExampleServices> {
  const app = { appId: 'exampletest', appClientId: 'example-client', appClientSecret: `s${Math.random().toString(36).slice(2)}` };
  const authority = await startTokenAuthority(app);
  const broker = await startBroker({ ws: true, authenticate: authority.authenticate });
  return {
    broker,
    authority,
    env: {
      EASEMOB_API_URL: authority.apiUrl,
      EASEMOB_APP_ID: app.appId,
      EASEMOB_CLIENT_ID: app.appClientId,
      EASEMOB_CLIENT_SECRET: app.appClientSecret,
      COPLAY_BROKER_URL: broker.url,
      COPLAY_BROKER_WS_URL: `${broker.wsUrl}/mqtt`,
    },
    async close() {
      await Promise.allSettled([broker.close(), authority.close()]);
    },
  };
}

/** A process started by a test, with its output so far. */
export interface Spawned {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal name). */
  readonly exited: Promise<number | string>;
  /** Resolves once the output matches, rejects if the process exits first or after `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Signals the process, waits for its exit, then kills whatever is left of its process group. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export function spawnIn(cwd: string, command: string, args: string[], env: Record<string, string> = {}): Spawned {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env, FORCE_COLOR: '0', NO_COLOR: '1', NEXT_TELEMETRY_DISABLED: '1', NUXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() also ends what npm/next/nuxt started
  });
  let out = '';
  const listeners = new Set<() => void>();
  const append = (c: Buffer) => {
    out += c.toString();
    for (const l of listeners) l();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      for (const l of listeners) l();
    }),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    output: () => out,
    exited,
    waitFor(pattern, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = out.match(pattern);
          if (match) return done(() => resolve(match));
          if (!running()) done(() => reject(new Error(`exited before ${pattern}:\n${out}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`no ${pattern} after ${ms} ms:\n${out}`))), ms);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      // npm passes the signal on to the script and exits with its code; then nothing of the group stays.
      if (running()) child.kill(signal);
      const code = await exited;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
      return code;
    },
  };
}


/**
 * A host room in this test process, on the example services, through the built @coplay/core (the one
 * examples/.packs was packed from). `guestPath` is what a guest page needs after its origin: the invite
 * in the fragment.
 */
export async function startHost(services: ExampleServices, room: string) {
  const core = await import('@coplay/core');
  const { env } = services;
  const deviceId = `testhost${Math.random().toString(36).slice(2, 8)}`;
  const connection = core.createConnection({
    url: env.COPLAY_BROKER_URL!,
    clientId: `${deviceId}@${env.EASEMOB_APP_ID}`,
    credentials: core.easemobCredentials({
      apiUrl: env.EASEMOB_API_URL!,
      appId: env.EASEMOB_APP_ID!,
      appClientId: env.EASEMOB_CLIENT_ID!,
      appClientSecret: env.EASEMOB_CLIENT_SECRET!,
      username: 'testhost',
      deviceId,
    }),
  });
  const host = core.hostRoom(connection, { room });
  const guestPath = `#${core.formatInvite(await host.invite)}`;
  /** P2's current buttons mask. */
  const p2Buttons = (): number => host.input(2).value.buttons;
  return {
    host,
    guestPath,
    p2Buttons,
    pressed: (name: keyof typeof core.Button) => (p2Buttons() & (1 << core.Button[name])) !== 0,
    async close() {
      await host.close();
      await connection.close();
    },
  };
}
