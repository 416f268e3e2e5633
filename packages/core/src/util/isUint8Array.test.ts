import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { isUint8Array } from './isUint8Array';

describe('isUint8Array', () => {
  it('accepts Uint8Arrays, Buffers and another realm’s Uint8Array', () => {
    expect(isUint8Array(new Uint8Array(2))).toBe(true);
    expect(isUint8Array(Buffer.from('x'))).toBe(true);
    expect(isUint8Array(runInNewContext('new Uint8Array(3)'))).toBe(true);
  });
  it('rejects other views and values', () => {
    for (const v of [new Uint16Array(2), new DataView(new ArrayBuffer(2)), new ArrayBuffer(2), [1, 2], 'ab', null, undefined, { length: 2 }]) {
      expect(isUint8Array(v)).toBe(false);
    }
  });
});
