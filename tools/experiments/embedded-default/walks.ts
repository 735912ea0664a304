// Where a `smart run` folder's held-out answers go wrong, for the synthetic task's option-walk rationales
// ("Step 1, <fact>. Step 2, (A) x no, (B) y yes. Step 3, so the answer is (B) y."): per model, how often
// Step 1 states the right option's text (perception), how often the walk is consistent with Step 1
// (exactly one "yes", on the option Step 1 names, no "no" on it), and how often the answer is right.
// Prints a markdown table; answers in another format count as "not a walk".
//
//   npx tsx --tsconfig tools/bench/tsconfig.json tools/experiments/embedded-default/walks.ts runs/default
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const run = process.argv[2] ?? 'runs/default';

interface EvalLine {
  itemId: string;
  prompt: string;
  response: string;
  score: number;
}

const records = <T>(file: string): T[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

/** The right option's text per held-out item, from the run's held-out file (MathV360K layout). */
function rightTexts(): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of records<{ id: string; conversations: { value: string }[] }>(join(run, 'data', 'held-out.jsonl'))) {
    const question = r.conversations[0]!.value;
    const letter = /([A-Z])\s*$/.exec(r.conversations[1]!.value.trim())?.[1];
    const option = letter ? new RegExp(`^\\(${letter}\\) (.+)$`, 'm').exec(question)?.[1] : undefined;
    if (option) out.set(r.id, option.trim());
  }
  return out;
}

const words = (s: string) => new Set(s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);

function tally(file: string, truth: Map<string, string>) {
  let n = 0;
  let factRight = 0;
  let consistent = 0;
  let notWalk = 0;
  let right = 0;
  for (const r of records<EvalLine>(file)) {
    n++;
    right += r.score;
    const m = /Step 1, (.*?)\. Step 2, (.*?)\. Step 3/s.exec(r.response);
    if (!m) {
      notWalk++;
      continue;
    }
    const fact = words(m[1]!);
    const steps = [...m[2]!.matchAll(/\(([A-Z])\) (.+?) (yes|no)\b/g)].map((s) => ({ text: s[2]!.toLowerCase(), yes: s[3] === 'yes' }));
    const yes = steps.filter((s) => s.yes);
    if (yes.length === 1 && fact.has(yes[0]!.text) && !steps.some((s) => !s.yes && fact.has(s.text))) consistent++;
    const want = truth.get(r.itemId)?.toLowerCase();
    if (want && fact.has(want)) factRight++;
  }
  return { n, factRight, consistent, notWalk, right };
}

const truth = rightTexts();
const models: { label: string; dir: string }[] = [{ label: 'base', dir: 'iter-0' }];
for (let k = 1; existsSync(join(run, `iter-${k}`)); k++) models.push({ label: `iteration ${k}`, dir: `iter-${k}` });
models.push({ label: 'control', dir: 'control' });

const pct = (a: number, n: number) => `${a} (${((100 * a) / n).toFixed(1)}%)`;
console.log('| model | answers | Step 1 names the right option | walk consistent with Step 1 | not a walk | answer right |');
console.log('|---|---|---|---|---|---|');
for (const m of models) {
  const file = join(run, m.dir, 'eval', 'held-out', 'synthetic.jsonl');
  if (!existsSync(file)) continue;
  const t = tally(file, truth);
  console.log(`| ${m.label} | ${t.n} | ${pct(t.factRight, t.n)} | ${pct(t.consistent, t.n)} | ${t.notWalk} | ${pct(t.right, t.n)} |`);
}
