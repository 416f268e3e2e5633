import { createConnection, createServer, type Socket } from 'node:net';

/** What the proxy currently does with traffic. */
export type FaultMode = 'pass' | 'refuse' | 'blackhole' | 'delay' | 'throttle';

/** A loopback TCP proxy in front of a broker that can cut, refuse, black-hole or delay the link. */
export interface FaultProxy {
  /** Same scheme (and path) as the target, pointing at the proxy: `mqtt://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  readonly mode: FaultMode;
  /** Added one-way latency in `delay` mode. */
  readonly delayMs: number;
  /** Currently open client connections. */
  readonly connections: number;
  /** Forward everything (the default). Surviving connections resume forwarding new data. */
  pass(): void;
  /** Close every current connection (FIN to both ends) and keep accepting new ones in `pass` mode. */
  cut(): void;
  /** Close every current connection and close new ones right after accepting them. */
  refuse(): void;
  /**
   * A half-open link: existing and new connections stay open but nothing passes in either direction
   * (data and closes are discarded), so only keepalives can notice.
   */
  blackhole(): void;
  /** Forward with `ms` added latency per direction, order preserved. */
  delay(ms: number): void;
  /** Forward at most `bytesPerSecond` per direction (a trickle), order preserved. */
  throttle(bytesPerSecond: number): void;
  /** Stop listening and destroy every connection. */
  close(): Promise<void>;
}

interface Direction {
  from: Socket;
  to: Socket;
  queue: Array<{ due: number; chunk: Buffer }>;
  timer: NodeJS.Timeout | undefined;
  /** `from` has closed; close `to` once the queue is flushed. */
  finished: boolean;
  /** Throttle mode: when the last queued chunk has finished "transmitting". */
  nextFree: number;
}

interface Link {
  client: Socket;
  upstream: Socket;
  up: Direction;
  down: Direction;
}

function parseTarget(targetUrl: string): { host: string; port: number; scheme: string; path: string } {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(targetUrl) ? targetUrl : `tcp://${targetUrl}`;
  const url = new URL(withScheme);
  const defaults: Record<string, number> = { 'mqtt:': 1883, 'tcp:': 1883, 'ws:': 80, 'mqtts:': 8883, 'wss:': 443 };
  const port = url.port ? Number(url.port) : defaults[url.protocol];
  if (!port || !url.hostname) throw new Error(`faultProxy: cannot parse target "${targetUrl}"`);
  const path = url.pathname === '/' ? '' : url.pathname;
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port, scheme: url.protocol, path };
}

/**
 * Starts a TCP proxy on an ephemeral loopback port forwarding to `targetUrl`
 * (`mqtt://host:port`, `ws://host:port/path`, or `host:port`).
 */
export async function faultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = parseTarget(targetUrl);
  const links = new Set<Link>();
  let mode: FaultMode = 'pass';
  let delayMs = 0;
  let bytesPerSecond = Infinity;

  function destroyLink(link: Link): void {
    if (!links.delete(link)) return;
    for (const d of [link.up, link.down]) {
      clearTimeout(d.timer);
      d.queue.length = 0;
    }
    link.client.destroy();
    link.upstream.destroy();
  }

  function closeTo(d: Direction, link: Link): void {
    d.to.end();
    // If the far end never finishes the close, do not hold the link forever.
    setTimeout(() => destroyLink(link), 1000).unref();
  }

  function flush(d: Direction, link: Link): void {
    d.timer = undefined;
    const now = Date.now();
    while (d.queue.length > 0 && d.queue[0]!.due <= now) {
      const { chunk } = d.queue.shift()!;
      if (!d.to.destroyed) d.to.write(chunk);
    }
    if (d.queue.length > 0) {
      d.timer = setTimeout(() => flush(d, link), d.queue[0]!.due - now);
    } else if (d.finished) {
      closeTo(d, link);
    }
  }

  function forward(d: Direction, link: Link, chunk: Buffer): void {
    if (mode === 'blackhole') return;
    const now = Date.now();
    let due = now + (mode === 'delay' ? delayMs : 0);
    if (mode === 'throttle') {
      due = Math.max(now, d.nextFree) + (chunk.length * 1000) / bytesPerSecond;
      d.nextFree = due;
    }
    if (d.queue.length === 0 && due <= now) {
      if (!d.to.write(chunk)) {
        d.from.pause();
        d.to.once('drain', () => d.from.resume());
      }
      return;
    }
    // Never overtake data that is still waiting: keep due times non-decreasing.
    const last = d.queue[d.queue.length - 1];
    d.queue.push({ due: Math.max(due, last ? last.due : 0), chunk });
    if (!d.timer) d.timer = setTimeout(() => flush(d, link), Math.max(0, d.queue[0]!.due - now));
  }

  function wire(d: Direction, link: Link): void {
    d.from.on('data', (chunk: Buffer) => forward(d, link, chunk));
    d.from.on('error', () => {});
    d.from.once('close', () => {
      if (!links.has(link)) return;
      // A black-holed link hides closes too: the other end only finds out through its keepalive.
      if (mode === 'blackhole') return;
      d.finished = true;
      if (d.queue.length === 0) closeTo(d, link);
    });
  }

  const server = createServer((client) => {
    if (mode === 'refuse') {
      client.on('error', () => {});
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: target.host, port: target.port });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const link: Link = {
      client,
      upstream,
      up: { from: client, to: upstream, queue: [], timer: undefined, finished: false, nextFree: 0 },
      down: { from: upstream, to: client, queue: [], timer: undefined, finished: false, nextFree: 0 },
    };
    links.add(link);
    wire(link.up, link);
    wire(link.down, link);
    // Both sockets fully gone: forget the link.
    let closedCount = 0;
    const onClosed = () => {
      if (++closedCount === 2) destroyLink(link);
    };
    client.once('close', onClosed);
    upstream.once('close', onClosed);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('faultProxy: listener has no TCP address');
  const port = address.port;
  const scheme = target.scheme === 'tcp:' ? 'mqtt:' : target.scheme;

  const destroyAll = () => {
    for (const link of [...links]) destroyLink(link);
  };

  return {
    url: `${scheme}//127.0.0.1:${port}${target.path}`,
    port,
    get mode() {
      return mode;
    },
    get delayMs() {
      return delayMs;
    },
    get connections() {
      return links.size;
    },
    pass() {
      mode = 'pass';
      delayMs = 0;
    },
    cut() {
      mode = 'pass';
      delayMs = 0;
      destroyAll();
    },
    refuse() {
      mode = 'refuse';
      destroyAll();
    },
    blackhole() {
      mode = 'blackhole';
      // Whatever was still in flight is lost with the link.
      for (const link of links) {
        for (const d of [link.up, link.down]) {
          clearTimeout(d.timer);
          d.timer = undefined;
          d.queue.length = 0;
        }
      }
    },
    throttle(rate: number) {
      if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`faultProxy.throttle: expected bytes/s > 0, got ${rate}`);
      mode = 'throttle';
      bytesPerSecond = rate;
    },
    delay(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`faultProxy.delay: expected ms >= 0, got ${ms}`);
      mode = 'delay';
      delayMs = ms;
    },
    async close() {
      mode = 'refuse';
      destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
