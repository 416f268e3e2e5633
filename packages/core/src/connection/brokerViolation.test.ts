import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BROKER_PROFILES } from './BROKER_PROFILES';
import { brokerProfile } from './brokerProfile';
import { brokerViolation } from './brokerViolation';

const { easemob, nats, rabbitmq, aedes, generic, emqx, mosquitto } = BROKER_PROFILES;
const EASEMOB_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_@';
const easemobLevel = fc.string({ unit: fc.constantFrom(...EASEMOB_ALPHABET), minLength: 1, maxLength: 20 });

describe('brokerViolation: topics', () => {
  it('accepts every Easemob topic of 1-64 allowed characters', () => {
    fc.assert(
      fc.property(fc.array(easemobLevel, { minLength: 1, maxLength: 6 }), (levels) => {
        const topic = levels.join('/');
        fc.pre(topic.length <= 64);
        expect(brokerViolation(easemob, { topic })).toBeUndefined();
      }),
    );
  });

  it('refuses any Easemob topic over 64 characters with TOPIC_TOO_LONG naming the limit and the broker', () => {
    fc.assert(
      fc.property(fc.array(easemobLevel, { minLength: 4, maxLength: 8 }), (levels) => {
        const topic = levels.join('/');
        fc.pre(topic.length > 64);
        const e = brokerViolation(easemob, { topic });
        expect(e?.code).toBe('TOPIC_TOO_LONG');
        expect(e?.details).toEqual({ broker: 'easemob', limit: 64, actual: topic.length });
        expect(e?.message).toContain('easemob');
      }),
    );
  });

  it('the 64/65 character boundary on Easemob', () => {
    expect(brokerViolation(easemob, { topic: 'a'.repeat(64) })).toBeUndefined();
    expect(brokerViolation(easemob, { topic: 'a'.repeat(65) })?.code).toBe('TOPIC_TOO_LONG');
  });

  it('refuses any character outside Easemob\'s alphabet with INVALID_TOPIC', () => {
    fc.assert(
      fc.property(easemobLevel, fc.string({ minLength: 1, maxLength: 1 }), (level, ch) => {
        fc.pre(!EASEMOB_ALPHABET.includes(ch) && ch !== '/' && ch !== '$');
        const e = brokerViolation(easemob, { topic: `r/${level}${ch}` });
        expect(e?.code).toBe('INVALID_TOPIC');
        expect(e?.details?.broker).toBe('easemob');
      }),
    );
  });

  it("'$' only leads the first level on Easemob", () => {
    expect(brokerViolation(easemob, { topic: '$SYS/x' })).toBeUndefined();
    expect(brokerViolation(easemob, { topic: 'a/$x' })?.code).toBe('INVALID_TOPIC');
  });

  it('NATS refuses dots, spaces and its own wildcards in a level', () => {
    for (const t of ['a.b', 'a b', 'a/*', 'a/>']) expect(brokerViolation(nats, { topic: t })?.code).toBe('INVALID_TOPIC');
    expect(brokerViolation(nats, { topic: 'coplay/r1/in/g-1_x@y' })).toBeUndefined();
    expect(brokerViolation(mosquitto, { topic: 'a.b c' })).toBeUndefined();
  });

  it('counts UTF-8 bytes, not UTF-16 units', () => {
    const p = brokerProfile({ extends: 'generic', name: 'tiny', maxTopicLength: 4 });
    expect(brokerViolation(p, { topic: 'éé' })).toBeUndefined();
    expect(brokerViolation(p, { topic: 'ééé' })?.code).toBe('TOPIC_TOO_LONG');
  });

  it("RabbitMQ: '.' (a routing-key separator) and '*' (an AMQP wildcard) are refused", () => {
    expect(brokerViolation(rabbitmq, { topic: 'x/a.b' })?.code).toBe('INVALID_TOPIC');
    expect(brokerViolation(rabbitmq, { filter: 'x/*' })?.code).toBe('INVALID_FILTER');
    expect(brokerViolation(rabbitmq, { topic: 'a'.repeat(400) })).toBeUndefined();
  });

  it('EMQX: at most 128 levels', () => {
    expect(brokerViolation(emqx, { topic: Array(128).fill('a').join('/') })).toBeUndefined();
    expect(brokerViolation(emqx, { topic: Array(129).fill('a').join('/') })?.code).toBe('INVALID_TOPIC');
  });

  it('the generic profile accepts every topic MQTT allows', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 }), (topic) => {
        fc.pre(!topic.includes('+') && !topic.includes('#') && !topic.includes(String.fromCharCode(0)));
        expect(brokerViolation(generic, { topic })).toBeUndefined();
      }),
    );
  });
});

