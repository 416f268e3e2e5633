import { CoplayError } from '../errors/CoplayError';

/** Options of {@link RttEstimator}. */
export interface RttEstimatorOptions {
  /** How many recent samples the estimate is taken from; default 8, at least 3. */
  window?: number;
}

/**
 * Round-trip time and jitter from the recent ping samples, robust to outliers: the estimate is the
 * (lower) median of the last `window` samples, the jitter their median absolute deviation from it.
 *
 * Why not TCP's smoothed RTT: a single slow sample (a page still loading, a pong that waited behind a
 * broker's Nagle stall) became the estimate outright and then decayed over tens of seconds. With the
 * median, one slow sample in three or more moves nothing; with two samples the smaller one counts.
 * Send a few pings when a guest joins (see {@link RttEstimator.settled}) so the first figure is right.
 */
export class RttEstimator {
  private readonly size: number;
  private readonly ring: number[] = [];
  private next = 0;
  private cachedRtt: number | undefined;
  private cachedJitter: number | undefined;
  private dirty = false;

  /** @throws CoplayError `INVALID_OPTIONS` when `window` is not an integer ≥ 3. */
  constructor(options: RttEstimatorOptions = {}) {
    const size = options.window ?? 8;
    if (!Number.isInteger(size) || size < 3) {
      throw new CoplayError('INVALID_OPTIONS', `RttEstimator window must be an integer ≥ 3, got ${size}`);
    }
    this.size = size;
  }

  /** Number of samples the estimate rests on (at most `window`). */
  get count(): number {
    return this.ring.length;
  }

  /** True once three samples are in: from then on no single slow sample can set the estimate. */
  get settled(): boolean {
    return this.ring.length >= 3;
  }

  /** Estimated RTT in ms, `undefined` before the first sample. */
  get srtt(): number | undefined {
    this.update();
    return this.cachedRtt;
  }

  /** Jitter in ms (median absolute deviation), `undefined` before the second sample. */
  get rttvar(): number | undefined {
    this.update();
    return this.cachedJitter;
  }

  /** Adds one RTT sample in ms (negative or non-finite samples are ignored). */
  sample(rttMs: number): void {
    if (!Number.isFinite(rttMs) || rttMs < 0) return;
    if (this.ring.length < this.size) this.ring.push(rttMs);
    else this.ring[this.next] = rttMs;
    this.next = (this.next + 1) % this.size;
    this.dirty = true;
  }

  /** Forgets every sample (a guest who was interrupted or left has no current RTT). */
  reset(): void {
    this.ring.length = 0;
    this.next = 0;
    this.cachedRtt = undefined;
    this.cachedJitter = undefined;
    this.dirty = false;
  }

  private update(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const sorted = [...this.ring].sort((a, b) => a - b);
    // Lower median: with two samples that is the smaller one, so a slow first sample is outvoted at once.
    const rtt = sorted[Math.floor((sorted.length - 1) / 2)]!;
    this.cachedRtt = rtt;
    if (sorted.length < 2) {
      this.cachedJitter = undefined;
      return;
    }
    const dev = sorted.map((x) => Math.abs(x - rtt)).sort((a, b) => a - b);
    this.cachedJitter = dev[Math.floor((dev.length - 1) / 2)]!;
  }
}
