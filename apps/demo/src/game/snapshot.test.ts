import { describe, expect, it } from 'vitest';
import { createPong, step } from './pong';
import { parseSnapshot, toSnapshot } from './snapshot';

describe('snapshot', () => {
  it('round-trips through JSON', () => {
    let s = createPong(2);
    for (let i = 0; i < 300; i++) s = step(s, 1, -1, 1 / 120);
    const snap = toSnapshot(s);
    expect(parseSnapshot(JSON.parse(JSON.stringify(snap)))).toEqual(snap);
    expect(snap.paddles[0]).toBeCloseTo(s.paddles[0], 0);
  });

  it.each([
    null,
    42,
    'pong',
    {},
    { ...toSnapshot(createPong()), kind: 'chess' },
    { ...toSnapshot(createPong()), paddles: [1] },
    { ...toSnapshot(createPong()), ball: { x: 'a', y: 1 } },
    { ...toSnapshot(createPong()), score: [Number.NaN, 0] },
    { ...toSnapshot(createPong()), width: 0 },
  ])('rejects malformed input %#', (bad) => {
    expect(parseSnapshot(bad)).toBeUndefined();
  });
});
