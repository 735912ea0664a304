// Reads a finished (or partial) `smart run` folder and prints, as markdown: held-out accuracy of the
// base, each iteration and the control with its standard error; each one's lift over the base with the
// paired standard error (per-item differences on the same held-out items); the filter funnel; and wall
// time per stage with its share of the total (timings.jsonl).
//
//   npx tsx --tsconfig tools/bench/tsconfig.json tools/experiments/embedded-default/lift.ts runs/default
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const run = process.argv[2] ?? 'runs/default';

function scores(file: string): Map<string, number> | null {
  if (!existsSync(file)) return null;
  const out = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { itemId: string; score: number };
    out.set(r.itemId, r.score);
  }
  return out;
}

const pct = (v: number) => (v * 100).toFixed(1);
const models: { label: string; file: string }[] = [{ label: 'base', file: join(run, 'iter-0', 'eval', 'held-out', 'synthetic.jsonl') }];
for (let k = 1; existsSync(join(run, `iter-${k}`)); k++) models.push({ label: `iteration ${k}`, file: join(run, `iter-${k}`, 'eval', 'held-out', 'synthetic.jsonl') });
models.push({ label: 'control (base + SFT for SMART\'s wall time)', file: join(run, 'control', 'eval', 'held-out', 'synthetic.jsonl') });

const base = scores(models[0]!.file);
console.log('| model | held-out accuracy % ± SE | n | lift over base, points ± paired SE |');
console.log('|---|---|---|---|');
for (const m of models) {
  const s = scores(m.file);
  if (!s) continue;
  const v = [...s.values()];
  const n = v.length;
  const p = v.reduce((a, b) => a + b, 0) / n;
  let lift = '—';
  if (base && m !== models[0]) {
    const d = [...s.entries()].filter(([id]) => base.has(id)).map(([id, x]) => x - base.get(id)!);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
    lift = `${mean >= 0 ? '+' : ''}${pct(mean)} ± ${pct(sd / Math.sqrt(d.length))}`;
  }
  console.log(`| ${m.label} | ${pct(p)} ± ${pct(Math.sqrt((p * (1 - p)) / n))} | ${n} | ${lift} |`);
}

const summaryFile = join(run, 'summary.json');
if (existsSync(summaryFile)) {
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { iterations: { iteration: number; samples: number; pairs: number; dropped: Record<string, number>; trainSteps: number | null }[] };
  console.log('\n| iteration | samples | pairs kept | dropped | DPO steps |\n|---|---|---|---|---|');
  for (const it of summary.iterations) console.log(`| ${it.iteration} | ${it.samples} | ${it.pairs} | ${JSON.stringify(it.dropped)} | ${it.trainSteps ?? '—'} |`);
}

const timings = join(run, 'timings.jsonl');
if (existsSync(timings)) {
  const by = new Map<string, number>();
  for (const line of readFileSync(timings, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const t = JSON.parse(line) as { stage: string; seconds: number };
    by.set(t.stage, (by.get(t.stage) ?? 0) + t.seconds);
  }
  const total = [...by.values()].reduce((a, b) => a + b, 0);
  console.log('\n| stage | wall s | share % |\n|---|---|---|');
  for (const [stage, s] of by) console.log(`| ${stage} | ${s.toFixed(0)} | ${pct(s / total)} |`);
  console.log(`| total | ${total.toFixed(0)} | 100.0 |`);
}
