import { escapeHtml } from './html-escape';

/** One line of a chart. */
export interface Series {
  name: string;
  points: [number, number][];
}

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

function niceRange(values: number[]): [number, number] {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 || 0.5;
    hi += Math.abs(hi) * 0.1 || 0.5;
  }
  return [lo, hi];
}

function tick(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-2 || a >= 1e4) ? v.toExponential(1) : Number(v.toPrecision(3)).toString();
}

/** An inline SVG line chart (no scripts, no external resources). */
export function lineChart(o: { title: string; series: Series[]; xLabel: string; yLabel: string; width?: number; height?: number }): string {
  const width = o.width ?? 420;
  const height = o.height ?? 240;
  const pad = { left: 56, right: 12, top: 28, bottom: 40 };
  const all = o.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const [x0, x1] = niceRange(all.map((p) => p[0]));
  const [y0, y1] = niceRange(all.map((p) => p[1]));
  const sx = (x: number) => pad.left + ((x - x0) / (x1 - x0)) * (width - pad.left - pad.right);
  const sy = (y: number) => height - pad.bottom - ((y - y0) / (y1 - y0)) * (height - pad.top - pad.bottom);
  const parts: string[] = [];
  parts.push(`<svg class="chart" role="img" aria-label="${escapeHtml(o.title)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  parts.push(`<text x="${width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${escapeHtml(o.title)}</text>`);
  parts.push(`<line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}" stroke="#333"/>`);
  parts.push(`<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}" stroke="#333"/>`);
  for (let i = 0; i <= 4; i++) {
    const yv = y0 + ((y1 - y0) * i) / 4;
    const xv = x0 + ((x1 - x0) * i) / 4;
    parts.push(`<text x="${pad.left - 4}" y="${sy(yv) + 4}" text-anchor="end" font-size="10">${tick(yv)}</text>`);
    parts.push(`<line x1="${pad.left}" y1="${sy(yv)}" x2="${width - pad.right}" y2="${sy(yv)}" stroke="#eee"/>`);
    parts.push(`<text x="${sx(xv)}" y="${height - pad.bottom + 14}" text-anchor="middle" font-size="10">${tick(xv)}</text>`);
  }
  parts.push(`<text x="${(pad.left + width - pad.right) / 2}" y="${height - 6}" text-anchor="middle" font-size="11">${escapeHtml(o.xLabel)}</text>`);
  parts.push(`<text x="12" y="${(pad.top + height - pad.bottom) / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 12 ${(pad.top + height - pad.bottom) / 2})">${escapeHtml(o.yLabel)}</text>`);
  o.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length > 1) parts.push(`<polyline class="series" fill="none" stroke="${colour}" stroke-width="2" points="${pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`);
    for (const [x, y] of pts.length <= 40 ? pts : []) parts.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${colour}"/>`);
    parts.push(`<text x="${width - pad.right - 4}" y="${pad.top + 12 + i * 13}" text-anchor="end" font-size="11" fill="${colour}">${escapeHtml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** An inline SVG horizontal bar chart (the funnel). */
export function barChart(o: { title: string; bars: { label: string; value: number; kind?: 'stage' | 'drop' }[]; width?: number }): string {
  const width = o.width ?? 520;
  const rowH = 22;
  const labelW = 200;
  const height = 30 + o.bars.length * rowH;
  const max = Math.max(1, ...o.bars.map((b) => b.value));
  const parts: string[] = [
    `<svg class="chart" role="img" aria-label="${escapeHtml(o.title)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<text x="4" y="16" font-size="13" font-weight="bold">${escapeHtml(o.title)}</text>`,
  ];
  o.bars.forEach((b, i) => {
    const y = 26 + i * rowH;
    const w = ((width - labelW - 60) * b.value) / max;
    parts.push(`<text x="${labelW - 6}" y="${y + 14}" text-anchor="end" font-size="11">${escapeHtml(b.label)}</text>`);
    parts.push(`<rect class="bar" x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${b.kind === 'drop' ? '#d62728' : '#1f77b4'}"/>`);
    parts.push(`<text x="${(labelW + w + 4).toFixed(1)}" y="${y + 14}" font-size="11">${b.value}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
