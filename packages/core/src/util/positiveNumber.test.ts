import { describe, expect, it } from 'vitest';
import { positiveNumber } from './positiveNumber';

describe('positiveNumber', () => {
  it('passes positive finite numbers, and zero only when allowed', () => {
    expect(positiveNumber('a', 1.5)).toBe(1.5);
    expect(positiveNumber('a', 0, true)).toBe(0);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number])('refuses %s with INVALID_OPTIONS naming the option', (v) => {
    expect(() => positiveNumber('keyframeMs', v)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('keyframeMs') }));
  });
});
