/**
 * The runtime scenario: what every runtime (Node 20/22, Bun, Deno, Chromium) runs against the test kit's
 * embedded broker. Plain ESM with no runtime-specific API, so the same file runs everywhere; it imports
 * the BUILT `@coplay/core` (dist), the way an application does.
 *
 * `runScenario(urls, log)` resolves with a list of checks that passed and rejects on the first failure.
 */
import { Button, NEUTRAL, createConnection, hostRoom, joinRoom } from '@coplay/core';
import { filter, firstValueFrom, timeout } from 'rxjs';

const STEP_TIMEOUT_MS = 15_000;

const first = (source$, predicate, what) =>
  firstValueFrom(
    source$.pipe(
      filter(predicate),
      timeout({ first: STEP_TIMEOUT_MS, with: () => { throw new Error(`timed out waiting for ${what}`); } }),
    ),
  );

const id = () => Math.random().toString(36).slice(2, 10);

async function pubSub(url, tag) {
  const connection = createConnection({ url, clientId: `rt-${tag}-${id()}`, reconnect: { maxAttempts: 3 } });
  try {
    await first(connection.state.value$, (s) => s.status === 'connected', `${tag} connected`);
    const topic = `runtime/${tag}/${id()}`;
    const received = first(connection.topic(topic), () => true, `${tag} message`);
    // The SUBSCRIBE goes out before this publish on the same link, so the broker routes it back.
    const sent = await connection.publish(topic, `hello from ${tag}`, { qos: 1 });
    const message = await received;
    const text = new TextDecoder().decode(message.payload);
    if (!sent || text !== `hello from ${tag}`) throw new Error(`${tag}: got ${JSON.stringify(text)}`);
    return `${tag}: connect, subscribe, publish qos 1, receive`;
  } finally {
    await connection.close();
  }
}

async function room(url, tag) {
  const roomId = `rt${id()}`;
  const hostConn = createConnection({ url, clientId: `host-${id()}`, reconnect: { maxAttempts: 3 } });
  const guestConn = createConnection({ url, clientId: `guest-${id()}`, reconnect: { maxAttempts: 3 } });
  const host = hostRoom(hostConn, { room: roomId });
  // The guest joins with the host's invite (room id + the host's public key): frames and control are
  // authenticated, which runs on each runtime's WebCrypto.
  const guest = joinRoom(guestConn, { invite: await host.invite, name: 'Runtime' });
  try {
    const playing = await first(guest.status.value$, (s) => s.status === 'playing', `${tag} guest playing`);
    if (playing.slot !== 2) throw new Error(`${tag}: guest got slot ${playing.slot}`);
    const pressed = first(host.input(2).value$, (pad) => (pad.buttons & (1 << Button.A)) !== 0, `${tag} A on P2`);
    guest.send({ ...NEUTRAL, buttons: 1 << Button.A });
    await pressed;
    const released = first(host.input(2).value$, (pad) => pad.buttons === 0, `${tag} P2 released`);
    guest.send(NEUTRAL);
    await released;
    return `${tag}: host room + guest room, P2 presses and releases A`;
  } finally {
    await guest.close();
    await host.close();
    await Promise.all([guestConn.close(), hostConn.close()]);
  }
}

/**
 * @param {{ tcp?: string, ws?: string }} urls  broker URLs; a browser passes only `ws`
 * @param {(line: string) => void} log
 */
export async function runScenario(urls, log = () => {}) {
  const passed = [];
  for (const [transport, url] of Object.entries(urls)) {
    if (!url) continue;
    for (const step of [pubSub, room]) {
      const line = await step(url, transport);
      log(`ok ${line}`);
      passed.push(line);
    }
  }
  return passed;
}
