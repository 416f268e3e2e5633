export interface ChartGroup {
  label: string;
  bars: Array<{ label: string; p50: number; p99: number; color: string }>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A horizontal bar chart of latencies on a log axis (10 µs … 100 ms): one group per scenario, one
 * bar per subject; the dark part ends at p50, the light part at p99. Plain SVG, no dependencies.
 */
export function latencyChart(title: string, groups: readonly ChartGroup[]): string {
  const left = 250;
  const width = 900;
  const plot = width - left - 20;
  const barH = 12;
  const gap = 4;
  const groupGap = 14;
  const top = 40;
  const minLog = 1; // 10 µs
  const maxLog = 5; // 100 ms
  const x = (us: number) => left + (Math.min(maxLog, Math.max(minLog, Math.log10(Math.max(us, 1)))) - minLog) / (maxLog - minLog) * plot;
  let y = top;
  const parts: string[] = [];
  for (const g of groups) {
    parts.push(`<text x="${left - 8}" y="${y + barH}" text-anchor="end" font-weight="bold">${esc(g.label)}</text>`);
    y += barH + gap;
    for (const b of g.bars) {
      if (Number.isFinite(b.p99)) {
        parts.push(`<rect x="${left}" y="${y}" width="${(x(b.p99) - left).toFixed(1)}" height="${barH}" fill="${b.color}" fill-opacity="0.35"/>`);
      }
      if (Number.isFinite(b.p50)) {
        parts.push(`<rect x="${left}" y="${y}" width="${(x(b.p50) - left).toFixed(1)}" height="${barH}" fill="${b.color}"/>`);
      }
      parts.push(`<text x="${left - 8}" y="${y + barH - 2}" text-anchor="end">${esc(b.label)}</text>`);
      y += barH + gap;
    }
    y += groupGap;
  }
  const axis: string[] = [];
  const labels = ['10 µs', '100 µs', '1 ms', '10 ms', '100 ms'];
  for (let l = minLog; l <= maxLog; l++) {
    const xx = x(10 ** l);
    axis.push(`<line x1="${xx}" y1="${top - 6}" x2="${xx}" y2="${y}" stroke="#999" stroke-dasharray="2,3"/>`);
    axis.push(`<text x="${xx}" y="${top - 10}" text-anchor="middle">${labels[l - minLog]}</text>`);
  }
  const height = y + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`,
    ...axis,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
