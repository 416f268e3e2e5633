import { describe, expect, it } from 'vitest';
import { isCoplayError } from '../errors/CoplayError';
import { jsonCodec } from './jsonCodec';

const utf8 = (s: string) => new TextEncoder().encode(s);
const wire = (x: Uint8Array | string) => (typeof x === 'string' ? utf8(x) : x);

function decodeError(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected decode to throw');
}

describe('jsonCodec', () => {
  it('round-trips JSON values', () => {
    const codec = jsonCodec<unknown>();
    for (const v of [0, 'x', null, true, [1, 2], { a: { b: [1, 'é'] } }]) {
      expect(codec.decode(wire(codec.encode(v)))).toEqual(v);
    }
  });

  it('rejects invalid JSON and invalid UTF-8 with DECODE_FAILED', () => {
    const codec = jsonCodec();
    for (const bad of [utf8('{"a":'), utf8(''), new Uint8Array([0x7b, 0xff])]) {
      expect(isCoplayError(decodeError(() => codec.decode(bad)), 'DECODE_FAILED')).toBe(true);
    }
  });

  it('runs the parse function and turns its throw into DECODE_FAILED with the cause kept', () => {
    const parse = (v: unknown): { n: number } => {
      if (typeof v === 'object' && v !== null && typeof (v as { n?: unknown }).n === 'number') return v as { n: number };
      throw new TypeError('n must be a number');
    };
    const codec = jsonCodec(parse);
    expect(codec.decode(utf8('{"n":3}'))).toEqual({ n: 3 });
    const e = decodeError(() => codec.decode(utf8('{"n":"3"}')));
    expect(isCoplayError(e, 'DECODE_FAILED')).toBe(true);
    expect((e as Error).cause).toBeInstanceOf(TypeError);
  });

  it('refuses values JSON cannot write with INVALID_PAYLOAD', () => {
    const codec = jsonCodec<unknown>();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [undefined, () => 1, 10n, cyclic]) {
      expect(() => codec.encode(bad)).toThrow(expect.objectContaining({ code: 'INVALID_PAYLOAD' }));
    }
  });
});
