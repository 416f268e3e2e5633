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
  max: number;
  /** Share of samples over 5 ms (a stalled frame on loopback). */
  lateShare: number;
}

/** Summarises latencies in microseconds. */
export function summarize(samplesUs: readonly number[], sent: number): LatencySummary {
  const s = [...samplesUs].sort((a, b) => a - b);
  return {
    n: s.length,
    lost: Math.max(0, sent - s.length),
    p50: percentile(s, 50),
    p99: percentile(s, 99),
    p999: percentile(s, 99.9),
    max: s.length ? s[s.length - 1]! : Number.NaN,
    lateShare: s.length ? s.filter((x) => x > 5000).length / s.length : Number.NaN,
  };
}

/** One delivered message: when it was sent (ms after the measured phase began) and its latency. */
export interface Sample {
  atMs: number;
  us: number;
}

/** Samples of one or more runs, split into the first second after the idle and the steady state after it. */
export interface SplitSummary {
  first: LatencySummary;
  steady: LatencySummary;
}

export function splitSummary(runs: ReadonlyArray<{ samples: readonly Sample[]; sent: number; sentFirst: number }>): SplitSummary {
  const first: number[] = [];
  const steady: number[] = [];
  let sent = 0;
  let sentFirst = 0;
  for (const r of runs) {
    sent += r.sent;
    sentFirst += r.sentFirst;
    for (const s of r.samples) (s.atMs < 1000 ? first : steady).push(s.us);
  }
  return { first: summarize(first, sentFirst), steady: summarize(steady, sent - sentFirst) };
}

export const fmtUs = (us: number) =>
  Number.isNaN(us) ? '–' : us >= 1000 ? `${(us / 1000).toFixed(us >= 10_000 ? 1 : 2)} ms` : `${Math.round(us)} µs`;

/** `b / a` with two decimals. */
export const ratio = (a: number, b: number) => (a > 0 && Number.isFinite(a) && Number.isFinite(b) ? (b / a).toFixed(2) : '–');

/**
 * Per-round summaries folded into one: the median round for each percentile (so one round hit by
 * another process's burst on this shared machine does not decide a tail figure), the worst max, and
 * summed counts.
 */
export function medianOfRounds(rounds: readonly LatencySummary[]): LatencySummary {
  const med = (k: keyof LatencySummary) => {
    const xs = rounds.map((r) => r[k]).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
    return xs.length ? xs[Math.floor((xs.length - 1) / 2)]! : Number.NaN;
  };
  const n = rounds.reduce((a, r) => a + r.n, 0);
  return {
    n,
    lost: rounds.reduce((a, r) => a + r.lost, 0),
    p50: med('p50'),
    p99: med('p99'),
    p999: med('p999'),
    max: Math.max(...rounds.map((r) => r.max)),
    lateShare: rounds.reduce((a, r) => a + (Number.isNaN(r.lateShare) ? 0 : r.lateShare * r.n), 0) / Math.max(1, n),
  };
}

export function splitMedianOfRounds(runs: ReadonlyArray<{ samples: readonly Sample[]; sent: number; sentFirst: number }>): SplitSummary {
  const per = runs.map((r) => splitSummary([r]));
  return { first: medianOfRounds(per.map((p) => p.first)), steady: medianOfRounds(per.map((p) => p.steady)) };
}
