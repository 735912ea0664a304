/**
 * Generation when every answer ends at EOS early (an SFT'd model's habit), the issue-12 table: batch 16
 * at maxNewTokens 80 and 512 and batch 1 at 512, as ratios from one run; then the sampler at a
 * 151,646-token vocabulary (Qwen2's) against a decode step of the `small` model with that vocabulary.
 *
 *   npx tsx --tsconfig tools/bench/tsconfig.json tools/bench/mllm/early-eos.bench.ts [--skip-vocab] [--threads N]
 *
 * The model: `@smart/models`' `small` preset with random weights, made SFT-like by setting weights: the
 * lm_head is scaled so the model is confident (sampling at T 0.7 / top-p 0.9 mostly follows its top
 * token), and the EOS row becomes a copy of the row of the token the model emits 4th most, so EOS competes
 * wherever that token would come (answers end within 38–64 tokens, as in the issue). Of 256 candidate prompts, the 16 with the longest answers that still end at
 * EOS within 64 tokens are kept (the "answers all end at EOS within ~60 tokens").
 *
 * A last table bounds what any batcher can reach here: the same requests at maxNewTokens 1 (encoding,
 * vision and prefill, which cost the same compute batched or not) against the batch-1 run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TokenSampler, TransformersJsGenerator } from '@smart/mllm';
import { chatTokenizerConfig, parseLlavaConfig, randomLlavaWeights, tinyLlavaConfigJson, tinyModelConfig, writeInferenceFolder, type LlavaConfig } from '@smart/models';
import type { TensorData } from '@smart/onnx-graph';
import { DEFAULT_SAMPLING, type GenerationRequest, type GenerationResult } from '@smart/types';
import { printTable } from '../lib/table';

const LM_HEAD = 'language_model.lm_head.weight';
const QWEN2_VOCAB = 151_646;
/** intraOpNumThreads of every session (`--threads N`, 0 = onnxruntime's default); one thread keeps the ratios steadiest on a shared machine. */
const THREADS_ARG = process.argv.indexOf('--threads');
const THREADS: number | undefined = Number(THREADS_ARG >= 0 ? process.argv[THREADS_ARG + 1] : 1) || undefined;
const CANDIDATES = 256;
/** Rank (0 = most emitted) of the token whose lm_head row EOS copies: sets how long answers run. */
const TWIN_RANK = 3;
const REPEATS = 5;
const root = mkdtempSync(join(tmpdir(), 'smart-bench-early-eos-'));
let folders = 0;

/** Writes the weights as a transformers.js folder in a fresh directory (the library memoizes file lookups per path). */
async function writeFolder(config: LlavaConfig, weights: Map<string, TensorData>, tokenizer: Parameters<typeof writeInferenceFolder>[3]): Promise<string> {
  const dir = join(root, `model-${folders++}`);
  await writeInferenceFolder(dir, config, weights, tokenizer);
  return dir;
}

function rows(weights: Map<string, TensorData>): { data: Float32Array; width: number } {
  const t = weights.get(LM_HEAD)!;
  return { data: t.data as Float32Array, width: t.shape[1]! };
}

const image = (i: number) => ({ kind: 'rgb' as const, width: 64, height: 64, data: Uint8Array.from({ length: 64 * 64 * 3 }, (_, j) => (j * (i + 3) + i * 41) % 256) });
const prompt = (i: number, maxNewTokens: number): GenerationRequest => ({
  id: `q${i}`,
  prompt: `Question ${i}: which shape is ${['red', 'larger', 'left of the circle', 'counted twice'][i % 4]}? Options: (A) one (B) two (C) three.`,
  image: image(i),
  sampling: { ...DEFAULT_SAMPLING, maxNewTokens, seed: 1000 + i },
});

async function timed(generator: TransformersJsGenerator, requests: GenerationRequest[]): Promise<{ seconds: number; results: GenerationResult[] }> {
  const t0 = performance.now();
  const results = await generator.generate(requests);
  return { seconds: (performance.now() - t0) / 1000, results };
}

