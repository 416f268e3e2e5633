import { Readable as NodeReadable, Writable as NodeWritable } from 'readable-stream';
import { describe, expect, it } from 'vitest';
import { Readable, Writable } from './readableStream';

/**
 * The shim against `readable-stream` (what MQTT.js uses), in the ways MQTT.js uses them: both must
 * produce the same sequence of calls and events.
 */

type Streams = { Readable: new (o?: { objectMode?: boolean }) => any; Writable: new () => any };
const implementations: Record<string, Streams> = {
  'readable-stream': { Readable: NodeReadable, Writable: NodeWritable },
  shim: { Readable, Writable },
};

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** MQTT.js's Store.createStream (mqtt/lib/store.js) over the given Readable. */
function storeStream(R: Streams['Readable'], values: string[]) {
  const stream = new R({ objectMode: true });
  let destroyed = false;
  let i = 0;
  stream._read = () => {
    if (!destroyed && i < values.length) stream.push(values[i++]);
    else stream.push(null);
  };
  stream.destroy = () => {
    if (destroyed) return;
    destroyed = true;
    setTimeout(() => stream.emit('close'), 0);
    return stream;
  };
  return stream;
}

/** MqttClient's store replay on connect (startStreamProcess in mqtt/lib/client.js), logging what it does. */
async function replay(R: Streams['Readable'], values: string[], ack: (next: () => void) => void) {
  const log: string[] = [];
  let outStore: any = storeStream(R, values);
  const ended = new Promise<void>((resolve) => {
    outStore.on('end', () => {
      log.push('end');
      outStore.destroy();
      outStore = null;
      resolve();
    });
  });
  const storeDeliver = () => {
    if (!outStore) return;
    const packet = outStore.read(1);
    if (!packet) {
      log.push('wait');
      outStore.once('readable', storeDeliver);
      return;
    }
    log.push(`send ${packet}`);
    ack(() => {
      log.push(`acked ${packet}`);
      storeDeliver();
    });
  };
  storeDeliver();
  log.push('returned');
  await ended;
  return log;
}

/** MqttClient's parser sink (connect() in mqtt/lib/client.js): chunks piped in, `_write` done now or later. */
async function parse(W: Streams['Writable'], chunks: string[], later: (fn: () => void) => void) {
  const log: string[] = [];
  const writable = new W();
  writable._write = (chunk: Buffer, _enc: string, done: () => void) => {
    const text = chunk.toString();
    const finish = () => {
      log.push(`done ${text}`);
      done();
    };
    log.push(`parse ${text}`);
    if (text.startsWith('async')) later(finish);
    else finish();
  };
  for (const c of chunks) {
    writable.write(Buffer.from(c));
    log.push(`wrote ${c}`);
  }
  for (let i = 0; i < 5; i++) await tick();
  return log;
}

describe('readable-stream shim (browser build)', () => {
  const acks: Record<string, (next: () => void) => void> = {
    'acked at once': (next) => next(),
    'acked in a microtask': (next) => queueMicrotask(next),
    'acked in a later task': (next) => setTimeout(next, 0),
  };
  for (const values of [[], ['a'], ['a', 'b', 'c']]) {
    for (const [how, ack] of Object.entries(acks)) {
      it(`Readable: MQTT.js's store replay of ${values.length} packets, ${how}, runs as on readable-stream`, async () => {
        const [reference, shim] = await Promise.all(Object.values(implementations).map((i) => replay(i.Readable, values, ack)));
        // How often MQTT.js's loop finds the stream empty and waits for `readable` again depends on
        // Node's read-ahead, which the shim does not do; what it sends, when acks run and when it ends
        // do not. With no packets (every connect of coplay's: a new client has an empty store) even
        // the waits are the same.
        const steps = (log: string[]) => (values.length === 0 ? log : log.filter((l) => l !== 'wait'));
        expect(steps(shim!)).toEqual(steps(reference!));
        expect(shim!.filter((l) => l.startsWith('send'))).toEqual(values.map((v) => `send ${v}`));
        expect(shim!.at(-1)).toBe('end');
      });
    }
  }

  const laters: Record<string, (fn: () => void) => void> = {
    microtask: (fn) => queueMicrotask(fn),
    'later task': (fn) => setTimeout(fn, 0),
  };
  for (const [how, later] of Object.entries(laters)) {
    it(`Writable: one _write at a time, in order, done now or in a ${how}, as on readable-stream`, async () => {
      const chunks = ['one', 'async two', 'three', 'async four', 'five'];
      const [reference, shim] = await Promise.all(Object.values(implementations).map((i) => parse(i.Writable, chunks, later)));
      expect(shim).toEqual(reference);
      expect(shim!.filter((l) => l.startsWith('parse'))).toEqual(chunks.map((c) => `parse ${c}`));
    });
  }
});
