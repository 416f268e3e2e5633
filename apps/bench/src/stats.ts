/** Percentile of sorted numbers (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface LatencySummary {
  n: number;
  lost: number;
  p50: number;
  p99: number;
  p999: number;
}

/** Summarises latencies in microseconds. */
export function summarize(samplesUs: number[], sent: number): LatencySummary {
  const s = [...samplesUs].sort((a, b) => a - b);
  return { n: s.length, lost: sent - s.length, p50: percentile(s, 50), p99: percentile(s, 99), p999: percentile(s, 99.9) };
}

export const fmtUs = (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${Math.round(us)} µs`);
