import { createConnection, guestWill, hostRoom, joinRoom, NEUTRAL } from '@coplay/core';
import { connected, until } from './until';
import type { PairSubject } from './subjects';

const PROBE_BUTTONS = 0x1ffff;

/**
 * A coplay room as a pair: the guest's `send(state)` → the host's `input(slot)`, with frame encoding
 * (and its HMAC tag when `secure`, the default), the room's checks and the per-player pipeline.
 * Message `i` becomes button mask `i + 1` (every frame differs, so the host's change-only value emits
 * each one).
 */
export function roomSubject(key: string, label: string, hostOptions: Record<string, unknown> = {}): PairSubject {
  return {
    key,
    label,
    async open(url, _topic, onMessage) {
      const secure = hostOptions['secure'] !== false;
      const room = `b${Math.random().toString(16).slice(2, 10)}`;
      const hostConn = createConnection({ url, clientId: `${room}-host` });
      // `outgoing: true`: the host sends on a second connection (hostRoom's `outgoing`), its input link only receives.
      const outConn = hostOptions['outgoing'] === true ? createConnection({ url, clientId: `${room}-out` }) : undefined;
      const guestId = `${room}-guest`;
      const guestConn = createConnection({ url, clientId: guestId, will: guestWill(room, guestId) });
      await Promise.all([connected(hostConn), connected(guestConn), outConn && connected(outConn)]);
      const { outgoing: _, ...rest } = hostOptions;
      const host = hostRoom(hostConn, { room, secure, ...rest, ...(outConn ? { outgoing: outConn } : {}) });
      const guest = joinRoom(guestConn, { ...(secure ? { invite: await host.invite } : { room, secure: false }), browserEvents: false });
      const playing = (await until(guest.status.value$, (s) => s.status === 'playing', 'guest playing')) as { slot: number };
      const out = new Uint8Array(4);
      const view = new DataView(out.buffer);
      const sub = host.input(playing.slot).value$.subscribe((s) => {
        if (s.buttons === 0) return;
        view.setUint32(0, s.buttons === PROBE_BUTTONS ? 0xffff_ffff : s.buttons - 1);
        onMessage(out);
      });
      return {
        send(p) {
          const i = new DataView(p.buffer, p.byteOffset, p.byteLength).getUint32(0);
          guest.send({ ...NEUTRAL, buttons: i === 0xffff_ffff ? PROBE_BUTTONS : (i % 131_000) + 1 });
        },
        sendTo: () => Promise.reject(new Error('bench: a room has no free-topic publish')),
        async close() {
          sub.unsubscribe();
          await guest.close();
          await host.close();
          await Promise.all([hostConn.close(), guestConn.close(), outConn?.close()]);
        },
      };
    },
  };
}
