/**
 * The ping-tail experiment (issue 13): why a host's ping exchange delays guest input on a mosquitto
 * without `set_tcp_nodelay`. Raw MQTT.js only (noDelay on both clients), PAIRS guest/host pairs, the
 * guest publishing a 17-byte frame at 60 Hz; VARIANTS choose what the host does once a second:
 *   none | qos1 (ping + pong QoS 1, coplay 0.1) | qos0 | qos0-pongInFrame (pong rides the next input frame)
 *   | sepConn (pings on a second host connection) | gated (QoS 0, sent only after ≥ 45 ms without input, forced after 10 s)
 *   | bcast30 (no pings; the host app publishes 64 B state at 30 Hz) | bcast30sep (the same on a second host connection)
 * `SPARSE=1` sends input in bursts (6 frames on, 6 off), `NODELAY=1` turns set_tcp_nodelay on.
 * Run: `cd apps/bench && DUR=12000 PAIRS=3 VARIANTS=none,qos1,qos0,gated npx tsx src/experiments/pingMechanism.ts`
 */
import mqtt, { type MqttClient } from 'mqtt';
import { startMosquitto } from '@coplay/testkit';
import { summarize, fmtUs } from '../stats';

const DUR = Number(process.env.DUR ?? 15000);
const PAIRS = Number(process.env.PAIRS ?? 3);
type Variant = 'bcast30' | 'bcast30sep' | 'gated' | 'none' | 'qos1' | 'qos0' | 'qos0-pongInFrame' | 'sepConn' | 'hostSendsEvery16' ;

async function conn(url: string, id: string): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, { clientId: id, keepalive: 60 });
  (c.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  return c;
}

async function main() {
  const nodelay = process.env.NODELAY === '1';
  const m = await startMosquitto({ tcpNoDelay: nodelay });
  const variants = (process.env.VARIANTS ?? 'none,qos1,qos0,sepConn').split(',') as Variant[];
  for (const v of variants) {
    const s = await runWithPings(m.url, v);
    const sum = summarize(s, s.length);
    const late = s.filter((x) => x > 5000).length / s.length;
    console.log(`${v.padEnd(18)} n=${sum.n} p50=${fmtUs(sum.p50)} p99=${fmtUs(sum.p99)} p99.9=${fmtUs(sum.p999)} late>5ms=${(late * 100).toFixed(2)}% max=${fmtUs(Math.max(...s))}`);
  }
  await m.close();
  process.exit(0);
}

async function runWithPings(url: string, v: Variant) {
  return (await Promise.all(Array.from({ length: PAIRS }, (_, k) => pairWithPing(url, v, k)))).flat();
}

async function pairWithPing(url: string, variant: Variant, k: number): Promise<number[]> {
  const tag = `${variant}-${k}-${Math.random().toString(16).slice(2, 6)}`;
  const host = await conn(url, `h-${tag}`);
  const hostCtl = variant === 'sepConn' ? await conn(url, `hc-${tag}`) : host;
  const guest = await conn(url, `g-${tag}`);
  const qos = variant === 'qos1' || variant === 'sepConn' ? 1 : 0;
  const samples: number[] = [];
  const rtts: number[] = [];
  let pendingPong: Buffer | undefined;
  host.on('message', (t, p) => {
    if (t.startsWith('in/')) {
      samples.push((performance.now() - p.readDoubleLE(0)) * 1000);
      if (p.length > 17) rtts.push(performance.now() - p.readDoubleLE(17));
    }
  });
  hostCtl.on('message', (t, p) => {
    if (t.startsWith('up/')) rtts.push(performance.now() - p.readDoubleLE(0));
  });
  await host.subscribeAsync(`in/${tag}`, { qos: 0 });
  if (variant !== 'none') await hostCtl.subscribeAsync(`up/${tag}`, { qos });
  guest.on('message', (_t, p) => {
    if (variant === 'qos0-pongInFrame') pendingPong = Buffer.from(p);
    else guest.publish(`up/${tag}`, Buffer.from(p), { qos });
  });
  if (variant !== 'none') await guest.subscribeAsync(`down/${tag}`, { qos });
  await new Promise((r) => setTimeout(r, 300 + k * 333));
  let lastIn = 0; let lastPing = performance.now();
  host.on('message', () => { lastIn = performance.now(); });
  // An app's own host traffic: state broadcasts at 30 Hz (on the input connection, or on a second one).
  const bcastConn = variant === 'bcast30sep' ? await conn(url, `hb-${tag}`) : host;
  const bcast = variant.startsWith('bcast30') ? setInterval(() => bcastConn.publish(`state/${tag}`, Buffer.alloc(64), { qos: 0 }), 33) : undefined;
  const ping = variant === 'none' || variant.startsWith('bcast30') ? undefined : setInterval(() => {
    const now = performance.now();
    if (variant === 'gated') {
      if (now - lastPing < 1000) return;
      if (now - lastIn < 45 && now - lastPing < 10000) return;
    } else if (now - lastPing < 1000) return;
    lastPing = now;
    const b = Buffer.alloc(8);
    b.writeDoubleLE(performance.now(), 0);
    hostCtl.publish(`down/${tag}`, b, { qos });
  }, 5);
  const start = performance.now();
  const period = 1000 / 60;
  let n = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      if (now - start > DUR) return resolve();
      const frame = Buffer.alloc(pendingPong ? 25 : 17);
      frame.writeDoubleLE(now, 0);
      if (pendingPong) { pendingPong.copy(frame, 17); pendingPong = undefined; }
      if (!(process.env.SPARSE === '1' && (n % 12) >= 6)) guest.publish(`in/${tag}`, frame, { qos: 0 });
      n++;
      setTimeout(tick, Math.max(0, start + n * period - performance.now()));
    };
    tick();
  });
  if (ping) clearInterval(ping);
  if (bcast) clearInterval(bcast);
  if (bcastConn !== host) await bcastConn.endAsync();
  await Promise.all([host.endAsync(), guest.endAsync(), hostCtl !== host ? hostCtl.endAsync() : undefined]);
  if (k === 0 && rtts.length) console.log(`  rtt samples ${variant}: ${rtts.slice(0, 5).map((x) => x.toFixed(2)).join(' ')}`);
  return samples;
}

main().catch((e) => { console.error(e); process.exit(1); });
