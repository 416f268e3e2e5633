import { describe, expect, it } from 'vitest';
import { randomHex } from './randomHex';

describe('randomHex', () => {
  it('gives 2 hex characters per byte, different every time', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => randomHex(4)));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(ids.size).toBeGreaterThan(990);
  });
});
