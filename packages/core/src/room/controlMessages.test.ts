import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanName, jsonBytes, parseDown, parseGuestPresence, parseHostPresence, parseJsonObject, parseUp } from './controlMessages';
import { ROOM_PROTOCOL_VERSION as V } from './roomTopics';

const join = { t: 'join', v: V, n: 0, id: 'guest-1', session: 7, q: 0, tok: 'tok_1', name: 'Ana' };

describe('controlMessages', () => {
  it('parseJsonObject: objects only; empty, oversized, non-UTF-8, arrays and scalars are undefined', () => {
    expect(parseJsonObject(jsonBytes({ a: 1 }))).toEqual({ a: 1 });
    expect(parseJsonObject(new Uint8Array())).toBeUndefined();
    expect(parseJsonObject(jsonBytes({ pad: 'x'.repeat(5000) }))).toBeUndefined();
    expect(parseJsonObject(new Uint8Array([0x7b, 0xff, 0x7d]))).toBeUndefined();
    expect(parseJsonObject(jsonBytes([1]))).toBeUndefined();
    expect(parseJsonObject(jsonBytes(null))).toBeUndefined();
    expect(parseJsonObject(jsonBytes('x'))).toBeUndefined();
  });

  it('parseUp: a well-formed join, leave and pong round-trip; optional fields only when given', () => {
    expect(parseUp(jsonBytes(join))).toEqual(join);
    expect(parseUp(jsonBytes({ ...join, prev: 'old_gid', pk: 'AAAA' }))).toEqual({ ...join, prev: 'old_gid', pk: 'AAAA' });
    expect(parseUp(jsonBytes({ t: 'leave', n: 3 }))).toEqual({ t: 'leave', n: 3 });
    expect(parseUp(jsonBytes({ t: 'pong', n: 4, ts: 12.5 }))).toEqual({ t: 'pong', n: 4, ts: 12.5 });
  });

  it.each([
    ['another protocol version', { ...join, v: V + 1 }],
    ['no counter', { ...join, n: undefined }],
    ['a negative counter', { ...join, n: -1 }],
    ['a session over a byte', { ...join, session: 256 }],
    ['a sequence over 32 bits', { ...join, q: 2 ** 32 }],
    ['a token with a slash', { ...join, tok: 'a/b' }],
    ['an empty id', { ...join, id: '' }],
    ['a bad prev', { ...join, prev: '#' }],
    ['a pong without a time', { t: 'pong', n: 1 }],
    ['an unknown type', { t: 'hello', n: 1 }],
  ])('parseUp refuses %s', (_why, message) => {
    expect(parseUp(jsonBytes(message))).toBeUndefined();
  });

  it('parseUp cleans names: control characters removed, trimmed, at most 64 characters', () => {
    expect(parseUp(jsonBytes({ ...join, name: ' A\u0000n\u0007a ' }))).toMatchObject({ name: 'Ana' });
    expect((parseUp(jsonBytes({ ...join, name: 'x'.repeat(100) })) as { name: string }).name).toHaveLength(64);
    expect(parseUp(jsonBytes({ ...join, name: '\u0001' }))).not.toHaveProperty('name');
  });

  it('parseDown: every message type; reasons cleaned and defaulted; bad slots and pings refused', () => {
    expect(parseDown(jsonBytes({ t: 'waiting', n: 1, session: 2 }))).toEqual({ t: 'waiting', n: 1, session: 2 });
    expect(parseDown(jsonBytes({ t: 'slot', n: 1, slot: 2, session: 2 }))).toEqual({ t: 'slot', n: 1, slot: 2, session: 2 });
    expect(parseDown(jsonBytes({ t: 'slot', n: 1, slot: 1, session: 2 }))).toBeUndefined(); // slot 1 is the host
    expect(parseDown(jsonBytes({ t: 'reject', n: 1 }))).toEqual({ t: 'reject', n: 1, reason: 'rejected' });
    expect(parseDown(jsonBytes({ t: 'kick', n: 1, reason: 'spam\u0000' }))).toEqual({ t: 'kick', n: 1, reason: 'spam' });
    expect(parseDown(jsonBytes({ t: 'kick', n: 1 }))).toEqual({ t: 'kick', n: 1 });
    expect(parseDown(jsonBytes({ t: 'ping', n: 1, ts: 5, rtt: 3, jitter: -1 }))).toEqual({ t: 'ping', n: 1, ts: 5, rtt: 3 });
    expect(parseDown(jsonBytes({ t: 'ping', n: 1 }))).toBeUndefined();
    expect(parseDown(jsonBytes({ t: 'closed', n: 9 }))).toEqual({ t: 'closed', n: 9 });
    expect(parseDown(jsonBytes({ t: 'rejoin', n: 3, session: 17, x: 1 }))).toEqual({ t: 'rejoin', n: 3, session: 17 });
    expect(parseDown(jsonBytes({ t: 'rejoin', n: 3 }))).toBeUndefined();
    expect(parseDown(jsonBytes({ t: 'rejoin', n: 3, session: 256 }))).toBeUndefined();
  });

  it('presences: version checked, defaults filled in', () => {
    expect(parseHostPresence(jsonBytes({ v: V, n: 0, admission: 'manual', maxPlayers: 3, pingMs: 500, dk: 'k' }))).toEqual({
      v: V,
      n: 0,
      admission: 'manual',
      maxPlayers: 3,
      pingMs: 500,
      dk: 'k',
    });
    expect(parseHostPresence(jsonBytes({ v: V, n: 0 }))).toEqual({ v: V, n: 0, admission: 'auto', maxPlayers: 0, pingMs: 1000 });
    expect(parseHostPresence(jsonBytes({ v: V + 1, n: 0 }))).toBeUndefined();
    expect(parseHostPresence(jsonBytes({ v: V, n: 0, inst: 'abcd1234' }))?.inst).toBe('abcd1234');
    expect(parseHostPresence(jsonBytes({ v: V, n: 0, inst: 5 }))).toBeUndefined();
    expect(parseGuestPresence(jsonBytes({ v: V, n: 0, id: 'g', session: 1, name: 'Bo' }))).toEqual({ v: V, n: 0, id: 'g', session: 1, name: 'Bo' });
    expect(parseGuestPresence(jsonBytes({ v: V, n: 0, session: 1 }))).toBeUndefined();
    expect(cleanName('  ')).toBeUndefined();
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        for (const parse of [parseUp, parseDown, parseHostPresence, parseGuestPresence, parseJsonObject]) expect(() => parse(bytes)).not.toThrow();
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const bytes = jsonBytes(value);
        for (const parse of [parseUp, parseDown, parseHostPresence, parseGuestPresence]) expect(() => parse(bytes)).not.toThrow();
      }),
    );
  });
});
