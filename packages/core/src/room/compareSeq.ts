/** How a received sequence number relates to the last accepted one. */
export type SeqOrder = 'newer' | 'duplicate' | 'older';

/**
 * Wrap-aware comparison of 16-bit sequence numbers (RFC 1982 serial arithmetic, as GGPO does):
 * `seq` is newer when it is at most 32767 steps ahead of `last` modulo 65536, so 0 follows 65535.
 */
export function compareSeq(seq: number, last: number): SeqOrder {
  const d = (seq - last) & 0xffff;
  if (d === 0) return 'duplicate';
  return d < 0x8000 ? 'newer' : 'older';
}
