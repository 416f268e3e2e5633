/**
 * CPU per frame of a room's own pipeline, without sockets: a real hostRoom and joinRoom (authenticated
 * unless SECURE=0) on an in-process message bus that stands in for the broker. Each round the guest
 * `send`s N frames (every one a new state, as in the scale bench) while the bus only records them
 * (the guest's cost: normalise, encode, tag, publish), then the bus delivers them to the host (the
 * host's cost from the room's subscription to `input(slot)` emitting). Medians of ROUNDS rounds.
 * Sockets, MQTT.js and the connection's routing are left out: they are the same for every version of
 * the room code, which is what this compares (run it on two checkouts, alternately).
 * Run: `cd apps/bench && npx tsx --expose-gc src/experiments/roomPipelineCost.ts` (env N, ROUNDS, SECURE).
 */
import { BROKER_PROFILES, hostRoom, joinRoom, NEUTRAL, topicMatches, type Connection, type Message } from '@coplay/core';
import { BehaviorSubject, NEVER, Observable, Subject, firstValueFrom, filter } from 'rxjs';

const N = Number(process.env.N ?? 20_000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const SECURE = process.env.SECURE !== '0';

/** The broker stand-in: topic filters, QoS ignored, delivery in a microtask (or recorded). */
function bus() {
  const subs = new Set<{ filter: string; subject: Subject<Message> }>();
  let recording: Message[] | undefined;
  const deliver = (m: Message) => {
    for (const s of subs) if (topicMatches(s.filter, m.topic)) s.subject.next(m);
  };
  const connect = (clientId: string): Connection => {
    const live = <T>(v: T) => {
      const b = new BehaviorSubject(v);
      return { get value() { return b.getValue(); }, value$: b.asObservable() };
    };
    return {
      state: live({ status: 'connected', server: 'bus', since: 0 } as const),
      queue: live({ size: 0, bytes: 0, dropped: 0 }) as unknown as Connection['queue'],
      errors$: NEVER,
      clientId,
      broker: BROKER_PROFILES.generic,
      protocolVersion: 4,
      topic: (f: string) =>
        new Observable<Message>((subscriber) => {
          const s = { filter: f, subject: new Subject<Message>() };
          const inner = s.subject.subscribe(subscriber);
          subs.add(s);
          return () => {
            subs.delete(s);
            inner.unsubscribe();
          };
        }),
      publish(topic: string, payload: string | Uint8Array, options?: { retain?: boolean } | null) {
        const m: Message = { topic, payload: typeof payload === 'string' ? new TextEncoder().encode(payload) : payload, qos: 0, retain: options?.retain ?? false };
        if (recording) recording.push(m);
        else queueMicrotask(() => deliver(m));
        return Promise.resolve(true);
      },
      setWill: () => undefined,
      connect: () => undefined,
      reconnect: () => undefined,
      close: () => Promise.resolve(),
    };
  };
  return {
    connect,
    record: (): Message[] => (recording = []),
    replay(list: Message[]) {
      recording = undefined;
      for (const m of list) deliver(m);
    },
  };
}

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function main(): Promise<void> {
  const b = bus();
  const host = hostRoom(b.connect('host'), { room: 'cost', maxPlayers: 2, secure: SECURE, silenceMs: 600_000, rateLimit: { maxFramesPerSecond: 1e9, burst: 1e9 } });
  const guest = joinRoom(b.connect('guest'), { ...(SECURE ? { invite: await host.invite } : { room: 'cost', secure: false }), browserEvents: false });
  await firstValueFrom(guest.status.value$.pipe(filter((s) => s.status === 'playing')));
  let got = 0;
  host.input(2).value$.subscribe(() => got++);
  const gc = (globalThis as { gc?: () => void }).gc;
  const guestNs: number[] = [];
  const hostNs: number[] = [];
  let k = 0;
  for (let r = 0; r < ROUNDS + 1; r++) {
    const sent = b.record();
    gc?.();
    let t0 = cpuUs();
    for (let i = 0; i < N; i++) guest.send({ ...NEUTRAL, buttons: (k++ % 131_000) + 1 });
    const g = ((cpuUs() - t0) * 1000) / N;
    const frames = sent.filter((m) => m.topic.includes('/i/'));
    gc?.();
    const before = got;
    t0 = cpuUs();
    b.replay(frames);
    const h = ((cpuUs() - t0) * 1000) / frames.length;
    if (got - before !== frames.length) throw new Error(`host applied ${got - before} of ${frames.length} frames`);
    if (r > 0) {
      guestNs.push(g);
      hostNs.push(h);
    }
  }
  console.log(
    `room pipeline (${SECURE ? 'authenticated' : 'secure: false'}), ${N} frames × ${ROUNDS} rounds, medians: host ${(median(hostNs) / 1000).toFixed(2)} µs/frame ` +
      `(rounds ${hostNs.map((x) => (x / 1000).toFixed(2)).join(' ')}), guest ${(median(guestNs) / 1000).toFixed(2)} µs/frame (rounds ${guestNs.map((x) => (x / 1000).toFixed(2)).join(' ')})`,
  );
  await guest.close();
  await host.close();
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
