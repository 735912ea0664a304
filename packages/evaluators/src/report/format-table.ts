import { displayScore } from './display-score';
import { tallyItems, type EvalRun, type RunTally } from './eval-run';

function failedText(t: RunTally): string {
  const kinds = Object.entries(t.failedBy).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  return `${t.scored} / ${t.failed}${kinds.length ? ` (${kinds.join(', ')})` : ''}`;
}

/**
 * Plain-text table of a run: headline (rounded as the official script rounds it), counts, then every
 * breakdown bucket. When items failed, a warning line says how many and over which denominator the
 * score is; unparseable judge replies get their count and the rule applied to them.
 */
export function formatTable(run: EvalRun): string {
  const r = run.result;
  const t = tallyItems(run.items);
  const show = (x: number): string => displayScore(r.benchmark, x, r.scale);
  const rows: [string, string][] = [
    ['benchmark', r.benchmark],
    ['model', r.model],
    ...(run.judgeModel ? ([['judge', run.judgeModel]] as [string, string][]) : []),
    ['score', `${show(r.score)}${r.scale === 'relative' ? ' (relative)' : ''}${t.failed > 0 ? ` over ${t.scored} of ${t.items} items` : ''}`],
    ['scored / failed', failedText(t)],
  ];
  if (t.unparseable > 0) rows.push(['unparseable replies', `${t.unparseable}${run.unparseableRule ? ` (${run.unparseableRule})` : ''}`]);
  for (const [k, v] of Object.entries(run.extra ?? {})) rows.push([k, Array.isArray(v) ? v.join(', ') : String(v)]);
  for (const [name, buckets] of Object.entries(r.breakdowns)) {
    for (const [bucket, score] of Object.entries(buckets)) rows.push([`${name}: ${bucket}`, show(score)]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  if (t.failed > 0) lines.push(`WARNING: ${t.failed} of ${t.items} items failed and are not in any score; each score is over the ${t.scored} scored items.`);
  return lines.join('\n');
}
