import type { ReportData } from './report-data';
import { escapeHtml } from './html-escape';
import { barChart, lineChart, type Series } from './svg-charts';

const METRICS: { key: string; title: string }[] = [
  { key: 'loss', title: 'loss' },
  { key: 'rewards/margins', title: 'rewards/margins' },
  { key: 'rewards/accuracies', title: 'rewards/accuracies' },
  { key: 'learning_rate', title: 'learning rate' },
];

const STYLE = `body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}
td.l,th.l{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:16px}.pair{border:1px solid #ddd;margin:8px 0;padding:8px;display:flex;gap:12px}
.pair img{width:96px;height:96px;object-fit:contain;image-rendering:pixelated;border:1px solid #eee}.pair pre{white-space:pre-wrap;margin:2px 0;font-size:12px}
.chosen{background:#eefbea}.rejected{background:#fdeeee}.dropped{opacity:.75}.muted{color:#777}`;

function pct(v: number | null | undefined): string {
  return v === null || v === undefined || Number.isNaN(v) ? '—' : (v * 100).toFixed(1);
}

// One row per scored model: the base, each iteration, the control.
function modelRows(d: ReportData) {
  return [
    { label: 'base (iter-0)', heldOut: d.summary.base.heldOut, benchmarks: d.summary.base.benchmarks, pairs: '—', steps: '—' },
    ...d.summary.iterations.map((i) => ({ label: `iteration ${i.iteration}`, heldOut: i.heldOut, benchmarks: i.benchmarks, pairs: String(i.pairs), steps: i.trainSteps === null ? '—' : String(i.trainSteps) })),
    ...(d.summary.control
      ? [{ label: `control: base + SFT for SMART's ${d.summary.control.budgetSeconds.toFixed(0)} s`, heldOut: d.summary.control.heldOut, benchmarks: {}, pairs: '—', steps: String(d.summary.control.steps) }]
      : []),
  ];
}

function scoreTable(d: ReportData): string {
  const names = [...new Set([...Object.keys(d.summary.base.benchmarks), ...d.summary.iterations.flatMap((i) => Object.keys(i.benchmarks))])];
  const rows = modelRows(d);
  const head = `<tr><th class="l">model</th><th>held-out accuracy %</th><th>n</th><th>failed</th><th>pairs</th><th>train steps</th>${names.map((n) => `<th>${escapeHtml(n)} (failed)</th>`).join('')}</tr>`;
  const body = rows
    .map(
      (r) =>
        `<tr><td class="l">${r.label}</td><td>${pct(r.heldOut?.accuracy)}</td><td>${r.heldOut?.n ?? '—'}</td><td>${r.heldOut?.failed ?? '—'}</td><td>${r.pairs}</td><td>${r.steps}</td>` +
        names.map((n) => (r.benchmarks[n] ? `<td>${pct(r.benchmarks[n]!.score)} (${r.benchmarks[n]!.failed})</td>` : '<td>—</td>')).join('') +
        '</tr>',
    )
    .join('');
  return `<table id="scores">${head}${body}</table>`;
}

/** Held-out accuracy per bucket (synthetic task: per question variant), one column per model; absent when the held-out file has no tags. */
function breakdownTable(d: ReportData, key: string): string {
  const models = modelRows(d).flatMap((r) => {
    const cells = r.heldOut?.breakdowns?.[key];
    return cells ? [{ label: r.label, cells }] : [];
  });
  if (models.length === 0) return '';
  const buckets = [...new Set(models.flatMap((m) => Object.keys(m.cells)))].sort();
  const head = `<tr><th class="l">${escapeHtml(key)}</th>${models.map((m) => `<th>${escapeHtml(m.label)}</th>`).join('')}</tr>`;
  const body = buckets
    .map((b) => {
      const cells = models.map((m) => {
        const cell = m.cells[b];
        return cell ? `<td>${pct(cell.accuracy)} (${cell.n})</td>` : '<td>—</td>';
      });
      return `<tr><td class="l">${escapeHtml(b)}</td>${cells.join('')}</tr>`;
    })
    .join('');
  return `<p>Held-out accuracy % (items) per ${escapeHtml(key)}:</p><table id="breakdown-${escapeHtml(key)}">${head}${body}</table>`;
}

function timingTable(d: ReportData): string {
  const rows = d.timings;
  if (rows.length === 0) return '<p class="muted">No stage timings yet (timings.jsonl).</p>';
  const total = rows.reduce((s, r) => s + r.seconds, 0);
  const body = rows.map((r) => `<tr><td class="l">${escapeHtml(r.stage)}</td><td>${r.seconds.toFixed(1)}</td><td>${(r.share * 100).toFixed(1)}</td></tr>`).join('');
  return `<table id="timings"><tr><th class="l">stage</th><th>wall s</th><th>share %</th></tr>${body}<tr><td class="l">total</td><td>${total.toFixed(1)}</td><td>100.0</td></tr></table>`;
}

function scoreChart(d: ReportData): string {
  const series: Series[] = [];
  const held: [number, number][] = [];
  if (d.summary.base.heldOut?.accuracy != null) held.push([0, d.summary.base.heldOut.accuracy]);
  for (const i of d.summary.iterations) if (i.heldOut?.accuracy != null) held.push([i.iteration, i.heldOut.accuracy]);
  if (held.length > 0) series.push({ name: 'held-out', points: held });
  const names = new Set(d.summary.iterations.flatMap((i) => Object.keys(i.benchmarks)));
  for (const n of names) {
    const pts: [number, number][] = [];
    const b = d.summary.base.benchmarks[n];
    if (b?.score != null) pts.push([0, b.score]);
    for (const i of d.summary.iterations) if (i.benchmarks[n]?.score != null) pts.push([i.iteration, i.benchmarks[n]!.score!]);
    if (pts.length > 0) series.push({ name: n, points: pts });
  }
  if (series.length === 0) return '<p class="muted">No evaluation yet.</p>';
  return lineChart({ title: 'scores per iteration', series, xLabel: 'iteration (0 = base)', yLabel: 'score' });
}

