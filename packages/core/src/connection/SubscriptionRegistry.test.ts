import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { SubscriptionRegistry, type SubscribeSink } from './SubscriptionRegistry';
import { advance } from './testing';
import type { Message } from './types';

// The registry alone, with a recording sink instead of a socket: ref counts, grace, resubscribe, routing.

function recordingSink(refuse: string[] = []) {
  const log: string[] = [];
  const sink: SubscribeSink = {
    subscribe(list, done) {
      log.push(`SUB ${list.map((e) => e.filter).join(',')}`);
      done(list.map((e) => (refuse.includes(e.filter) ? 0x80 : e.qos)));
    },
    unsubscribe(filter) {
      log.push(`UNSUB ${filter}`);
    },
  };
  return { sink, log };
}
const msg = (topic: string): Message => ({ topic, payload: new Uint8Array(), qos: 0, retain: false });

describe('SubscriptionRegistry', () => {
  it('one SUBSCRIBE per filter, UNSUBSCRIBE only after the grace period, none if a subscriber returns in time', () => {
    const scheduler = new VirtualTimeScheduler();
    const registry = new SubscriptionRegistry(scheduler, 250);
    const { sink, log } = recordingSink();
    registry.setSink(sink);
    const a = registry.topic('a/+', 0).subscribe();
    const b = registry.topic('a/+', 0).subscribe();
    a.unsubscribe();
    b.unsubscribe();
    advance(scheduler, 200);
    const c = registry.topic('a/+', 0).subscribe(); // back within the grace period
    advance(scheduler, 1000);
    expect(log).toEqual(['SUB a/+']);
    c.unsubscribe();
    advance(scheduler, 249);
    expect(log).toEqual(['SUB a/+']);
    advance(scheduler, 1);
    expect(log).toEqual(['SUB a/+', 'UNSUB a/+']);
    expect(registry.filters).toEqual([]);
  });

  it('a subscriber asking for a higher QoS upgrades the filter, even during the grace period; a lower one does not', () => {
    const scheduler = new VirtualTimeScheduler();
    const registry = new SubscriptionRegistry(scheduler, 250);
    const asked: string[] = [];
    const sink: SubscribeSink = {
      subscribe(list, done) {
        asked.push(list.map((e) => `${e.filter}@${e.qos}`).join(','));
        done(list.map((e) => e.qos));
      },
      unsubscribe(filter) {
        asked.push(`UNSUB ${filter}`);
      },
    };
    registry.setSink(sink);
    registry.topic('a', 0).subscribe().unsubscribe(); // now in its grace period
    advance(scheduler, 100);
    const b = registry.topic('a', 1).subscribe();
    registry.topic('a', 0).subscribe();
    expect(asked).toEqual(['a@0', 'a@1']);
    b.unsubscribe();
    registry.setSink(sink); // a new link asks for the held QoS
    expect(asked).toEqual(['a@0', 'a@1', 'a@1']);
  });

  it('resubscribes every live filter in one SUBSCRIBE on a new link', () => {
    const registry = new SubscriptionRegistry(new VirtualTimeScheduler(), 250);
    registry.topic('x/#', 1).subscribe();
    registry.topic('y', 0).subscribe();
    const { sink, log } = recordingSink();
    registry.setSink(sink);
    registry.setSink(undefined);
    registry.setSink(sink);
    expect(log).toEqual(['SUB x/#,y', 'SUB x/#,y']);
  });

  it('routes each message to the matching filters only, wildcards included, not $ topics to a leading wildcard', () => {
    const registry = new SubscriptionRegistry(new VirtualTimeScheduler(), 250);
    const seen: string[] = [];
    for (const f of ['a/b', 'a/+', 'a/#', '#', '+/b', 'c']) registry.topic(f, 0).subscribe((m) => seen.push(`${f}<-${m.topic}`));
    expect(registry.route(msg('a/b'))).toBe(5);
    expect(registry.route(msg('a/b'))).toBe(5); // cached route, same answer
    expect(registry.route(msg('$SYS/b'))).toBe(0);
    expect(registry.route(msg('a'))).toBe(2); // 'a/#' matches its parent level, and '#'
    registry.topic('a', 0).subscribe((m) => seen.push(`a<-${m.topic}`)); // a new filter invalidates the cache
    expect(registry.route(msg('a'))).toBe(3);
    expect(seen.filter((s) => s.endsWith('<-a/b'))).toEqual(['a/b<-a/b', 'a/+<-a/b', 'a/#<-a/b', '#<-a/b', '+/b<-a/b', 'a/b<-a/b', 'a/+<-a/b', 'a/#<-a/b', '#<-a/b', '+/b<-a/b']);
  });

  it('a refused filter errors with SUBSCRIBE_FAILED; after close() every stream completes and new ones fail with CLOSED', () => {
    const registry = new SubscriptionRegistry(new VirtualTimeScheduler(), 250);
    const errors: string[] = [];
    registry.topic('no', 0).subscribe({ error: (e: { code: string }) => errors.push(e.code) });
    let completed = false;
    registry.topic('yes', 0).subscribe({ complete: () => (completed = true) });
    registry.setSink(recordingSink(['no']).sink);
    expect(errors).toEqual(['SUBSCRIBE_FAILED']);
    registry.close();
    expect(completed).toBe(true);
    registry.topic('later', 0).subscribe({ error: (e: { code: string }) => errors.push(e.code) });
    expect(errors).toEqual(['SUBSCRIBE_FAILED', 'CLOSED']);
  });
});
