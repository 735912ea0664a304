import type { RunPaths } from '../run-folder/run-paths';
import type { RunSummary } from '../run-folder/summary';
import type { CliDeps } from './cli-deps';

function pct(v: number | null | undefined): string {
  return v == null || Number.isNaN(v) ? '—' : `${(v * 100).toFixed(1)}%`;
}

/** Prints the run's results table (stdout) and where the files are. */
export function printSummary(deps: CliDeps, paths: RunPaths, s: RunSummary): void {
  const rows = [
    ['model', 'held-out', 'n', 'failed', 'samples', 'pairs', 'train steps'],
    ['base', pct(s.base.heldOut?.accuracy), String(s.base.heldOut?.n ?? '—'), String(s.base.heldOut?.failed ?? '—'), '—', '—', '—'],
    ...s.iterations.map((i) => [`iteration ${i.iteration}`, pct(i.heldOut?.accuracy), String(i.heldOut?.n ?? '—'), String(i.heldOut?.failed ?? '—'), String(i.samples), String(i.pairs), String(i.trainSteps ?? '—')]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  deps.stdout.write(`${rows.map(line).join('\n')}\n`);
  if (s.stoppedBecause) deps.stdout.write(`stopped because: ${s.stoppedBecause}\n`);
  deps.stdout.write(`summary: ${paths.summary}\nreport:  ${paths.report}\n`);
}