function funnels(d: ReportData): string {
  if (d.funnels.length === 0) return '<p class="muted">No iteration has samples yet.</p>';
  const charts = d.funnels.map(({ iteration, funnel: f }) =>
    barChart({
      title: `iteration ${iteration}`,
      bars: [
        { label: 'drawn', value: f.samples },
        { label: 'with positive', value: f.withPositive },
        { label: 'with negative', value: f.withNegative },
        { label: 'judged', value: f.judged },
        { label: 'kept (pairs)', value: f.kept },
        ...Object.entries(f.dropReasons).map(([reason, n]) => ({ label: `dropped: ${reason}`, value: n ?? 0, kind: 'drop' as const })),
      ],
    }),
  );
  return `<div class="charts" id="funnels">${charts.join('')}</div>`;
}

function templateAgreementTable(d: ReportData): string {
  if (d.templateAgreementError) return `<p class="muted" id="template-agreement-error">No template table: ${escapeHtml(d.templateAgreementError)}</p>`;
  if (d.templateAgreement.length === 0) return '';
  const pct = (n: number, of: number) => (of === 0 ? '—' : `${((100 * n) / of).toFixed(1)}%`);
  const rows = d.templateAgreement
    .map((r) => `<tr><td>${r.iteration}</td><td>${escapeHtml(r.kind)}</td><td>${r.kept}</td><td>${pct(r.chosenIsTemplate, r.kept)}</td><td>${pct(r.rejectedIsTemplate, r.kept)}</td></tr>`)
    .join('');
  return (
    '<p>Kept pairs against the task\'s template rationales: a chosen rationale that is not the template repeats the ' +
    'model\'s own reading of the image beside the answer it was told.</p>' +
    `<table id="template-agreement"><tr><th>iteration</th><th>kind</th><th>kept pairs</th><th>chosen = template</th><th>rejected = told template</th></tr>${rows}</table>`
  );
}

function curves(d: ReportData): string {
  if (d.curves.length === 0) return '<p class="muted">No training metrics yet (iter-k/train-metrics.jsonl).</p>';
  const charts = METRICS.map((m) => {
    const series = d.curves
      .map((c) => ({ name: c.iteration === 0 ? 'base SFT' : `iteration ${c.iteration}`, points: c.rows.filter((r) => r[m.key] !== undefined).map((r, i): [number, number] => [r['step'] ?? i + 1, r[m.key]!]) }))
      .filter((s) => s.points.length > 0);
    return series.length === 0 ? '' : lineChart({ title: m.title, series, xLabel: 'step', yLabel: m.title });
  });
  return `<div class="charts" id="curves">${charts.join('')}</div>`;
}

function examples(d: ReportData): string {
  if (d.examples.length === 0) return '<p class="muted">No pairs yet.</p>';
  const byIteration = new Map<number, typeof d.examples>();
  for (const e of d.examples) byIteration.set(e.iteration, [...(byIteration.get(e.iteration) ?? []), e]);
  return [...byIteration.entries()]
    .map(
      ([k, list]) =>
        `<details${k === d.examples[0]!.iteration ? ' open' : ''}><summary>iteration ${k} (${list.length} examples)</summary>` +
        list
          .map(
            (e) =>
              `<div class="pair${e.kept ? '' : ' dropped'}">` +
              (e.thumbnail ? `<img alt="image of ${escapeHtml(e.sampleId)}" src="${e.thumbnail}">` : '') +
              `<div><div><b>${escapeHtml(e.sampleId)}</b> — answer (${e.answer}), negative argued (${e.wrongAnswer}) — ${e.kept ? 'kept' : `dropped: ${escapeHtml(e.dropReasons.join(', '))}`}</div>` +
              `<pre>${escapeHtml(e.question)}</pre><pre class="chosen">chosen: ${escapeHtml(e.chosen)}</pre><pre class="rejected">rejected: ${escapeHtml(e.rejected)}</pre></div></div>`,
          )
          .join('') +
        '</details>',
    )
    .join('');
}

/** The whole report: one self-contained HTML file (inline CSS and SVG; no scripts, fonts or network). */
export function renderReport(d: ReportData): string {
  const s = d.summary;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>SMART run ${escapeHtml(s.name)}</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body><h1>SMART run <code>${escapeHtml(s.name)}</code></h1>
<p>model: <code>${escapeHtml(s.model)}</code> · task: ${escapeHtml(s.task)} · iterations: ${s.iterations.length}${s.stoppedBecause ? ` · stopped because: ${escapeHtml(s.stoppedBecause)}` : ''} · generated ${escapeHtml(d.generatedAt)}</p>
<p id="training">preference training: ${escapeHtml(d.training)}</p>
<h2>Scores</h2>${scoreTable(d)}<div class="charts">${scoreChart(d)}</div>${breakdownTable(d, 'question')}
<h2>Funnel</h2>${funnels(d)}${templateAgreementTable(d)}
<h2>Training curves</h2>${curves(d)}
<h2>Wall time per stage</h2>${timingTable(d)}
<h2>Example pairs</h2><div id="examples">${examples(d)}</div>
</body></html>
`;
}