describe('brokerViolation: filters', () => {
  it('wildcard levels pass the character check; other levels do not escape it', () => {
    expect(brokerViolation(easemob, { filter: 'coplay/+/in/#' })).toBeUndefined();
    expect(brokerViolation(easemob, { filter: 'coplay/r.1/#' })?.code).toBe('INVALID_FILTER');
    expect(brokerViolation(easemob, { filter: 'c/' + 'a'.repeat(63) })?.code).toBe('TOPIC_TOO_LONG');
  });

  it('a profile without wildcards refuses + and #', () => {
    const p = brokerProfile({ extends: 'generic', name: 'flat', wildcards: false });
    expect(brokerViolation(p, { filter: 'a/+' })?.code).toBe('INVALID_FILTER');
    expect(brokerViolation(p, { filter: 'a/#' })?.code).toBe('INVALID_FILTER');
    expect(brokerViolation(p, { filter: 'a/b' })).toBeUndefined();
  });
});

describe('brokerViolation: payload, QoS, retain, will, client id, protocol', () => {
  it('payload: exactly the limit passes, one byte more is PAYLOAD_TOO_LARGE', () => {
    fc.assert(
      fc.property(fc.constantFrom(easemob, nats, emqx, rabbitmq), fc.integer({ min: 0, max: 1 }), (p, extra) => {
        const e = brokerViolation(p, { payloadBytes: p.maxPayloadBytes + extra });
        if (extra === 0) expect(e).toBeUndefined();
        else expect(e).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { broker: p.name, limit: p.maxPayloadBytes } });
      }),
    );
  });

  it('QoS above the profile maximum is QOS_NOT_SUPPORTED', () => {
    expect(brokerViolation(nats, { qos: 2 })?.code).toBe('QOS_NOT_SUPPORTED');
    expect(brokerViolation(rabbitmq, { qos: 2 })?.details).toEqual({ broker: 'rabbitmq', limit: 1, actual: 2 });
    expect(brokerViolation(nats, { qos: 1 })).toBeUndefined();
    expect(brokerViolation(aedes, { qos: 2 })).toBeUndefined();
  });

  it('retain and wills follow the profile', () => {
    const p = brokerProfile({ extends: 'generic', name: 'bare', retain: false, wills: false });
    expect(brokerViolation(p, { retain: true })?.code).toBe('RETAIN_NOT_SUPPORTED');
    expect(brokerViolation(p, { retain: false })).toBeUndefined();
    expect(brokerViolation(p, { will: { topic: 'a', payload: 'x' } })?.code).toBe('WILL_NOT_SUPPORTED');
  });

  it('a will is checked like a publish', () => {
    expect(brokerViolation(easemob, { will: { topic: 'a'.repeat(65), payload: '' } })?.code).toBe('TOPIC_TOO_LONG');
    expect(brokerViolation(easemob, { will: { topic: 'a', payload: new Uint8Array(65_536) } })?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(brokerViolation(nats, { will: { topic: 'a', payload: 'x', qos: 2 } })?.code).toBe('QOS_NOT_SUPPORTED');
    expect(brokerViolation(easemob, { will: { topic: 'a/b', payload: 'bye', qos: 1, retain: true } })).toBeUndefined();
  });

  it('Easemob client ids: ≤ 64 of 0-9 a-z A-Z - _ @', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...EASEMOB_ALPHABET), minLength: 1, maxLength: 64 }), (id) => {
        expect(brokerViolation(easemob, { clientId: id })).toBeUndefined();
      }),
    );
    expect(brokerViolation(easemob, { clientId: 'x'.repeat(65) })?.code).toBe('INVALID_CLIENT_ID');
    expect(brokerViolation(easemob, { clientId: 'dev.1@app' })?.code).toBe('INVALID_CLIENT_ID');
  });

  it('protocol versions', () => {
    expect(brokerViolation(aedes, { protocolVersion: 5 })).toMatchObject({ code: 'PROTOCOL_NOT_SUPPORTED', details: { broker: 'aedes', actual: 5 } });
    expect(brokerViolation(nats, { protocolVersion: 4 })).toBeUndefined();
    expect(brokerViolation(mosquitto, { protocolVersion: 5 })).toBeUndefined();
  });
});