async function earlyEosTable(): Promise<void> {
  const { tokenizerJson, config, eosTokenId, padTokenId } = tinyModelConfig({ preset: 'small' });
  const tokenizer = { tokenizerJson, tokenizerConfig: chatTokenizerConfig({ modelMaxLength: config.text.max_position_embeddings }), eosTokenId, padTokenId };
  const weights = randomLlavaWeights(config, { seed: 12 });
  const head = rows(weights);
  for (let i = 0; i < head.data.length; i++) head.data[i]! *= 40; // confident: logits of a few units instead of hundredths

  // The token the confident model emits most often becomes EOS's twin (counted in the decoded text; bytes that are not UTF-8 are dropped).
  const calibration = await TransformersJsGenerator.load({ modelPath: await writeFolder(config, weights, tokenizer), batchSize: 16, ...(THREADS ? { threads: THREADS } : {}) });
  const counts = new Map<number, number>();
  const tokenize = (text: string) => calibration.promptEncoder.encode({ id: 'c', prompt: '', completion: text }).then((e) => e.inputIds.slice(e.promptLength, e.completionEnd - 1));
  for (const r of await calibration.generate(Array.from({ length: 16 }, (_, i) => prompt(100 + i, 80)))) for (const t of await tokenize(r.text.replaceAll('\uFFFD', ''))) counts.set(t, (counts.get(t) ?? 0) + 1);
  await calibration.close();
  const twin = [...counts.entries()].filter(([t]) => t !== eosTokenId).sort((a, b) => b[1] - a[1])[TWIN_RANK]![0];
  head.data.copyWithin(eosTokenId * head.width, twin * head.width, (twin + 1) * head.width);

  const modelPath = await writeFolder(config, weights, tokenizer);
  const batch16 = await TransformersJsGenerator.load({ modelPath, batchSize: 16, ...(THREADS ? { threads: THREADS } : {}) });
  const batch1 = await TransformersJsGenerator.load({ modelPath, batchSize: 1, ...(THREADS ? { threads: THREADS } : {}) });
  // Of the candidates, the 16 with the longest answers that still end at EOS within 64 tokens (screened at
  // 80 tokens: a seeded row that stops by then stops the same way under any larger budget).
  const candidates = await batch16.generate(Array.from({ length: CANDIDATES }, (_, i) => prompt(i, 80)));
  const chosen = candidates
    .flatMap((r, i) => (r.finishReason === 'stop' && r.completionTokens <= 64 ? [{ i, n: r.completionTokens }] : []))
    .sort((a, b) => b.n - a.n || a.i - b.i)
    .slice(0, 16)
    .map((c) => c.i)
    .sort((a, b) => a - b);
  if (chosen.length < 16) throw new Error(`only ${chosen.length} of ${CANDIDATES} prompts end within 64 tokens; change the seed or the scale`);
  const requests = (maxNewTokens: number) => chosen.map((i) => prompt(i, maxNewTokens));
  await batch16.generate(requests(8)); // warm-up: first-run allocations
  await batch1.generate(requests(8).slice(0, 2));

  // Interleaved repetitions, median time of each: a shared machine's load drifts between runs.
  const runs: Record<'short16' | 'long16' | 'long1' | 'prefill16' | 'prefill1', { seconds: number; results: GenerationResult[] }[]> = { short16: [], long16: [], long1: [], prefill16: [], prefill1: [] };
  for (let rep = 0; rep < REPEATS; rep++) {
    runs.short16.push(await timed(batch16, requests(80)));
    runs.long16.push(await timed(batch16, requests(512)));
    runs.long1.push(await timed(batch1, requests(512)));
    runs.prefill16.push(await timed(batch16, requests(1)));
    runs.prefill1.push(await timed(batch1, requests(1)));
  }
  const median = (xs: { seconds: number; results: GenerationResult[] }[]) => [...xs].sort((a, b) => a.seconds - b.seconds)[xs.length >> 1]!;
  const short16 = median(runs.short16);
  const long16 = median(runs.long16);
  const long1 = median(runs.long1);
  const tokens = (r: GenerationResult[]) => r.reduce((s, x) => s + x.completionTokens, 0);
  const lengths = long16.results.map((r) => r.completionTokens);
  const same = long16.results.every((r, i) => r.text === long1.results[i]!.text && r.text === short16.results[i]!.text);
  console.log(`\n16 prompts (64×64 image + text), temperature 0.7, top-p 0.9, small preset, ${THREADS ?? 'default'} thread(s), median of ${REPEATS}; answer lengths ${Math.min(...lengths)}–${Math.max(...lengths)} tokens (EOS); batch 16 and batch 1 texts identical: ${same}`);
  const tps = (r: { seconds: number; results: GenerationResult[] }) => tokens(r.results) / r.seconds;
  printTable(
    ['run', 'tokens', 'seconds', 'tokens/s', 'time ratio to batch 16 @ 80', 'tokens/s ratio to batch 1 @ 512'],
    [
      ['batch 16, maxNewTokens 80', tokens(short16.results), short16.seconds, tps(short16), 1, tps(short16) / tps(long1)],
      ['batch 16, maxNewTokens 512', tokens(long16.results), long16.seconds, tps(long16), long16.seconds / short16.seconds, tps(long16) / tps(long1)],
      ['batch 1, maxNewTokens 512', tokens(long1.results), long1.seconds, tps(long1), long1.seconds / short16.seconds, 1],
    ],
  );
  // Prompt work (encoding, vision, prefill) is compute a batch cannot remove: batch 16 takes at least the
  // smaller of the two prompt-only runs, so its tokens/s can exceed batch 1's by at most this bound.
  const prefill16 = median(runs.prefill16);
  const prefill1 = median(runs.prefill1);
  const floor = Math.min(prefill16.seconds, prefill1.seconds);
  console.log('\nPrompt-only runs (maxNewTokens 1: encoding, vision encoder, prefill, one token per row)');
  printTable(
    ['run', 'seconds', 'share of batch 1 @ 512', 'bound on batch 16 tokens/s ratio (batch 1 @ 512 time / prompt-only time)'],
    [
      ['batch 16, maxNewTokens 1', prefill16.seconds, prefill16.seconds / long1.seconds, long1.seconds / prefill16.seconds],
      ['batch 1, maxNewTokens 1', prefill1.seconds, prefill1.seconds / long1.seconds, long1.seconds / prefill1.seconds],
      ['bound (the smaller)', floor, floor / long1.seconds, long1.seconds / floor],
    ],
  );
  // The decode phase alone: each maxNewTokens-512 run minus its own prompt-only run.
  const decode16 = long16.seconds - prefill16.seconds;
  const decode1 = long1.seconds - prefill1.seconds;
  console.log('\nDecode phase (the maxNewTokens 512 run minus its prompt-only run)');
  printTable(
    ['run', 'seconds', 'tokens/s ratio to batch 1'],
    [
      ['batch 16', decode16, decode1 / decode16],
      ['batch 1', decode1, 1],
    ],
  );
  await batch16.close();
  await batch1.close();
}

