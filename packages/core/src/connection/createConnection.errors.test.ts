import { describe, expect, it } from 'vitest';
import { isCoplayError } from '../errors/CoplayError';
import { createConnection } from './createConnection';
import type { ConnectionOptions } from './types';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return isCoplayError(e) ? e.code : `not a CoplayError: ${String(e)}`;
  }
  return 'no error';
}

// Nothing listens on port 1 of loopback; none of these tests needs a broker.
const DEAD = 'mqtt://127.0.0.1:1';
const offline = (extra: Partial<ConnectionOptions> = {}) => createConnection({ url: DEAD, autoConnect: false, ...extra });

describe('createConnection: bad input is a typed, synchronous error', () => {
  it.each<[string, unknown]>([
    ['http URL', { url: 'http://127.0.0.1:1883' }],
    ['not a URL', { url: 'broker.local:1883' }],
    ['empty list', { url: [] }],
    ['number as url', { url: 1883 }],
    ['list with a bad entry', { url: ['mqtt://127.0.0.1:1883', 'ftp://x'] }],
  ])('INVALID_URL for %s', (_name, opts) => {
    expect(codeOf(() => createConnection(opts as ConnectionOptions))).toBe('INVALID_URL');
  });

  it.each<[string, Partial<ConnectionOptions>]>([
    ['protocolVersion 3', { protocolVersion: 3 as 4 }],
    ['negative keepalive', { keepalive: -1 }],
    ['fractional keepalive', { keepalive: 1.5 }],
    ['jitter above 1', { reconnect: { jitter: 2 } }],
    ['negative delay', { reconnect: { initialDelayMs: -5 } }],
    ['multiplier below 1', { reconnect: { multiplier: 0.5 } }],
    ['unknown overflow policy', { queue: { overflow: 'explode' as 'error' } }],
    ['NaN maxMessages', { queue: { maxMessages: Number.NaN } }],
    ['credentials of the wrong type', { credentials: 'secret' as never }],
  ])('INVALID_OPTIONS for %s', (_name, extra) => {
    expect(codeOf(() => createConnection({ url: DEAD, autoConnect: false, ...extra }))).toBe('INVALID_OPTIONS');
  });

  it('rejects a will with a wildcard topic', () => {
    expect(codeOf(() => offline({ will: { topic: 'a/#', payload: '' } }))).toBe('INVALID_TOPIC');
    const conn = offline();
    expect(codeOf(() => conn.setWill({ topic: 'a/+', payload: '' }))).toBe('INVALID_TOPIC');
  });

  it('topic() rejects malformed filters and QoS', () => {
    const conn = offline();
    expect(codeOf(() => conn.topic('a/#/b'))).toBe('INVALID_FILTER');
    expect(codeOf(() => conn.topic(''))).toBe('INVALID_FILTER');
    expect(codeOf(() => conn.topic('a', { qos: 3 as 0 }))).toBe('INVALID_OPTIONS');
  });

  it('publish() never throws: bad topics, payloads and options are rejected promises with a CoplayError', async () => {
    const conn = offline();
    const cases: Array<[() => Promise<boolean>, string]> = [
      [() => conn.publish('a/+', 'x'), 'INVALID_TOPIC'],
      [() => conn.publish('a', 42 as unknown as string), 'INVALID_PAYLOAD'],
      [() => conn.publish('a', { x: 1 } as unknown as string), 'INVALID_PAYLOAD'],
      [() => conn.publish('a', 'x', { qos: 7 as 0 }), 'INVALID_OPTIONS'],
      [() => conn.publish('a', 'x', { whenOffline: 'later' as 'drop' }), 'INVALID_OPTIONS'],
      [() => conn.publish('a', 'x', { ttlMs: -1 }), 'INVALID_OPTIONS'],
      [() => conn.publish('a', 'x', 'qos1' as never), 'INVALID_OPTIONS'],
    ];
    for (const [call, code] of cases) {
      let promise: Promise<boolean> | undefined;
      expect(() => (promise = call())).not.toThrow();
      await expect(promise).rejects.toMatchObject({ name: 'CoplayError', code });
    }
  });
});

describe('createConnection: offline behaviour without a broker', () => {
  it("whenOffline 'fail' rejects with OFFLINE and 'drop' resolves false", async () => {
    const conn = offline();
    await expect(conn.publish('a', 'x', { whenOffline: 'fail' })).rejects.toMatchObject({ code: 'OFFLINE' });
    await expect(conn.publish('a', 'x', { whenOffline: 'drop' })).resolves.toBe(false);
    expect(conn.queue.value.depth).toBe(0);
    await conn.close();
  });

  it("a full queue with overflow 'error' rejects with QUEUE_FULL", async () => {
    const conn = offline({ queue: { maxMessages: 2, overflow: 'error' } });
    const a = conn.publish('a', '1');
    const b = conn.publish('a', '2');
    await expect(conn.publish('a', '3')).rejects.toMatchObject({ code: 'QUEUE_FULL' });
    expect(conn.queue.value.depth).toBe(2);
    const closing = conn.close();
    await expect(a).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(b).rejects.toMatchObject({ code: 'CLOSED' });
    await closing;
  });

  it('close() rejects queued publishes, completes every stream, and is idempotent', async () => {
    const conn = offline();
    const queued = conn.publish('a', 'x', { qos: 1 });
    let stateDone = false;
    let queueDone = false;
    let topicDone = false;
    conn.state.value$.subscribe({ complete: () => (stateDone = true) });
    conn.queue.value$.subscribe({ complete: () => (queueDone = true) });
    conn.topic('a/#').subscribe({ complete: () => (topicDone = true) });
    const first = conn.close();
    expect(conn.close()).toBe(first);
    await first;
    await expect(queued).rejects.toMatchObject({ code: 'CLOSED' });
    expect(conn.state.value).toEqual({ status: 'closed' });
    expect([stateDone, queueDone, topicDone]).toEqual([true, true, true]);
    await expect(conn.publish('a', 'y')).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

describe('errors$', () => {
  it('reports each failed attempt and credential failure without ending the connection, and completes on close()', async () => {
    const codes: string[] = [];
    let completed = false;
    let calls = 0;
    const conn = createConnection({
      url: DEAD,
      reconnect: { initialDelayMs: 50, maxDelayMs: 50, jitter: 0 },
      credentials: () => {
        if (++calls === 1) throw new Error('token service down');
        return {};
      },
    });
    conn.errors$.subscribe({ next: (e) => codes.push(e.code), complete: () => (completed = true) });
    await expect.poll(() => codes.length >= 2).toBe(true);
    expect(codes.slice(0, 2)).toEqual(['CREDENTIALS_FAILED', 'CONNECT_FAILED']);
    expect(['connecting', 'reconnecting']).toContain(conn.state.value.status);
    await conn.close();
    expect(completed).toBe(true);
  });
});
