/**
 * `instanceof Uint8Array` that also holds across realms (iframes, `vm`, test environments that swap
 * globals): Node Buffers and another realm's arrays carry the same built-in tag.
 */
export function isUint8Array(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]');
}
