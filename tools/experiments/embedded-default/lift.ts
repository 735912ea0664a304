// Reads a finished (or partial) `smart run` folder and prints, as markdown: held-out accuracy of the
// base, each iteration and the control with its standard error; each one's lift over the base with the
// paired standard error (per-item differences on the same held-out items); the filter funnel; and wall
// time per stage with its share of the total (timings.jsonl). Given several folders (seeds of one recipe), it
// prints one row per folder (base accuracy, each model's lift ± paired SE) and their mean ± SE over folders.
//
//   npx tsx --tsconfig tools/bench/tsconfig.json tools/experiments/embedded-default/lift.ts runs/default
//   npx tsx --tsconfig tools/bench/tsconfig.json tools/experiments/embedded-default/lift.ts runs/seed-0 runs/seed-1 runs/seed-2
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { meanAndSe } from '@smart/core';

const runs = process.argv.length > 2 ? process.argv.slice(2) : ['runs/default'];
const run = runs[0]!;

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
const signed = (v: number) => `${v >= 0 ? '+' : ''}${pct(v)}`;

interface ModelScore { label: string; accuracy: number; n: number; lift: { mean: number; se: number } | null }

/** Held-out accuracy of the base, each iteration and the control of a run folder, with lifts over its base. */
function modelScores(folder: string): ModelScore[] {
  const models: { label: string; file: string }[] = [{ label: 'base', file: join(folder, 'iter-0', 'eval', 'held-out', 'synthetic.jsonl') }];
  for (let k = 1; existsSync(join(folder, `iter-${k}`)); k++) models.push({ label: `iteration ${k}`, file: join(folder, `iter-${k}`, 'eval', 'held-out', 'synthetic.jsonl') });
  models.push({ label: "control (base + SFT for SMART's wall time)", file: join(folder, 'control', 'eval', 'held-out', 'synthetic.jsonl') });
  const base = scores(models[0]!.file);
  const out: ModelScore[] = [];
  for (const m of models) {
    const s = scores(m.file);
    if (!s) continue;
    const v = [...s.values()];
    let lift: ModelScore['lift'] = null;
    if (base && m !== models[0]) {
      const d = [...s.entries()].filter(([id]) => base.has(id)).map(([id, x]) => x - base.get(id)!);
      const { mean, se } = meanAndSe(d);
      if (mean !== null && se !== null) lift = { mean, se };
    }
    out.push({ label: m.label, accuracy: v.reduce((a, b) => a + b, 0) / v.length, n: v.length, lift });
  }
  return out;
}

if (runs.length > 1) {
  const all = runs.map(modelScores);
  const labels = [...new Set(all.flatMap((ms) => ms.map((m) => m.label)))];
  const lifted = labels.filter((l) => l !== 'base');
  console.log(`| run | base % | ${lifted.map((l) => `${l}: lift ± paired SE`).join(' | ')} |`);
  console.log(`|---|---|${lifted.map(() => '---|').join('')}`);
  for (const [i, ms] of all.entries()) {
    const at = (l: string) => ms.find((m) => m.label === l);
    console.log(`| ${runs[i]} | ${at('base') ? pct(at('base')!.accuracy) : '—'} | ${lifted.map((l) => (at(l)?.lift ? `${signed(at(l)!.lift!.mean)} ± ${pct(at(l)!.lift!.se)}` : '—')).join(' | ')} |`);
  }
  const over = (pick: (ms: ModelScore[]) => number | undefined, show: (v: number) => string = pct) => {
    const { mean, se } = meanAndSe(all.map(pick).filter((x): x is number => x !== undefined));
    return mean === null || se === null ? '—' : `${show(mean)} ± ${pct(se)}`;
  };
  const liftOver = (l: string) => over((ms) => ms.find((m) => m.label === l)?.lift?.mean, signed);
  console.log(`| mean ± SE over runs | ${over((ms) => ms.find((m) => m.label === 'base')?.accuracy)} | ${lifted.map(liftOver).join(' | ')} |`);
  process.exit(0);
}

console.log('| model | held-out accuracy % ± SE | n | lift over base, points ± paired SE |');
console.log('|---|---|---|---|');
for (const m of modelScores(run)) {
  const lift = m.lift ? `${signed(m.lift.mean)} ± ${pct(m.lift.se)}` : '—';
  console.log(`| ${m.label} | ${pct(m.accuracy)} ± ${pct(Math.sqrt((m.accuracy * (1 - m.accuracy)) / m.n))} | ${m.n} | ${lift} |`);
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
