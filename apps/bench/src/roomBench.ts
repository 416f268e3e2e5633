import { createConnection, guestWill, hostRoom, joinRoom, NEUTRAL, type Connection } from '@coplay/core';
import { filter, firstValueFrom } from 'rxjs';
import { pace } from './pace';
import { summarize, type LatencySummary } from './stats';

async function connected(c: Connection): Promise<void> {
  await firstValueFrom(c.state.value$.pipe(filter((s) => s.status === 'connected')));
}

/**
 * Guest `send(state)` → host `input$(slot)` on the same broker: frame encode, QoS 0 publish, broker,
 * decode, sequence and session checks, permissions and the per-player pipeline. `secure` (default
 * true) is an authenticated room: 24-byte frames with an HMAC tag checked on the host; `false`
 * gives the 16-byte untagged frames to compare against in the same run.
 */
export async function roomLatency(url: string, count: number, rate: number, options: { secure?: boolean } = {}): Promise<LatencySummary> {
  const secure = options.secure !== false;
  const room = `bench${Math.random().toString(16).slice(2, 8)}`;
  const hostConn = createConnection({ url, clientId: `${room}-host` });
  const guestId = `${room}-guest`;
  const guestConn = createConnection({ url, clientId: guestId, will: guestWill(room, guestId) });
  await Promise.all([connected(hostConn), connected(guestConn)]);
  // The bench sends far faster than a 60 Hz guest: lift the flood guard so nothing is throttled.
  const host = hostRoom(hostConn, { room, secure, rateLimit: { maxFramesPerSecond: rate * 4, burst: rate } });
  const guest = joinRoom(guestConn, { ...(secure ? { invite: await host.invite } : { room, secure: false }), browserEvents: false });
  const playing = await firstValueFrom(guest.status.value$.pipe(filter((s) => s.status === 'playing')));
  const slot = (playing as { slot: number }).slot;

  // Each frame carries a distinct button mask, so the host's change-only stream emits every one.
  const sentAt = new Map<number, number>();
  const samples: number[] = [];
  const sub = host.input(slot).value$.subscribe((s) => {
    const t = sentAt.get(s.buttons);
    if (t !== undefined) {
      samples.push((performance.now() - t) * 1000);
      sentAt.delete(s.buttons);
    }
  });
  await pace(count, rate, (i) => {
    const buttons = (i % 131_000) + 1;
    sentAt.set(buttons, performance.now());
    guest.send({ ...NEUTRAL, buttons });
  });
  const throttled = host.stats.value;
  sub.unsubscribe();
  await guest.close();
  await host.close();
  await Promise.all([hostConn.close(), guestConn.close()]);
  if ((throttled as { throttled?: number }).throttled) console.warn('[bench] frames throttled:', throttled);
  return summarize(samples, count);
}
