import fc from 'fast-check';
import { LRUCache as Reference } from 'lru-cache';
import { describe, expect, it } from 'vitest';
import { LRUCache } from './lruCache';

type Op = { op: 'set'; key: number; value: string } | { op: 'get'; key: number } | { op: 'clear' } | { op: 'keys' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), key: fc.integer({ min: 1, max: 8 }), value: fc.string({ maxLength: 3 }) }),
  fc.record({ op: fc.constant('get' as const), key: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('clear' as const) }),
  fc.record({ op: fc.constant('keys' as const) }),
);

function run(cache: { set(k: number, v: string): unknown; get(k: number): string | undefined; clear(): void; keys(): Iterable<number>; size: number }, ops: Op[]) {
  return ops.map((o) => {
    if (o.op === 'set') cache.set(o.key, o.value);
    else if (o.op === 'clear') cache.clear();
    const result = o.op === 'get' ? cache.get(o.key) : o.op === 'keys' ? [...cache.keys()] : undefined;
    return { result, size: cache.size };
  });
}

describe('lru-cache shim (browser build)', () => {
  it('answers get/set/clear/keys()/size as lru-cache does (what MQTT.js topic-alias-send uses)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 40 }), (max, ops) => {
        expect(run(new LRUCache<number, string>({ max }), ops)).toEqual(run(new Reference<number, string>({ max }), ops));
      }),
    );
  });
});
