import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { useBrokerFixture } from './useBrokerFixture';

// The kit takes no runtime dependency on @coplay/core, so these tests make no coplay connections.
const createConnection = () => {
  throw new Error('not used here');
};

const fx = useBrokerFixture({ createConnection });
const order: string[] = [];

let tooEarly: unknown;
try {
  void fx.broker;
} catch (e) {
  tooEarly = e;
}

describe('useBrokerFixture', () => {
  it('has no broker while the file is collected: it starts in beforeAll', () => {
    expect(tooEarly).toEqual(new Error('useBrokerFixture: the broker starts in beforeAll; read it inside tests and hooks'));
  });

  it('starts a broker with a WebSocket listener, and options point at it with unique client ids', async () => {
    expect(fx.broker.running).toBe(true);
    expect(fx.broker.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const a = fx.options('guest');
    const b = fx.options('guest', { keepalive: 5, unsubscribeGraceMs: 0 });
    expect(a).toEqual({
      url: fx.broker.wsUrl,
      clientId: expect.stringMatching(new RegExp(`^guest-${process.pid}-\\d+$`)),
      unsubscribeGraceMs: 30,
      mqttOptions: { timerVariant: 'native' },
    });
    expect(b).toMatchObject({ url: fx.broker.wsUrl, keepalive: 5, unsubscribeGraceMs: 0 });
    expect(b.clientId).not.toBe(a.clientId);

    // A raw client over the WebSocket listener, closed within this test; its events are then in the record.
    const client = await mqtt.connectAsync(fx.broker.wsUrl!, { clientId: 'raw', reconnectPeriod: 0 });
    await client.endAsync();
    await fx.broker.waitFor({ type: 'disconnect', clientId: 'raw' });
    expect(fx.broker.count('connect', { clientId: 'raw', transport: 'ws' })).toBe(1);

    fx.defer(() => order.push('deferred first'));
    fx.defer(async () => {
      await Promise.resolve();
      order.push('deferred second');
    });
    fx.defer(() => order.push('deferred last'));
  });

  it('after each test: ran the teardowns newest first, one at a time, and cleared the event record', () => {
    expect(order).toEqual(['deferred last', 'deferred second', 'deferred first']);
    expect(fx.broker.events).toEqual([]);
  });

  it('has no publisher unless asked for one', () => {
    expect(() => fx.publisher).toThrow('pass `publisher: true`');
  });
});

describe('useBrokerFixture inside a describe, with ws: false', () => {
  const tcp = useBrokerFixture({ createConnection, ws: false });

  it('starts its own TCP-only broker, and options point at its TCP listener', () => {
    expect(tcp.broker).not.toBe(fx.broker);
    expect(tcp.broker.wsUrl).toBeUndefined();
    expect(tcp.options('server').url).toBe(tcp.broker.url);
  });
});
