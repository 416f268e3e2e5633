import { requireTool, startBroker } from '@coplay/testkit';
import { FRAME_BYTES } from '@coplay/core';
import { coplayLatency, rawMqttLatency } from './connectionBench';
import { roomLatency } from './roomBench';
import { fmtUs, type LatencySummary } from './stats';

// `npm run bench`: every coplay figure is quoted as a ratio against raw MQTT.js measured in the same
// run, on the same broker, at the same rate, interleaved to share the machine's noise.
const COUNT = Number(process.env.BENCH_COUNT ?? 3000);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

interface Row {
  broker: string;
  path: string;
  raw: LatencySummary;
  coplay: LatencySummary;
}

function best(runs: LatencySummary[]): LatencySummary {
  // The median round by p50: one noisy round on a 2-core machine should not decide the figure.
  const sorted = [...runs].sort((a, b) => a.p50 - b.p50);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

async function compare(
  broker: string,
  path: string,
  raw: () => Promise<LatencySummary>,
  coplay: () => Promise<LatencySummary>,
): Promise<Row> {
  // One discarded round first, so JIT warm-up lands on neither side.
  await raw();
  await coplay();
  const raws: LatencySummary[] = [];
  const coplays: LatencySummary[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    raws.push(await raw());
    coplays.push(await coplay());
  }
  return { broker, path, raw: best(raws), coplay: best(coplays) };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const aedes = await startBroker({ ws: true });
  try {
    rows.push(
      await compare('Aedes (in-process, TCP)', 'publish → topic()', () => rawMqttLatency(aedes.url, COUNT, RATE), () =>
        coplayLatency(aedes.url, COUNT, RATE),
      ),
    );
    rows.push(
      await compare('Aedes (in-process, WebSocket)', 'publish → topic()', () => rawMqttLatency(aedes.wsUrl!, COUNT, RATE), () =>
        coplayLatency(aedes.wsUrl!, COUNT, RATE),
      ),
    );
    rows.push(
      await compare('Aedes (in-process, TCP)', 'guest send → host input$', () => rawMqttLatency(aedes.url, COUNT, RATE, FRAME_BYTES), () =>
        roomLatency(aedes.url, COUNT, RATE),
      ),
    );
  } finally {
    await aedes.close();
  }
  const mosq = requireTool('mosquitto');
  if (mosq.available) {
    const { startMosquitto } = await import('@coplay/testkit');
    const m = await startMosquitto();
    try {
      rows.push(
        await compare('mosquitto (TCP)', 'publish → topic()', () => rawMqttLatency(m.url, COUNT, RATE), () => coplayLatency(m.url, COUNT, RATE)),
      );
      rows.push(
        await compare('mosquitto (TCP)', 'guest send → host input$', () => rawMqttLatency(m.url, COUNT, RATE, FRAME_BYTES), () =>
          roomLatency(m.url, COUNT, RATE),
        ),
      );
    } finally {
      await m.close();
    }
  }

  console.log(`\ncoplay bench — ${COUNT} msgs × ${ROUNDS} rounds at ${RATE}/s, QoS 0, loopback, one process`);
  console.log(`input frame: ${FRAME_BYTES} bytes (raw comparator for the room rows sends ${FRAME_BYTES}-byte payloads; others 32 B)\n`);
  console.log('| broker | path | raw MQTT.js p50 / p99 | coplay p50 / p99 | ratio p50 / p99 | lost (raw / coplay) |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const ratio = (a: number, b: number) => (b / a).toFixed(2);
    console.log(
      `| ${r.broker} | ${r.path} | ${fmtUs(r.raw.p50)} / ${fmtUs(r.raw.p99)} | ${fmtUs(r.coplay.p50)} / ${fmtUs(r.coplay.p99)} | ` +
        `${ratio(r.raw.p50, r.coplay.p50)} / ${ratio(r.raw.p99, r.coplay.p99)} | ${r.raw.lost} / ${r.coplay.lost} |`,
    );
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