describe('brokerProfile', () => {
  it('picks easemob for *.mqtt.chat URLs and generic otherwise', () => {
    expect(brokerProfile(undefined, 'wss://abc123.cn1.mqtt.chat/mqtt').name).toBe('easemob');
    expect(brokerProfile(undefined, ['mqtt://abc.cn1.mqtt.chat:1883', 'wss://abc.cn1.mqtt.chat/mqtt']).name).toBe('easemob');
    expect(brokerProfile(undefined, 'mqtt://127.0.0.1:1883').name).toBe('generic');
    expect(brokerProfile(undefined, 'mqtt://notmqtt.chat.example').name).toBe('generic');
    expect(brokerProfile('generic', 'wss://abc123.cn1.mqtt.chat/mqtt').name).toBe('generic');
  });

  it('resolves built-in names and custom profiles', () => {
    expect(brokerProfile('nats')).toBe(BROKER_PROFILES.nats);
    const custom = brokerProfile({ extends: 'easemob', name: 'easemob-big', maxPayloadBytes: 1_000_000 });
    expect(custom).toMatchObject({ name: 'easemob-big', maxTopicLength: 64, maxPayloadBytes: 1_000_000 });
    expect(brokerProfile({ ...BROKER_PROFILES.mosquitto, name: 'mine' }).name).toBe('mine');
  });

  it('refuses unknown names and malformed profiles with INVALID_OPTIONS', () => {
    expect(() => brokerProfile('hivemq' as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => brokerProfile('toString' as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => brokerProfile({ extends: 'generic', name: 'x', maxQos: 3 as never })).toThrow(/maxQos/);
    expect(() => brokerProfile({ extends: 'generic', name: 'x', maxTopicLength: 0 })).toThrow(/maxTopicLength/);
    expect(() => brokerProfile({ extends: 'generic', name: 'x', protocolVersions: [] })).toThrow(/protocolVersions/);
    expect(() => brokerProfile({ name: 'partial' } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => brokerProfile({ extends: 'nats', name: 'x', subscribeRetryMs: [100, -1] })).toThrow(/subscribeRetryMs/);
    expect(() => brokerProfile({ extends: 'nats', name: 'x', cleanSubscriptionsAtQos0: 'yes' as never })).toThrow(/cleanSubscriptionsAtQos0/);
    expect(brokerProfile({ extends: 'nats', name: 'x', subscribeRetryMs: [] }).subscribeRetryMs).toEqual([]);
  });

  it('every built-in profile is valid and its name is its key', () => {
    for (const [key, p] of Object.entries(BROKER_PROFILES)) {
      expect(p.name).toBe(key);
      expect(brokerProfile({ ...p })).toEqual(p);
      expect(p.source.length).toBeGreaterThan(10);
    }
  });
});
