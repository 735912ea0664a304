/**
 * @smart/dpo-trainer: one DPO step (forward + backward of the LLaVA training graph, then the AdamW graph) of a
 * Qwen2-shaped ~100M-parameter LLaVA (hidden 768, 8 layers, 12 heads / 2 KV heads, MLP 2048, vocab 32,768;
 * language model + lm_head trained, frozen tower's features cached) at sequence 512, 2 pairs per micro-batch,
 * float32 on ORT's CPU provider. Achieved MatMul FLOP/s (counted from the shapes) is compared with one large
 * ORT MatMul measured in the same run. Then peak RSS of a DPO micro-batch at a 151,646 vocabulary with the
 * completion-only lm_head vs full [B, S, V] logits, each in its own child process (peak RSS is per process).
 *
 *   npx tsx --tsconfig tools/bench/tsconfig.json tools/bench/dpo-trainer/dpo-step.bench.ts [--skip-rss]
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { createEngine, type EngineOptions, type PreferenceBatch, type TokenBatch } from '@smart/dpo-trainer';
import { DEFAULT_LORA_TARGETS, initLoraWeights, parseLlavaConfig, randomLlavaWeights, tinyLlavaConfigJson, type LlavaConfig } from '@smart/models';
import { Graph, matmul, serializeModel } from '@smart/onnx-graph';
import { printTable } from '../lib/table';

const TEXT = { hidden_size: 768, intermediate_size: 2048, num_hidden_layers: 8, num_attention_heads: 12, num_key_value_heads: 2, max_position_embeddings: 1024 };
const S = 512;
const PROMPT = 384;
const COMPLETIONS = { chosen: 128, rejected: 100 };

function qwen2Llava(vocab: number): LlavaConfig {
  const json = tinyLlavaConfigJson({ preset: 'tiny', vocabSize: vocab, imageTokenIndex: vocab - 1, eosTokenId: vocab - 2, padTokenId: vocab - 3 });
  const text = json['text_config'] as Record<string, unknown>;
  const vision = json['vision_config'] as Record<string, unknown>;
  return parseLlavaConfig({ ...json, text_config: { ...text, ...TEXT }, vision_config: { ...vision, image_size: 64 } });
}

/** `pairs` preference pairs, right-padded to S: prompt (image tokens after 16 text tokens), then the completion. */
function dpoBatch(c: LlavaConfig, pairs: number): TokenBatch {
  const rows = 2 * pairs;
  const ids = new BigInt64Array(rows * S);
  const att = new BigInt64Array(rows * S);
  const comp = new BigInt64Array(rows * S);
  const V = c.text.vocab_size - 3;
  for (let r = 0; r < rows; r++) {
    const len = PROMPT + (r < pairs ? COMPLETIONS.chosen : COMPLETIONS.rejected);
    for (let t = 0; t < S; t++) {
      const i = r * S + t;
      const isImage = t >= 16 && t < 16 + c.image_seq_length;
      ids[i] = BigInt(t >= len ? c.text.vocab_size - 3 : isImage ? c.image_token_index : (r * 7919 + t * 104729) % V);
      att[i] = t < len ? 1n : 0n;
      comp[i] = t >= PROMPT && t < len ? 1n : 0n;
    }
  }
  const shape = [rows, c.image_seq_length, c.text.hidden_size];
  const pixelValues = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.01));
  return { rows, seqLen: S, inputIds: ids, attentionMask: att, completionMask: comp, pixelValues, pixelShape: shape };
}

/** MatMul FLOPs of one forward + backward (3× forward: every MatMul has both operands needing gradients). */
function stepFlops(c: LlavaConfig, b: TokenBatch): number {
  const t = c.text;
  const T = b.rows * S;
  const K = b.completionMask.reduce((s, x) => s + Number(x), 0) - 0; // completion positions (token 0 is never one)
  const q = t.num_attention_heads * t.head_dim;
  const kv = t.num_key_value_heads * t.head_dim;
  const perLayer = 2 * T * (t.hidden_size * q + 2 * t.hidden_size * kv + q * t.hidden_size + 3 * t.hidden_size * t.intermediate_size) + 2 * (2 * b.rows * t.num_attention_heads * S * S * t.head_dim);
  const forward = t.num_hidden_layers * perLayer + 2 * K * t.hidden_size * t.vocab_size;
  return 3 * forward;
}

function options(config: LlavaConfig, over: Partial<EngineOptions>): EngineOptions {
  return {
    config,
    weights: randomLlavaWeights(config, { seed: 0 }),
    images: 'features',
    objective: { kind: 'dpo', lossType: 'sigmoid', beta: 0.1, labelSmoothing: 0 },
    optimizer: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, maxGradNorm: 1 },
    ...over,
  };
}

async function withRef(engine: Awaited<ReturnType<typeof createEngine>>, b: TokenBatch): Promise<PreferenceBatch> {
  return { ...b, refLogProbs: (await engine.sequenceLogProbs(b, { reference: true })).logps };
}

/** Child mode: one DPO micro-batch at vocab 151,646 (LoRA r=16, so optimizer state stays small); prints peak RSS. */
async function rssChild(lmHead: 'completion' | 'full'): Promise<void> {
  const config = qwen2Llava(151_646);
  const o = options(config, { completionOnlyLmHead: lmHead === 'completion' });
  const lora = { rank: 16, alpha: 32, targetModules: DEFAULT_LORA_TARGETS };
  const engine = await createEngine({ ...o, lora: { config: lora, adapters: initLoraWeights(o.weights, lora, 1) } });
  const before = process.resourceUsage().maxRSS / 1024;
  const b = dpoBatch(config, 1);
  await engine.accumulate(await withRef(engine, b), 1);
  await engine.applyUpdate(1e-4);
  await engine.close();
  console.log(JSON.stringify({ lmHead, peakMiB: process.resourceUsage().maxRSS / 1024, afterBuildMiB: before }));
}

