import { createConnection, type Connection } from '@coplay/core';
import mqtt from 'mqtt';
import { filter, firstValueFrom } from 'rxjs';
import { pace } from './pace';
import { summarize, type LatencySummary } from './stats';

const PAYLOAD_BYTES = 32;

function payloadFor(i: number, bytes = PAYLOAD_BYTES): Uint8Array {
  const b = new Uint8Array(bytes);
  new DataView(b.buffer).setUint32(0, i);
  return b;
}
const seqOf = (p: Uint8Array) => new DataView(p.buffer, p.byteOffset, p.byteLength).getUint32(0);

/** Raw MQTT.js: publish QoS 0 on one client → 'message' on another, same process. */
export async function rawMqttLatency(url: string, count: number, rate: number, bytes = PAYLOAD_BYTES): Promise<LatencySummary> {
  const tag = Math.random().toString(16).slice(2, 8);
  const topic = `bench/raw/${tag}`;
  const pub = await mqtt.connectAsync(url, { clientId: `raw-pub-${tag}` });
  const sub = await mqtt.connectAsync(url, { clientId: `raw-sub-${tag}` });
  const sentAt = new Float64Array(count);
  const samples: number[] = [];
  sub.on('message', (_t, payload) => {
    const i = seqOf(payload);
    samples.push((performance.now() - sentAt[i]!) * 1000);
  });
  await sub.subscribeAsync(topic, { qos: 0 });
  await pace(count, rate, (i) => {
    sentAt[i] = performance.now();
    pub.publish(topic, Buffer.from(payloadFor(i, bytes)), { qos: 0 });
  });
  await Promise.all([pub.endAsync(), sub.endAsync()]);
  return summarize(samples, count);
}

async function connected(c: Connection): Promise<void> {
  await firstValueFrom(c.state.value$.pipe(filter((s) => s.status === 'connected')));
}

/** coplay: connection.publish QoS 0 → connection.topic() observable on another connection. */
export async function coplayLatency(url: string, count: number, rate: number): Promise<LatencySummary> {
  const tag = Math.random().toString(16).slice(2, 8);
  const topic = `bench/coplay/${tag}`;
  const pub = createConnection({ url, clientId: `cp-pub-${tag}` });
  const sub = createConnection({ url, clientId: `cp-sub-${tag}` });
  await Promise.all([connected(pub), connected(sub)]);
  const sentAt = new Float64Array(count);
  const samples: number[] = [];
  const subscription = sub.topic(topic).subscribe((m) => {
    samples.push((performance.now() - sentAt[seqOf(m.payload)]!) * 1000);
  });
  // Wait for the SUBSCRIBE to land: a probe message round trip.
  await new Promise((r) => setTimeout(r, 200));
  await pace(count, rate, (i) => {
    sentAt[i] = performance.now();
    void pub.publish(topic, payloadFor(i), { qos: 0 });
  });
  subscription.unsubscribe();
  await Promise.all([pub.close(), sub.close()]);
  return summarize(samples, count);
}
