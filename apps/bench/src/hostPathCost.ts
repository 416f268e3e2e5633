// Host CPU per frame, coplay rooms against raw MQTT.js, for work on the host's hot path (issue 13).
// `cd apps/bench && npx tsx src/hostPathCost.ts` (env ROOMS=40 REPS=5 SECONDS=4; needs mosquitto and a
// built @coplay/core). Each repetition runs the scale bench's step (hosts in one child process, CPU from
// process.cpuUsage; guests in another; 0.5 s idle, 1 s warm-up, then SECONDS measured) for raw and coplay in alternating order; medians of the
// repetitions. The guests share the machine's cores, so coplay's guest-side cost shows up as noise too.
import { startMosquitto } from '@coplay/testkit';
import { scaleStep, type ScaleStep } from './scaleBench';
import { fmtUs } from './stats';

const ROOMS = Number(process.env.ROOMS ?? 40);
const REPS = Number(process.env.REPS ?? 5);
const SECONDS = Number(process.env.SECONDS ?? 4);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function main(): Promise<void> {
  const m = await startMosquitto();
  const runs: Record<'raw' | 'coplay', ScaleStep[]> = { raw: [], coplay: [] };
  try {
    for (let r = 0; r < REPS; r++) {
      const order = r % 2 === 0 ? (['raw', 'coplay'] as const) : (['coplay', 'raw'] as const);
      for (const mode of order) {
        const s = await scaleStep(m.url, mode, ROOMS, { idleMs: 500, warmMs: 1000, measureMs: SECONDS * 1000 });
        runs[mode].push(s);
        console.log(`rep ${r + 1} ${mode.padEnd(6)} CPU/frame ${s.cpuUsPerFrame.toFixed(1)} µs, host CPU ${(s.hostCpuShare * 100).toFixed(0)} %, p50 ${fmtUs(s.latency.p50)}, p99 ${fmtUs(s.latency.p99)}`);
      }
    }
  } finally {
    await m.close();
  }
  const raw = median(runs.raw.map((s) => s.cpuUsPerFrame));
  const coplay = median(runs.coplay.map((s) => s.cpuUsPerFrame));
  const ratios = runs.raw.map((s, i) => runs.coplay[i]!.cpuUsPerFrame / s.cpuUsPerFrame);
  console.log(
    `${ROOMS} rooms × ${SECONDS} s × ${REPS} reps: CPU per frame raw ${raw.toFixed(1)} µs, coplay ${coplay.toFixed(1)} µs, ratio of medians ${(coplay / raw).toFixed(2)} ` +
      `(per-rep ratios ${ratios.map((x) => x.toFixed(2)).join(' ')}); p99 raw ${fmtUs(median(runs.raw.map((s) => s.latency.p99)))}, coplay ${fmtUs(median(runs.coplay.map((s) => s.latency.p99)))}`,
  );
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
