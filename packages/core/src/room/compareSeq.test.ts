import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSeq } from './compareSeq';

describe('compareSeq', () => {
  it('orders across the 16-bit wrap-around', () => {
    expect(compareSeq(0, 65535)).toBe('newer');
    expect(compareSeq(65535, 0)).toBe('older');
    expect(compareSeq(10, 10)).toBe('duplicate');
    expect(compareSeq(32767, 0)).toBe('newer');
    expect(compareSeq(32768, 0)).toBe('older');
  });

  it('is antisymmetric for any pair', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), (a, b) => {
        const ab = compareSeq(a, b);
        const ba = compareSeq(b, a);
        if (a === b) expect([ab, ba]).toEqual(['duplicate', 'duplicate']);
        else if (((a - b) & 0xffff) === 0x8000) expect([ab, ba]).toEqual(['older', 'older']);
        else expect(ab === 'newer').toBe(ba === 'older');
      }),
    );
  });

  it('sees any step of 1..32767 ahead as newer, from any start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 1, max: 0x7fff }), (start, step) => {
        expect(compareSeq((start + step) & 0xffff, start)).toBe('newer');
        expect(compareSeq(start, (start + step) & 0xffff)).toBe('older');
      }),
    );
  });
});
