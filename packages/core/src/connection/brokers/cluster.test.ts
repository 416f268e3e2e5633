import { requireTool, startAedesCluster, startNatsCluster, waitForGuestStatus } from '@coplay/testkit';
import mqtt from 'mqtt';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { hostRoom } from '../../room/hostRoom';
import { joinRoom } from '../../room/joinRoom';
import { createConnection } from '../createConnection';
import { waitForState } from '../testing';
import type { BrokerOption } from '../brokerProfile';
import type { Connection } from '../types';
import { device } from './connectionSuite';

// Host on node 1, guest on node 2, each given every node's URL. Input flows across nodes; node 1 dies
// (SIGKILL); the host fails over to a surviving node and the guest's input reaches it again. Only
// outcomes are asserted: how long it takes is measured by `npm run bench:failover` (apps/bench).

const conns: Connection[] = [];
/** Generous first connects: a freshly started cluster (NATS: JetStream leaders) can hold a CONNECT for seconds under load. */
const CONNECT_MS = 60_000;

/**
 * Armed before the kill: resolves when `conn` leaves `connected`. Waiting only after `kill()` returned
 * could miss a fast failover (reconnecting and connected again while the kill awaited the process exit).
 */
function lostLink(conn: Connection, ms = 30_000): Promise<unknown> {
  const lost = firstValueFrom(
    conn.state.value$.pipe(
      filter((s) => s.status === 'reconnecting'),
      timeout({ first: ms, with: () => { throw new Error(`link not lost; state ${JSON.stringify(conn.state.value)}`); } }),
    ),
  );
  lost.catch(() => undefined); // the caller awaits it; if kill() throws first, this is not an unhandled rejection
  return lost;
}

afterEach(async () => {
  await Promise.all(conns.splice(0).map((c) => c.close()));
});

async function failover(urls: readonly string[], kill: () => Promise<void>, broker: BrokerOption): Promise<void> {
  const topic = `cluster/${device('room')}/in`;
  const host = createConnection({ url: [...urls], clientId: device('host'), broker });
  const guest = createConnection({ url: [urls[1]!, ...urls.filter((_, i) => i !== 1)], clientId: device('guest'), broker });
  conns.push(host, guest);
  const frames: number[] = [];
  host.topic(topic).subscribe((m) => frames.push(m.payload[0]!));
  await waitForState(host, 'connected', CONNECT_MS);
  await waitForState(guest, 'connected', CONNECT_MS);
  expect(host.state.value).toMatchObject({ server: urls[0] });
  expect(guest.state.value).toMatchObject({ server: urls[1] });
  let seq = 0;
  const send = () => void guest.publish(topic, new Uint8Array([++seq % 256]), { whenOffline: 'drop' }).catch(() => {});
  const sender = setInterval(send, 1000 / 60);
  try {
    await expect.poll(() => frames.length, { timeout: 20_000 }).toBeGreaterThan(3);
    const lost = lostLink(host);
    await kill();
    const before = frames.length;
    await lost;
    await waitForState(host, 'connected', 60_000);
    expect(host.state.value).not.toMatchObject({ server: urls[0] });
    await expect.poll(() => frames.length, { timeout: 60_000 }).toBeGreaterThan(before + 3);
    expect(guest.state.value.status).toBe('connected');
  } finally {
    clearInterval(sender);
  }
}

/** Whether a fresh subscriber on `url` is handed a retained message on `topic` (within 1 s). */
async function retainedOn(url: string, topic: string): Promise<boolean> {
  const probe = await mqtt.connectAsync(url, { clientId: device('probe'), reconnectPeriod: 0 });
  try {
    const got = new Promise<boolean>((resolve) => {
      probe.on('message', (_t, _p, packet) => packet.retain && resolve(true));
      setTimeout(() => resolve(false), 1000);
    });
    await probe.subscribeAsync(topic, { qos: 0 });
    return await got;
  } finally {
    await probe.endAsync(true);
  }
}

