import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { CoplayError } from '../errors/CoplayError';
import { DEFAULT_QUEUE, SendQueue, type QueuedMessage } from './SendQueue';
import { advance } from './testing';

type Outcome = { sent?: boolean; error?: CoplayError };

function setup(options: Partial<typeof DEFAULT_QUEUE> = {}) {
  const scheduler = new VirtualTimeScheduler();
  const queue = new SendQueue({ ...DEFAULT_QUEUE, ...options }, scheduler);
  let seq = 0;
  const outcomes = new Map<string, Outcome>();
  const msg = (payload: string, extra: Partial<QueuedMessage> & { ttlMs?: number } = {}): QueuedMessage => {
    const o: Outcome = {};
    outcomes.set(payload, o);
    return {
      seq: ++seq,
      topic: 't',
      payload,
      bytes: payload.length,
      qos: 1,
      retain: false,
      coalesceKey: undefined,
      expiresAt: scheduler.now() + (extra.ttlMs ?? 10_000),
      resolve: (sent) => (o.sent = sent),
      reject: (error) => (o.error = error),
      ...extra,
    };
  };
  return { scheduler, queue, msg, outcomes };
}

describe('SendQueue', () => {
  it('keeps messages in publish order and drains them', () => {
    const { queue, msg } = setup();
    queue.enqueue(msg('a'));
    queue.enqueue(msg('b'));
    queue.enqueue(msg('c'));
    expect(queue.stats).toMatchObject({ depth: 3, bytes: 3 });
    expect(queue.drain().map((m) => m.payload)).toEqual(['a', 'b', 'c']);
    expect(queue.stats).toMatchObject({ depth: 0, bytes: 0, flushed: 3 });
  });

  it('expires messages after their TTL and settles them with false', () => {
    const { queue, msg, scheduler, outcomes } = setup();
    queue.enqueue(msg('short', { ttlMs: 100 }));
    queue.enqueue(msg('long', { ttlMs: 1000 }));
    advance(scheduler, 99);
    expect(queue.stats.depth).toBe(2);
    advance(scheduler, 1);
    expect(queue.stats).toMatchObject({ depth: 1, expired: 1 });
    expect(outcomes.get('short')).toEqual({ sent: false });
    expect(queue.drain().map((m) => m.payload)).toEqual(['long']);
  });

  it('coalesces by key: only the newest message per key is kept', () => {
    const { queue, msg, outcomes } = setup();
    queue.enqueue(msg('pad-1', { coalesceKey: 'pad' }));
    queue.enqueue(msg('chat'));
    queue.enqueue(msg('pad-2', { coalesceKey: 'pad' }));
    queue.enqueue(msg('pad-3', { coalesceKey: 'pad' }));
    expect(queue.stats).toMatchObject({ depth: 2, coalesced: 2 });
    expect(outcomes.get('pad-1')).toEqual({ sent: false });
    expect(queue.drain().map((m) => m.payload)).toEqual(['chat', 'pad-3']);
  });

  it('drop-oldest evicts the oldest when full and counts it', () => {
    const { queue, msg, outcomes } = setup({ maxMessages: 2, overflow: 'drop-oldest' });
    queue.enqueue(msg('a'));
    queue.enqueue(msg('b'));
    queue.enqueue(msg('c'));
    expect(outcomes.get('a')).toEqual({ sent: false });
    expect(queue.stats).toMatchObject({ depth: 2, dropped: 1 });
    expect(queue.drain().map((m) => m.payload)).toEqual(['b', 'c']);
  });

  it('drop-newest refuses the new message and counts it', () => {
    const { queue, msg, outcomes } = setup({ maxMessages: 2, overflow: 'drop-newest' });
    queue.enqueue(msg('a'));
    queue.enqueue(msg('b'));
    queue.enqueue(msg('c'));
    expect(outcomes.get('c')).toEqual({ sent: false });
    expect(queue.stats).toMatchObject({ depth: 2, dropped: 1 });
  });

  it("'error' rejects with QUEUE_FULL, also when the byte budget is exceeded", () => {
    const { queue, msg, outcomes } = setup({ maxBytes: 5, overflow: 'error' });
    queue.enqueue(msg('abc'));
    queue.enqueue(msg('def'));
    expect(outcomes.get('def')?.error?.code).toBe('QUEUE_FULL');
    queue.enqueue(msg('way-too-large'));
    expect(outcomes.get('way-too-large')?.error?.code).toBe('QUEUE_FULL');
    expect(queue.stats.depth).toBe(1);
  });

  it('requeues failed sends in their original order, dropping expired ones', () => {
    const { queue, msg, scheduler, outcomes } = setup();
    queue.enqueue(msg('a'));
    queue.enqueue(msg('b', { ttlMs: 50 }));
    queue.enqueue(msg('c'));
    const [a, b, c] = queue.drain();
    advance(scheduler, 60);
    queue.requeue(c!);
    queue.requeue(a!);
    queue.requeue(b!);
    expect(outcomes.get('b')).toEqual({ sent: false });
    expect(queue.drain().map((m) => m.payload)).toEqual(['a', 'c']);
  });

  it('a QoS 1 message already sent once is never dropped, coalesced or expired (it may have arrived)', () => {
    const { scheduler, queue, msg, outcomes } = setup({ maxMessages: 2, overflow: 'drop-oldest' });
    const once = { ...msg('sent-once', { ttlMs: 10, coalesceKey: 'k' }), sent: true };
    queue.requeue(once);
    queue.enqueue(msg('k2', { coalesceKey: 'k' })); // does not replace it
    queue.enqueue(msg('c')); // full: evicts k2, the oldest it may drop
    advance(scheduler, 100); // past its TTL
    expect(outcomes.get('sent-once')).toEqual({});
    expect(outcomes.get('k2')).toEqual({ sent: false });
    expect(queue.drain().map((m) => m.payload)).toEqual(['sent-once', 'c']);
    expect(queue.stats).toMatchObject({ coalesced: 0, dropped: 1, expired: 0 });
  });

  it('rejectAll rejects every waiting message with the given error', () => {
    const { queue, msg, outcomes } = setup();
    queue.enqueue(msg('a'));
    queue.enqueue(msg('b'));
    queue.rejectAll(new CoplayError('CLOSED', 'closed'), true);
    expect(outcomes.get('a')?.error?.code).toBe('CLOSED');
    expect(outcomes.get('b')?.error?.code).toBe('CLOSED');
  });
});
