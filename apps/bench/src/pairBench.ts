import { pace, sleep } from './pace';
import type { Sample } from './stats';
import type { PairSubject } from './subjects';

const PROBE = 0xffff_ffff;
/** Idle between the warm-up probe's arrival and the first measured message, the same for every subject. */
export const IDLE_MS = 200;

function payloadFor(i: number, bytes: number): Uint8Array {
  const b = new Uint8Array(Math.max(4, bytes));
  new DataView(b.buffer).setUint32(0, i);
  return b;
}
const seqOf = (p: Uint8Array) => new DataView(p.buffer, p.byteOffset, p.byteLength).getUint32(0);

export interface PairRun {
  samples: Sample[];
  sent: number;
  /** Messages sent in the first second. */
  sentFirst: number;
}

/**
 * Identical warm-up for every subject: subscribe, send a probe every 10 ms until one arrives (the
 * subscription is live end to end), idle {@link IDLE_MS}, then `count` messages at `rate`/s.
 */
export async function latencyRun(subject: PairSubject, url: string, count: number, rate: number, bytes = 32): Promise<PairRun> {
  const topic = `bench/${subject.key}/${Math.random().toString(16).slice(2, 8)}`;
  const sentAt = new Float64Array(count);
  let start = 0;
  let probeSeen = false;
  const samples: Sample[] = [];
  const pair = await subject.open(url, topic, (payload) => {
    const now = performance.now();
    const i = seqOf(payload);
    if (i === PROBE) probeSeen = true;
    else if (i < count) samples.push({ atMs: sentAt[i]! - start, us: (now - sentAt[i]!) * 1000 });
  });
  try {
    const probe = payloadFor(PROBE, bytes);
    const deadline = performance.now() + 5000;
    while (!probeSeen) {
      if (performance.now() > deadline) throw new Error(`bench: ${subject.label} never delivered a probe on ${url}`);
      pair.send(probe);
      await sleep(10);
    }
    await sleep(IDLE_MS);
    start = performance.now();
    await pace(count, rate, (i) => {
      sentAt[i] = performance.now();
      pair.send(payloadFor(i, bytes));
    });
  } finally {
    await pair.close();
  }
  return { samples, sent: count, sentFirst: Math.min(count, rate) };
}

/** Messages per second: `count` QoS 0 messages as fast as the publisher takes them, until the last arrives. */
export async function throughputRun(subject: PairSubject, url: string, count: number, bytes = 32): Promise<number> {
  const topic = `bench/tp/${subject.key}/${Math.random().toString(16).slice(2, 8)}`;
  let got = 0;
  let last = 0;
  let probeSeen = false;
  let done: () => void = () => {};
  const all = new Promise<void>((r) => (done = r));
  const pair = await subject.open(url, topic, (payload) => {
    if (seqOf(payload) === PROBE) probeSeen = true;
    else {
      last = performance.now();
      if (++got === count) done();
    }
  });
  try {
    const probe = payloadFor(PROBE, bytes);
    while (!probeSeen) {
      pair.send(probe);
      await sleep(10);
    }
    await sleep(IDLE_MS);
    const t0 = performance.now();
    // Batches with a macrotask between them, so the socket drains as it would in an app.
    for (let i = 0; i < count; i += 200) {
      for (let j = i; j < Math.min(count, i + 200); j++) pair.send(payloadFor(j, bytes));
      await new Promise((r) => setImmediate(r));
    }
    await Promise.race([all, sleep(20_000)]);
    return got === 0 ? 0 : (got / (last - t0)) * 1000;
  } finally {
    await pair.close();
  }
}

/**
 * Publisher side only: `count` QoS 0 messages to a topic nobody subscribes to, 200 per macrotask,
 * until the client has written the last one to its socket (the broker still parses every frame).
 * Isolates what the WebSocket framing changes from the subscriber's receive path.
 */
export async function publishRun(subject: PairSubject, url: string, count: number, bytes = 32): Promise<number> {
  const topic = `bench/pub/${subject.key}/${Math.random().toString(16).slice(2, 8)}`;
  const pair = await subject.open(url, `${topic}/sub`, () => {});
  try {
    await sleep(IDLE_MS);
    const t0 = performance.now();
    let last: Promise<void> = Promise.resolve();
    for (let i = 0; i < count; i += 200) {
      for (let j = i; j < Math.min(count, i + 200); j++) last = pair.sendTo(`${topic}/void`, payloadFor(j, bytes));
      await new Promise((r) => setImmediate(r));
    }
    await last;
    return (count / (performance.now() - t0)) * 1000;
  } finally {
    await pair.close();
  }
}
