import { describe, expect, it } from 'vitest';
import { createLive } from './createLive';

describe('createLive', () => {
  it('value is the same object until set; value$ replays it, then every change; complete keeps the last value', () => {
    const source = createLive({ n: 1 });
    const first = source.live.value;
    expect(source.live.value).toBe(first);
    const seen: number[] = [];
    let done = false;
    source.live.value$.subscribe({ next: (v) => seen.push(v.n), complete: () => (done = true) });
    source.set({ n: 2 });
    expect(source.live.value).not.toBe(first);
    source.complete();
    source.set({ n: 3 }); // ignored after complete
    expect(seen).toEqual([1, 2]);
    expect(done).toBe(true);
    expect(source.live.value).toEqual({ n: 2 });
  });
});