/** Logits shaped like a language model's: Zipf-like probabilities over ranks, shuffled over the vocabulary. */
function zipfLogits(vocab: number, seed: number): Float32Array {
  let s = seed;
  const next = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const order = Array.from({ length: vocab }, (_, i) => i);
  for (let i = vocab - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const logits = new Float32Array(vocab);
  for (let r = 0; r < vocab; r++) logits[order[r]!] = 18 - 1.1 * Math.log(r + 1) + (next() - 0.5) * 0.5;
  return logits;
}

/** The textbook top-p: sort the whole vocabulary each step (the baseline the sampler replaces). */
function sortedTopP(logits: Float32Array, temperature: number, topP: number, u: number): number {
  const order = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b);
  const max = logits[order[0]!]! / temperature;
  const weights = order.map((i) => Math.exp(logits[i]! / temperature - max));
  const total = weights.reduce((a, b) => a + b, 0);
  let cum = 0;
  let kept = 0;
  while (kept < order.length && (kept === 0 || cum < topP * total)) cum += weights[kept++]!;
  let x = u * cum;
  for (let r = 0; r < kept; r++) if ((x -= weights[r]!) < 0) return order[r]!;
  return order[kept - 1]!;
}

async function vocabularyTable(): Promise<void> {
  const rowsOfLogits = Array.from({ length: 8 }, (_, i) => zipfLogits(QWEN2_VOCAB, 7 + i));
  const sampler = new TokenSampler();
  const params = { temperature: 0.7, topP: 0.9, topK: 0 };
  let u = 0.5;
  const rng = { next: () => (u = (u * 9301 + 49297) % 233280) / 233280 };
  const perToken = (fn: (l: Float32Array) => number, runs: number) => {
    for (let i = 0; i < 3; i++) fn(rowsOfLogits[i % 8]!);
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) fn(rowsOfLogits[i % 8]!);
    return (performance.now() - t0) / runs;
  };
  const nucleus = sampler.keptTokens(rowsOfLogits[0]!, params).length;

  // A decode step of the small model with a 151,646-token vocabulary (its lm_head dominates).
  const json = tinyLlavaConfigJson({ preset: 'small', vocabSize: QWEN2_VOCAB, imageTokenIndex: 259, eosTokenId: 258, padTokenId: 257 });
  const config = parseLlavaConfig(json);
  const { tokenizerJson } = tinyModelConfig({ preset: 'small' });
  const tokenizer = { tokenizerJson, tokenizerConfig: chatTokenizerConfig({ modelMaxLength: 2048 }), eosTokenId: 258, padTokenId: 257 };
  const modelPath = await writeFolder(config, randomLlavaWeights(config, { seed: 3 }), tokenizer);
  const generators = new Map<number, TransformersJsGenerator>();
  for (const batchSize of [1, 16]) generators.set(batchSize, await TransformersJsGenerator.load({ modelPath, batchSize, ...(THREADS ? { threads: THREADS } : {}), modelId: 'small-151k' }));
  // Greedy and no EOS in reach: every row runs its full budget, so the time is prefill + decode steps.
  const request = (i: number, maxNewTokens: number): GenerationRequest => ({ id: `v${i}`, prompt: `Count to ${i}.`, sampling: { ...DEFAULT_SAMPLING, temperature: 0, maxNewTokens } });
  const run = async (batchSize: number, maxNewTokens: number) => {
    const t0 = performance.now();
    await generators.get(batchSize)!.generate(Array.from({ length: batchSize }, (_, i) => request(i, maxNewTokens)));
    return performance.now() - t0;
  };
  for (const batchSize of [1, 16]) await run(batchSize, 2);
  // Two budgets cancel the prefill: (t(17) − t(1)) / 16 steps is one decode step, per token of the batch.
  // The sampler and the steps are measured in turns and their medians taken, so load drift hits both alike.
  const steps = 16;
  const samples: Record<'ours' | 'sorted' | 'step1' | 'step16', number[]> = { ours: [], sorted: [], step1: [], step16: [] };
  for (let rep = 0; rep < REPEATS; rep++) {
    samples.ours.push(perToken((l) => sampler.sample(l, params, rng), 100));
    samples.step1.push(((await run(1, steps + 1)) - (await run(1, 1))) / steps);
    samples.step16.push(((await run(16, steps + 1)) - (await run(16, 1))) / steps / 16);
    if (rep < 2) samples.sorted.push(perToken((l) => sortedTopP(l, 0.7, 0.9, rng.next()), 3));
  }
  for (const g of generators.values()) await g.close();
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const ours = mid(samples.ours);
  const sorted = mid(samples.sorted);
  const stepMs: Record<number, number> = { 1: mid(samples.step1), 16: mid(samples.step16) };
  console.log(`\nSampling one token at a ${QWEN2_VOCAB.toLocaleString('en')}-token vocabulary, temperature 0.7, top-p 0.9 (Zipf-like logits, nucleus ${nucleus} tokens), vs a decode step of the small model with that vocabulary`);
  printTable(
    ['what', 'ms/token', 'ratio to a batch-1 decode step', 'ratio to a batch-16 decode step (per token)'],
    [
      ['TokenSampler (histogram partial selection)', ours, ours / stepMs[1]!, ours / stepMs[16]!],
      ['sort the vocabulary each step', sorted, sorted / stepMs[1]!, sorted / stepMs[16]!],
      ['decode step, batch 1', stepMs[1]!, 1, stepMs[1]! / stepMs[16]!],
      ['decode step, batch 16, per token', stepMs[16]!, stepMs[16]! / stepMs[1]!, 1],
    ],
  );
}

async function main(): Promise<void> {
  try {
    await earlyEosTable();
    if (!process.argv.includes('--skip-vocab')) await vocabularyTable();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
