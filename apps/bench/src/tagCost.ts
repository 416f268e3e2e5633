// Host-side cost of a frame's tag: PlayerInput.receive on 24-byte tagged frames vs 16-byte plain
// frames, same process, same warm-up. `npx tsx --expose-gc src/tagCost.ts` (no broker: the per-frame CPU only;
// the end-to-end figure is `roomLatency(..., { secure })` in `npm run bench`).
import { asyncScheduler } from 'rxjs';
import { ALL_PERMISSIONS, encodeFrame } from '@coplay/core';
import { PlayerInput } from '../../../packages/core/src/room/PlayerInput';
import { concatBytes } from '@noble/hashes/utils';
import { Mac, seqBytes } from '../../../packages/core/src/room/roomCrypto';

const N = 200_000;
const mac = new Mac(crypto.getRandomValues(new Uint8Array(32)), 'f', 'bench-room', 'guest-1');
const frames = (tagged: boolean) =>
  Array.from({ length: N }, (_, i) => {
    const frame = encodeFrame({ seq: i & 0xffff, session: 1, state: { buttons: i % 2, axes: [0, 0, 0, 0], triggers: [0, 0] } });
    return tagged ? concatBytes(frame, mac.tag(8, seqBytes(i), frame)) : frame;
  });

function run(tagged: boolean): number {
  const input = new PlayerInput(
    { scheduler: asyncScheduler, silenceMs: 1e9, releaseMs: 1e9, maxFramesPerSecond: 1e12, burst: 1e12, permissions: ALL_PERMISSIONS, session: 1, nextSeq: 0, ...(tagged ? { mac } : {}) },
    { state: () => {}, status: () => {}, throttled: () => {}, released: () => {} },
  );
  const list = frames(tagged);
  (globalThis as { gc?: () => void }).gc?.(); // the frames' garbage is not the host's cost
  const t0 = performance.now();
  let applied = 0;
  for (const f of list) {
    const v = input.receive(f);
    if (v === 'applied' || v === 'unchanged') applied++;
  }
  const ns = ((performance.now() - t0) * 1e6) / N;
  input.dispose();
  if (applied !== N) throw new Error(`only ${applied} of ${N} applied`);
  return ns;
}

const rounds: Array<[number, number]> = [];
for (let r = 0; r < 5; r++) rounds.push([run(false), run(true)]); // alternate, after a warm-up round
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const plain = median(rounds.slice(1).map((r) => r[0]));
const tagged = median(rounds.slice(1).map((r) => r[1]));
console.log(`host receive per frame: plain 16 B ${(plain / 1000).toFixed(2)} µs, tagged 24 B ${(tagged / 1000).toFixed(2)} µs, tag costs +${((tagged - plain) / 1000).toFixed(2)} µs (${N} frames × 4 rounds, median)`);
