import { describe, expect, it } from 'vitest';
import { bytesCodec } from './bytesCodec';

describe('bytesCodec', () => {
  it('passes bytes through untouched', () => {
    const b = new Uint8Array([0, 255, 7]);
    expect(bytesCodec.decode(b)).toBe(b);
    expect(bytesCodec.encode(b)).toBe(b);
  });

  it('refuses to encode anything else', () => {
    expect(() => bytesCodec.encode('x' as unknown as Uint8Array)).toThrow(expect.objectContaining({ code: 'INVALID_PAYLOAD' }));
  });
});