async function main(): Promise<void> {
  const config = qwen2Llava(32_768);
  const o = options(config, {});
  const params = [...o.weights].filter(([n]) => n.startsWith('language_model.')).reduce((s, [, t]) => s + t.data.length, 0);
  const t0 = performance.now();
  const engine = await createEngine(o);
  const buildMs = performance.now() - t0;
  const batch = dpoBatch(config, 2);
  const N = 2048;
  const mg = new Graph('ceiling');
  mg.output(matmul(mg.input('a', 'float32', [N, N]), mg.input('b', 'float32', [N, N])), 'c');
  const msess = await ort.InferenceSession.create(serializeModel(mg).model, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  const rnd = () => Float32Array.from({ length: N * N }, () => Math.random() * 2 - 1);
  const mfeeds = { a: new ort.Tensor('float32', rnd(), [N, N]), b: new ort.Tensor('float32', rnd(), [N, N]) };
  await msess.run(mfeeds);

  // Wall and process-CPU seconds of a call: on a shared machine, CPU time is what the work itself cost.
  const timed = async (fn: () => Promise<unknown>) => {
    const [w0, c0] = [performance.now(), process.cpuUsage()];
    await fn();
    const c = process.cpuUsage(c0);
    return { wall: (performance.now() - w0) / 1e3, cpu: (c.user + c.system) / 1e6 };
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const runs = Number(process.env['BENCH_RUNS'] ?? 3);
  const flops = stepFlops(config, batch);
  const ceilFlops = 3 * 2 * N ** 3;
  const samples: { ref: number; acc: number; accCpu: number; upd: number; stepWall: number; stepCpu: number; ceilWall: number; ceilCpu: number }[] = [];
  const losses: number[] = [];
  for (let i = 0; i <= runs; i++) {
    let b: PreferenceBatch | undefined;
    const ref = await timed(async () => (b = await withRef(engine, batch)));
    const acc = await timed(async () => losses.push((await engine.accumulate(b!, 1)).loss));
    const upd = await timed(() => engine.applyUpdate(1e-6));
    // The ceiling right after each step, so both see the same machine load.
    const ceil = await timed(async () => {
      for (let k = 0; k < 3; k++) await msess.run(mfeeds);
    });
    if (i > 0) samples.push({ ref: ref.wall, acc: acc.wall, accCpu: acc.cpu, upd: upd.wall, stepWall: acc.wall + upd.wall, stepCpu: acc.cpu + upd.cpu, ceilWall: ceil.wall, ceilCpu: ceil.cpu });
  }
  await engine.close();
  const wallRatio = median(samples.map((x) => flops / x.stepWall / (ceilFlops / x.ceilWall)));
  const cpuRatio = median(samples.map((x) => flops / x.stepCpu / (ceilFlops / x.ceilCpu)));
  // With gradient accumulation (the paper: 128 micro-batches per step) the optimizer graph is amortised away.
  const accRatio = median(samples.map((x) => flops / x.acc / (ceilFlops / x.ceilWall)));
  const accCpuRatio = median(samples.map((x) => flops / x.accCpu / (ceilFlops / x.ceilCpu)));
  const stepS = median(samples.map((x) => x.stepWall));
  const ceilS = median(samples.map((x) => x.ceilWall));
  console.log(`Qwen2-shaped LLaVA: ${(params / 1e6).toFixed(1)}M language-model parameters, vocab ${config.text.vocab_size}, seq ${S}, ${batch.rows} rows; loss ${losses.map((l) => l.toFixed(4)).join(' → ')} (lr 1e-6, same batch)`);
  const rows: (string | number)[][] = [
    ['engine build (graphs, artifacts, sessions), s', buildMs / 1e3],
    ['reference pass (eval graph, once per iteration), s', median(samples.map((x) => x.ref))],
    ['forward + backward (training graph), s', median(samples.map((x) => x.acc))],
    ['AdamW + clipping (optimizer graph), s', median(samples.map((x) => x.upd))],
    ['DPO step (both), s', stepS],
    ['MatMul FLOP per step, GFLOP', flops / 1e9],
    ['achieved, GFLOP/s', flops / stepS / 1e9],
    [`MatMul ceiling ${N}³, GFLOP/s`, ceilFlops / ceilS / 1e9],
    ['achieved / ceiling (wall, median of interleaved runs)', `${(100 * wallRatio).toFixed(1)}%`],
    ['achieved / ceiling (process CPU time)', `${(100 * cpuRatio).toFixed(1)}%`],
    ['forward + backward only / ceiling (wall; CPU time)', `${(100 * accRatio).toFixed(1)}%; ${(100 * accCpuRatio).toFixed(1)}%`],
    ['peak RSS (this process), MiB', process.resourceUsage().maxRSS / 1024],
  ];
  if (!process.argv.includes('--skip-rss')) {
    for (const mode of ['completion', 'full'] as const) {
      const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--rss', mode], { encoding: 'utf8', maxBuffer: 16 << 20 });
      const line = r.stdout.trim().split('\n').pop() ?? '';
      const peak = r.status === 0 ? (JSON.parse(line) as { peakMiB: number }).peakMiB : `failed: ${r.stderr.slice(-200)}`;
      rows.push([`vocab 151,646, 1 pair, LoRA r=16: peak RSS with ${mode} lm_head, MiB`, peak]);
    }
  }
  printTable(['measure', 'value'], rows);
}

const rssAt = process.argv.indexOf('--rss');
void (rssAt >= 0 ? rssChild(process.argv[rssAt + 1] as 'completion' | 'full') : main());