/** The same through a room: the host's input(2) changes again after the failover. */
async function roomFailover(urls: readonly string[], kill: () => Promise<void>, broker: BrokerOption): Promise<void> {
  const hostConn = createConnection({ url: [...urls], clientId: device('rhost'), broker });
  const guestConn = createConnection({ url: [urls[1]!, ...urls.filter((_, i) => i !== 1)], clientId: device('rguest'), broker });
  conns.push(hostConn, guestConn);
  await waitForState(hostConn, 'connected', CONNECT_MS);
  await waitForState(guestConn, 'connected', CONNECT_MS);
  const room = device('room');
  const host = hostRoom(hostConn, { room });
  const invite = await host.invite;
  // NATS copies a retained message to the other nodes asynchronously: a guest on node 2 that subscribes
  // before its copy arrives misses the host's presence for good (a rooms issue, see NOTES). Join once node 2
  // hands the retained presence to a fresh subscriber.
  await expect.poll(() => retainedOn(urls[1]!, `cp/${room}/h`), { timeout: 30_000, interval: 200 }).toBe(true);
  const guest = joinRoom(guestConn, { invite, browserEvents: false });
  let changes = 0;
  host.input(2).value$.subscribe(() => changes++);
  await waitForGuestStatus(guest, 'playing', 60_000);
  let n = 0;
  // Alternating buttons: every frame that arrives changes the host's view of player 2.
  const sender = setInterval(() => guest.send({ buttons: (++n % 2) + 1, axes: [0, 0, 0, 0], triggers: [0, 0] }), 1000 / 60);
  try {
    await expect.poll(() => changes, { timeout: 20_000 }).toBeGreaterThan(3);
    const lost = lostLink(hostConn);
    await kill();
    await lost;
    const before = changes;
    await expect.poll(() => changes, { timeout: 90_000, interval: 100 }).toBeGreaterThan(before + 3);
    expect(host.status.value.status).toBe('open');
    expect(guest.status.value.status).toBe('playing');
  } finally {
    clearInterval(sender);
    await Promise.all([guest.close(), host.close()]);
  }
}

describe.skipIf(!requireTool('nats-server').available)('3-node NATS cluster with MQTT (stream_replicas 3)', () => {
  it('input flows across nodes, and again after node 1 dies and the host fails over', async () => {
    const cluster = await startNatsCluster({ nodes: 3 });
    try {
      await failover(cluster.urls, () => cluster.nodes[0]!.kill(), 'nats');
    } finally {
      await Promise.all(conns.splice(0).map((c) => c.close()));
      await cluster.close();
    }
  }, 300_000);

  it('a room: the guest on node 2 plays on after node 1 (the host\'s) dies', async () => {
    const cluster = await startNatsCluster({ nodes: 3 });
    try {
      await roomFailover(cluster.urls, () => cluster.nodes[0]!.kill(), 'nats');
    } finally {
      await Promise.all(conns.splice(0).map((c) => c.close()));
      await cluster.close();
    }
  }, 360_000);
});

describe.skipIf(!requireTool('redis-server').available)('2 Aedes nodes sharing state through Redis', () => {
  it('input flows across nodes, and again after node 1 dies and the host fails over', async () => {
    const cluster = await startAedesCluster({ nodes: 2 });
    try {
      await failover(cluster.urls, () => cluster.nodes[0]!.kill(), 'aedes');
    } finally {
      await Promise.all(conns.splice(0).map((c) => c.close()));
      await cluster.close();
    }
  }, 300_000);

  it('a room: the guest on node 2 plays on after node 1 (the host\'s) dies', async () => {
    const cluster = await startAedesCluster({ nodes: 2 });
    try {
      await roomFailover(cluster.urls, () => cluster.nodes[0]!.kill(), 'aedes');
    } finally {
      await Promise.all(conns.splice(0).map((c) => c.close()));
      await cluster.close();
    }
  }, 360_000);
});
