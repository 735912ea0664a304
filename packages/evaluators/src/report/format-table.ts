import type { EvalRun } from './eval-run';

function fmt(x: number, scale: number): string {
  return Number.isNaN(x) ? 'n/a' : (x * scale).toFixed(1);
}

/** Plain-text table of a run: headline, counts, then every breakdown bucket (fractions shown as %). */
export function formatTable(run: EvalRun): string {
  const r = run.result;
  const scale = r.scale === 'fraction' ? 100 : 1;
  const rows: [string, string][] = [
    ['benchmark', r.benchmark],
    ['model', r.model],
    ...(run.judgeModel ? ([['judge', run.judgeModel]] as [string, string][]) : []),
    ['score', `${fmt(r.score, scale)}${r.scale === 'relative' ? ' (relative)' : ''}`],
    ['scored / failed', `${r.scored} / ${r.failed}`],
  ];
  for (const [k, v] of Object.entries(run.extra ?? {})) rows.push([k, Array.isArray(v) ? v.join(', ') : String(v)]);
  for (const [name, buckets] of Object.entries(r.breakdowns)) {
    for (const [bucket, score] of Object.entries(buckets)) rows.push([`${name}: ${bucket}`, fmt(score, scale)]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
