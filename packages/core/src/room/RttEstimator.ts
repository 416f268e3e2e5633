/**
 * Smoothed round-trip time and jitter, as TCP computes SRTT and RTTVAR (RFC 6298):
 * `srtt += (r - srtt) / 8`, `rttvar += (|srtt - r| - rttvar) / 4`; the first sample sets
 * `srtt = r`, `rttvar = r / 2`.
 */
export class RttEstimator {
  private s: number | undefined;
  private v: number | undefined;

  /** Smoothed RTT in ms, `undefined` before the first sample. */
  get srtt(): number | undefined {
    return this.s;
  }

  /** Smoothed mean deviation in ms (the jitter), `undefined` before the first sample. */
  get rttvar(): number | undefined {
    return this.v;
  }

  /** Adds one RTT sample in ms (negative or non-finite samples are ignored). */
  sample(rttMs: number): void {
    if (!Number.isFinite(rttMs) || rttMs < 0) return;
    if (this.s === undefined || this.v === undefined) {
      this.s = rttMs;
      this.v = rttMs / 2;
      return;
    }
    // RTTVAR is updated with the old SRTT, as the RFC orders it.
    this.v = 0.75 * this.v + 0.25 * Math.abs(this.s - rttMs);
    this.s = 0.875 * this.s + 0.125 * rttMs;
  }
}
