// Base-model learning curve of the embedded default: builds the synthetic task and a tiny LLaVA the way
// `smart run` does (BPE on the task text, SFT on AoT + plain-question rows of the template rationales),
// then trains in chunks and scores the held-out split after each chunk with greedy decoding and the
// strict letter scorer. Prints one JSON line per evaluation: steps, seconds, accuracy ± standard error.
//
//   npx tsx --tsconfig tools/bench/tsconfig.json tools/experiments/embedded-default/base-curve.ts \
//     --preset tiny --image 32 --max-objects 6 --chunks 6 --chunk-steps 150
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { aotPositivePrompt } from '@smart/aot-prompts';
import { generateSyntheticTask, writeSyntheticTask, type RationaleStyle, type SyntheticItem } from '@smart/datasets';
import { parseSftConfig, trainSft, type SftExample } from '@smart/dpo-trainer';
import { scoreSynthetic, syntheticPrompt, syntheticRequests } from '@smart/evaluators';
import { createPromptEncoder, TransformersJsGenerator } from '@smart/mllm';
import { createTinyModel, trainByteLevelBpe } from '@smart/models';
import { execSync } from 'node:child_process';

const { values: a } = parseArgs({
  options: {
    out: { type: 'string', default: '/tmp/smart-exp/base-curve' },
    seed: { type: 'string', default: '0' },
    preset: { type: 'string', default: 'tiny' },
    image: { type: 'string', default: '32' },
    train: { type: 'string', default: '2000' },
    'held-out': { type: 'string', default: '500' },
    'min-objects': { type: 'string', default: '1' },
    'max-objects': { type: 'string', default: '6' },
    distractors: { type: 'string', default: '3' },
    'near-options': { type: 'string', default: 'true' },
    style: { type: 'string', default: 'option-walk' },
    merges: { type: 'string', default: '400' },
    lr: { type: 'string', default: '5e-4' },
    batch: { type: 'string', default: '16' },
    chunks: { type: 'string', default: '6' },
    'chunk-steps': { type: 'string', default: '150' },
    parts: { type: 'string', default: 'text,vision,projector' },
    'eval-tokens': { type: 'string', default: '48' },
    mix: { type: 'string', default: 'aot,question' },
  },
});
const num = (k: keyof typeof a) => Number(a[k]);

function load(): string {
  try {
    return execSync('uptime').toString().trim().replace(/.*load average: /, '');
  } catch {
    return '?';
  }
}

/** SFT rows as build-base makes them: told the answer (AoT prompt) and asked plainly, both with the template rationale. */
function rows(items: SyntheticItem[], dataDir: string, mix: string[]): SftExample[] {
  return items.flatMap((it) => {
    const image = { kind: 'path' as const, path: join(dataDir, it.sample.image.path) };
    const out: SftExample[] = [];
    if (mix.includes('aot')) out.push({ id: `${it.sample.id}:aot`, prompt: aotPositivePrompt(it.sample), image, completion: it.rationale });
    if (mix.includes('question')) out.push({ id: `${it.sample.id}:question`, prompt: syntheticPrompt(it.sample), image, completion: it.rationale });
    return out;
  });
}

async function evaluate(modelDir: string, items: SyntheticItem[], dataDir: string): Promise<{ accuracy: number; se: number; n: number; sample: string }> {
  const gen = await TransformersJsGenerator.load({ modelPath: modelDir, batchSize: 32 });
  try {
    const samples = items.map((i) => i.sample);
    const results = await gen.generate(syntheticRequests(samples, (s) => ({ kind: 'path', path: join(dataDir, s.image.path) }), num('eval-tokens')));
    const run = scoreSynthetic(samples, { model: modelDir, responses: new Map(results.map((r) => [r.id, r.text])) });
    const p = run.result.score;
    const n = samples.length;
    return { accuracy: p, se: Math.sqrt((p * (1 - p)) / n), n, sample: results[0]!.text };
  } finally {
    await gen.close();
  }
}

async function main(): Promise<void> {
  const out = a.out!;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const t0 = performance.now();
  const task = await generateSyntheticTask({
    seed: num('seed'),
    train: num('train'),
    heldOut: num('held-out'),
    imageSize: num('image'),
    minObjects: num('min-objects'),
    maxObjects: num('max-objects'),
    distractorObjects: num('distractors'),
    nearOptions: a['near-options'] === 'true',
    rationaleStyle: a.style as RationaleStyle,
  });
  const dataDir = join(out, 'data');
  await writeSyntheticTask(task, { dir: dataDir });
  const examples = rows(task.train, dataDir, a.mix!.split(','));
  const merges = trainByteLevelBpe(
    examples.flatMap((e) => [e.prompt, e.completion]),
    { merges: num('merges') },
  );
  const tiny = await createTinyModel({ dir: join(out, 'init'), preset: a.preset as 'tiny' | 'small', seed: num('seed'), merges });
  const encoder = await createPromptEncoder(tiny.modelDir);
  const tokens = await encoder.encode({ id: 'probe', prompt: syntheticPrompt(task.train[0]!.sample), image: examples[0]!.image!, completion: task.train[0]!.rationale });
  console.log(JSON.stringify({ event: 'setup', args: a, rows: examples.length, setupS: (performance.now() - t0) / 1000, exampleTokens: tokens.inputIds.length, promptTokens: tokens.promptLength, imageTokens: tokens.imageTokenCount, load: load() }));
  let checkpoint = tiny.checkpointDir;
  let steps = 0;
  let trainS = 0;
  const first = await evaluate(tiny.modelDir, task.heldOut, dataDir);
  console.log(JSON.stringify({ event: 'eval', steps, trainS, ...first, load: load() }));
  for (let c = 0; c < num('chunks'); c++) {
    const ts = performance.now();
    const result = await trainSft({
      config: parseSftConfig({
        learning_rate: num('lr'),
        lr_scheduler_type: c === 0 ? 'constant_with_warmup' : 'constant',
        warmup_steps: c === 0 ? Math.ceil(num('chunk-steps') * 0.1) : 0,
        per_device_train_batch_size: num('batch'),
        max_steps: num('chunk-steps'),
        max_length: 1024,
        seed: num('seed') + c,
        logging_steps: num('chunk-steps'),
        save_steps: 100000,
        trainable_parts: a.parts!.split(',') as ('text' | 'vision' | 'projector')[],
      }),
      examples,
      encoder,
      modelDir: checkpoint,
      outputDir: join(out, `chunk-${c}`),
    });
    trainS += (performance.now() - ts) / 1000;
    steps += num('chunk-steps');
    checkpoint = result.folders!.checkpointDir;
    const e = await evaluate(result.folders!.modelDir, task.heldOut, dataDir);
    console.log(JSON.stringify({ event: 'eval', steps, trainS: Math.round(trainS), ...e, load: load() }));
  }
}

void main();
