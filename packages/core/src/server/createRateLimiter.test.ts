import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './createRateLimiter';

const request = new Request('http://localhost/token', { method: 'POST' });

describe('createRateLimiter', () => {
  it('allows `max` hits per key and window, then says how long to wait', () => {
    let t = 0;
    const limiter = createRateLimiter({ max: 2, windowMs: 1000 }, () => t);
    expect(limiter.hit(request, { username: 'ana' })).toBeUndefined();
    t = 400;
    expect(limiter.hit(request, { username: 'ana' })).toBeUndefined();
    expect(limiter.hit(request, { username: 'ana' })).toBe(600);
    expect(limiter.hit(request, { username: 'bo' })).toBeUndefined(); // another key, its own window
    t = 1000;
    expect(limiter.hit(request, { username: 'ana' })).toBeUndefined(); // a new window
  });

  it('counts by a custom key', () => {
    const limiter = createRateLimiter({ max: 1, windowMs: 1000, key: (_r, g) => g.deviceId ?? g.username }, () => 0);
    expect(limiter.hit(request, { username: 'ana', deviceId: 'd1' })).toBeUndefined();
    expect(limiter.hit(request, { username: 'ana', deviceId: 'd2' })).toBeUndefined();
    expect(limiter.hit(request, { username: 'ana', deviceId: 'd1' })).toBe(1000);
  });

  it('forgets expired windows, so a flood of distinct keys does not grow memory forever', () => {
    let t = 0;
    const limiter = createRateLimiter({ max: 1, windowMs: 100 }, () => t);
    for (let i = 0; i < 1000; i++) limiter.hit(request, { username: `u${i}` });
    t = 200;
    // After the sweep a once-limited key starts fresh.
    expect(limiter.hit(request, { username: 'u0' })).toBeUndefined();
    expect(limiter.hit(request, { username: 'u0' })).toBe(100);
  });

  it.each([
    { max: 0, windowMs: 1000 },
    { max: 1, windowMs: 0 },
    { max: Number.NaN, windowMs: 1000 },
  ])('refuses %o with INVALID_OPTIONS', (options) => {
    expect(() => createRateLimiter(options, () => 0)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});
