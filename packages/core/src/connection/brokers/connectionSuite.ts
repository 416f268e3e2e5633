import { faultProxy, type FaultProxy } from '@coplay/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from '../createConnection';
import { waitForState } from '../testing';
import type { Connection, ConnectionOptions, Message } from '../types';
import type { BrokerOption } from '../brokerProfile';
import { roomSuite } from './roomSuite';

/** A broker the connection suite runs against (started once per test file). */
export interface SuiteBroker {
  /** `mqtt://` URL (TCP, so the fault proxy can stand in front of it). */
  readonly url: string;
  /** Per-connection options for a device id, e.g. Easemob credentials. Default: `{ clientId: deviceId }`. */
  options?(deviceId: string): Partial<ConnectionOptions>;
  close(): Promise<void>;
}

/** What one run of the suite needs. */
export interface SuiteTarget {
  /** Shown in the describe title, e.g. `mosquitto (MQTT 5)`. */
  readonly name: string;
  readonly broker: BrokerOption;
  readonly protocolVersion?: 4 | 5;
  readonly start: () => Promise<SuiteBroker>;
  /** Extra broker-specific tests, given the running broker. */
  readonly extra?: (get: () => SuiteBroker, open: (deviceId: string, extra?: Partial<ConnectionOptions>) => Connection) => void;
}

const text = (m: Message) => new TextDecoder().decode(m.payload);
let seq = 0;
/** Device ids unique across runs: brokers with persistent sessions (NATS, RabbitMQ) keep old ones. */
export const device = (name: string) => `${name}-${process.pid}-${++seq}`;

/**
 * The representative connection suite (connect, pub/sub QoS 0/1 with wildcards, resubscribe after a
 * lost link, retained messages, last will, refusals by the broker profile) and a room (roomSuite)
 * against one real broker.
 * No wall-clock assertions: everything waits for an outcome.
 */
