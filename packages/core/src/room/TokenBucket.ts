/**
 * Token bucket: refills at `ratePerSecond` up to `burst` tokens; each accepted event takes one.
 * Time comes from the caller so a virtual scheduler drives it in tests.
 */
export class TokenBucket {
  private tokens: number;
  private last: number | undefined;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Takes a token at time `nowMs`; `false` when the bucket is empty. */
  take(nowMs: number): boolean {
    if (this.last !== undefined && nowMs > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.last) * this.ratePerSecond) / 1000);
    }
    this.last = this.last === undefined ? nowMs : Math.max(this.last, nowMs);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}