export function connectionSuite(target: SuiteTarget): void {
  describe(`connection suite on ${target.name}`, () => {
    let broker: SuiteBroker;
    const conns: Connection[] = [];
    const proxies: FaultProxy[] = [];
    const open = (deviceId: string, extra: Partial<ConnectionOptions> = {}): Connection => {
      const c = createConnection({
        url: broker.url,
        broker: target.broker,
        protocolVersion: target.protocolVersion ?? 4,
        reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
        ...(broker.options?.(deviceId) ?? { clientId: deviceId }),
        ...extra,
      });
      conns.push(c);
      return c;
    };
    beforeAll(async () => {
      broker = await target.start();
    }, 120_000);
    afterEach(async () => {
      await Promise.all(conns.splice(0).map((c) => c.close()));
      await Promise.all(proxies.splice(0).map((p) => p.close()));
    });
    afterAll(async () => {
      await broker?.close();
    }, 60_000);

    it('connects, and round-trips QoS 0 and QoS 1 publishes through a wildcard subscription', async () => {
      const sub = open(device('sub'));
      const pub = open(device('pub'));
      const got: string[] = [];
      sub.topic('suite/+/in', { qos: 1 }).subscribe((m) => got.push(`${m.topic}=${text(m)}`));
      await waitForState(sub, 'connected');
      await waitForState(pub, 'connected');
      // The SUBSCRIBE is on its way once connected; publish until the subscription is live (no broker
      // exposes "subscribed" the same way), then check that QoS 1 delivers.
      await expect.poll(async () => (await pub.publish('suite/probe/in', 'p', { qos: 1 }), got.length > 0), { timeout: 10_000 }).toBe(true);
      got.length = 0;
      await expect(pub.publish('suite/a/in', 'zero', { qos: 0 })).resolves.toBe(true);
      await expect(pub.publish('suite/b/in', 'one', { qos: 1 })).resolves.toBe(true);
      await pub.publish('suite/b/out', 'not for us', { qos: 1 });
      await expect.poll(() => got).toEqual(expect.arrayContaining(['suite/a/in=zero', 'suite/b/in=one']));
      expect(got.some((g) => g.includes('/out'))).toBe(false);
    });

    it('subscribes again after the link is lost and comes back', async () => {
      const proxy = await faultProxy(broker.url);
      proxies.push(proxy);
      const id = device('resub');
      const sub = open(id, { url: proxy.url });
      const pub = open(device('resub-pub'));
      const got: string[] = [];
      sub.topic('suite/resub/#', { qos: 1 }).subscribe((m) => got.push(text(m)));
      await waitForState(sub, 'connected');
      await waitForState(pub, 'connected');
      await expect.poll(async () => (await pub.publish('suite/resub/x', 'before', { qos: 1 }), got.includes('before')), { timeout: 10_000 }).toBe(true);
      proxy.cut();
      await waitForState(sub, 'reconnecting');
      await waitForState(sub, 'connected', 20_000);
      await expect.poll(async () => (await pub.publish('suite/resub/x', 'after', { qos: 1 }), got.includes('after')), { timeout: 20_000 }).toBe(true);
    });

    it('delivers a retained message to a later exact subscriber (and to wildcard ones where the profile says so)', async () => {
      const pub = open(device('ret-pub'));
      const topic = `suite/retained/${device('t')}`;
      await waitForState(pub, 'connected');
      await expect(pub.publish(topic, 'kept', { qos: 1, retain: true })).resolves.toBe(true);
      const sub = open(device('ret-sub'));
      const exact: string[] = [];
      const wild: Message[] = [];
      sub.topic(topic, { qos: 1 }).subscribe((m) => exact.push(text(m)));
      await expect.poll(() => exact, { timeout: 10_000 }).toEqual(['kept']);
      sub.topic('suite/retained/+', { qos: 1 }).subscribe((m) => wild.push(m));
      if (sub.broker.retainWildcardDelivery) {
        await expect.poll(() => wild.some((m) => m.topic === topic && m.retain), { timeout: 10_000 }).toBe(true);
      } else {
        // RabbitMQ 3.10: a new wildcard subscriber gets no retained message. Prove the subscription is live
        // with a fresh publish; the retained one must not have come before it.
        await expect.poll(async () => (await pub.publish(`suite/retained/live`, 'live', { qos: 1 }), wild.length > 0), { timeout: 10_000 }).toBe(true);
        expect(wild.some((m) => m.topic === topic)).toBe(false);
      }
      await pub.publish(topic, '', { qos: 1, retain: true }); // clear it
    });

    it('publishes the last will when the link drops without DISCONNECT', async () => {
      const proxy = await faultProxy(broker.url);
      proxies.push(proxy);
      const willTopic = `suite/will/${device('w')}`;
      const watcher = open(device('will-watch'));
      const wills: string[] = [];
      watcher.topic(willTopic, { qos: 1 }).subscribe((m) => wills.push(text(m)));
      await waitForState(watcher, 'connected');
      const mortal = open(device('mortal'), { url: proxy.url, will: { topic: willTopic, payload: 'gone', qos: 1 }, reconnect: { maxAttempts: 1 } });
      await waitForState(mortal, 'connected');
      // Make sure the watcher's subscription is live before the drop.
      await expect.poll(async () => (await mortal.publish(willTopic, 'alive', { qos: 1 }), wills.includes('alive')), { timeout: 10_000 }).toBe(true);
      proxy.refuse();
      await expect.poll(() => wills.includes('gone'), { timeout: 20_000 }).toBe(true);
    });

    it('refuses what the profile forbids before sending, typed and naming the broker', async () => {
      const c = open(device('refused'));
      await waitForState(c, 'connected');
      const p = c.broker;
      const tooLong = `suite/${'x'.repeat(Math.max(0, Math.min(p.maxTopicLength, 70_000) + 1 - 'suite/'.length))}`;
      if (p.maxTopicLength < 65_535) {
        await expect(c.publish(tooLong, 'x')).rejects.toMatchObject({ code: 'TOPIC_TOO_LONG', details: { broker: p.name } });
      }
      if (p.maxQos < 2) {
        await expect(c.publish('suite/q', 'x', { qos: 2 })).rejects.toMatchObject({ code: 'QOS_NOT_SUPPORTED', details: { broker: p.name } });
        expect(() => c.topic('suite/q', { qos: 2 })).toThrow(expect.objectContaining({ code: 'QOS_NOT_SUPPORTED' }));
      }
      if (p.maxPayloadBytes < 2_000_000) {
        await expect(c.publish('suite/big', new Uint8Array(p.maxPayloadBytes + 1))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { broker: p.name } });
      }
      if (p.topicLevel) {
        const bad = ['.', ' ', '*', '+x'].find((ch) => !p.topicLevel!.test(ch)) ?? '.';
        await expect(c.publish(`suite/a${bad}b`, 'x')).rejects.toMatchObject({ details: { broker: p.name } });
      }
      if (!p.protocolVersions.includes(5)) {
        expect(() => createConnection({ url: broker.url, broker: target.broker, protocolVersion: 5, autoConnect: false })).toThrow(
          expect.objectContaining({ code: 'PROTOCOL_NOT_SUPPORTED' }),
        );
      }
      expect(c.state.value.status).toBe('connected');
    });

    roomSuite(() => open, device);

    target.extra?.(() => broker, open);
  });
}
