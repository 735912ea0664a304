import type { TensorData } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchShapeError, EngineStateError, EngineUsageError } from '../errors';
import { ARTIFACT_FILES, writeCheckpoint, writeGraphArtifacts } from './artifacts';
import { batchFeeds } from './batch-feeds';
import { dpoMetrics } from './dpo-metrics';
import { checkExecutionProvider, sessionOptions } from './execution-provider';
import { buildOptimizerGraph } from './optimizer-graph';
import { buildEvalGraph, buildTrainingGraph } from './training-graphs';
import type { Engine, EngineOptions, EngineState, FloatArray, LogProbs, PreferenceBatch, SftBatch, StepMetrics, TokenBatch } from './types';

interface Param {
  shape: number[];
  param: FloatArray;
  m: FloatArray;
  v: FloatArray;
  /** Σ weight·gradient of the micro-batches since the last update. */
  acc: FloatArray;
  /** The value the reference pass feeds: the start weights (LoRA: zeros, i.e. adapters off). */
  reference: FloatArray;
}

const f64 = (t: ort.Tensor) => Float64Array.from(t.data as FloatArray);

/** Converts float weights to the engine dtype (oracle tests build float64 engines from float32 checkpoints). */
function inDtype(weights: ReadonlyMap<string, TensorData>, dtype: 'float32' | 'float64'): Map<string, TensorData> {
  const Ctor = dtype === 'float64' ? Float64Array : Float32Array;
  const out = new Map<string, TensorData>();
  for (const [name, t] of weights) {
    const isFloat = t.dtype === 'float32' || t.dtype === 'float64';
    out.set(name, isFloat && t.dtype !== dtype ? { dtype, shape: t.shape, data: Ctor.from(t.data as FloatArray) } : t);
  }
  return out;
}

/**
 * Builds the training, eval and optimizer graphs for `options`, writes them (and the initial checkpoint) to the
 * artifacts folder, and opens ORT sessions on them: everything the engine runs is what is on disk.
 */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const provider = options.executionProvider ?? 'cpu';
  if (provider !== 'cpu') await checkExecutionProvider(provider);
  const dtype = options.dtype ?? 'float32';
  const weights = inDtype(options.weights, dtype);
  const lora = options.lora ? { ...options.lora, adapters: inDtype(options.lora.adapters, dtype) } : undefined;
  const o: EngineOptions = { ...options, weights, ...(lora ? { lora } : {}), dtype };
  const training = buildTrainingGraph(o, weights);
  const evaluation = buildEvalGraph(o, weights);
  const specs = training.trainable.map((v) => ({ name: v.name, shape: v.shape as number[], dtype }));
  const optimizer = buildOptimizerGraph(specs, o.optimizer);
  const ownDir = options.artifactsDir === undefined;
  const dir = options.artifactsDir ?? (await mkdtemp(join(tmpdir(), 'smart-dpo-engine-')));
  await mkdir(dir, { recursive: true });
  const Ctor = dtype === 'float64' ? Float64Array : Float32Array;
  const params = new Map<string, Param>();
  for (const s of specs) {
    const source = (lora?.adapters.get(s.name) ?? weights.get(s.name))!;
    const param = Ctor.from(source.data as FloatArray);
    const n = param.length;
    const reference = lora ? new Ctor(n) : Ctor.from(param);
    params.set(s.name, { shape: s.shape, param, m: new Ctor(n), v: new Ctor(n), acc: new Ctor(n), reference });
  }
  await writeGraphArtifacts(dir, { training: training.graph, eval: evaluation.graph, optimizer }, {
    dtype,
    objective: o.objective,
    optimizer: o.optimizer,
    trainable: specs.map((s) => s.name),
  });
  await writeCheckpoint(join(dir, ARTIFACT_FILES.checkpoint), 0, params);
  const opts = sessionOptions(provider, dtype, options.intraOpThreads);
  const sessions = {
    training: await ort.InferenceSession.create(join(dir, ARTIFACT_FILES.training), opts),
    eval: await ort.InferenceSession.create(join(dir, ARTIFACT_FILES.eval), opts),
    optimizer: await ort.InferenceSession.create(join(dir, ARTIFACT_FILES.optimizer), opts),
  };
  return new OnnxEngine(o, dir, ownDir, params, sessions);
}

class OnnxEngine implements Engine {
  private step = 0;
  private pending = 0;
  private closed = false;

  constructor(
    private readonly o: EngineOptions,
    readonly artifactsDir: string,
    private readonly ownDir: boolean,
    private readonly params: Map<string, Param>,
    private readonly sessions: Record<'training' | 'eval' | 'optimizer', ort.InferenceSession>,
  ) {}

  private get dtype(): 'float32' | 'float64' {
    return this.o.dtype ?? 'float32';
  }

  private tensor(data: FloatArray, shape: number[]): ort.Tensor {
    return new ort.Tensor(this.dtype, data, shape);
  }

  private scalar(x: number): ort.Tensor {
    return this.tensor(this.dtype === 'float64' ? Float64Array.of(x) : Float32Array.of(x), []);
  }

  private live(method: string): void {
    if (this.closed) throw new EngineUsageError(method, 'the engine is closed');
  }

  async sequenceLogProbs(batch: TokenBatch, options: { reference?: boolean } = {}): Promise<LogProbs> {
    this.live('sequenceLogProbs');
    const feeds = batchFeeds(batch, this.o.config, this.o.images ?? 'pixels', this.dtype);
    for (const [name, p] of this.params) feeds[name] = this.tensor(options.reference ? p.reference : p.param, p.shape);
    const out = await this.sessions.eval.run(feeds, ['logps', 'token_counts']);
    return { logps: f64(out['logps']!), tokenCounts: f64(out['token_counts']!) };
  }

  async accumulate(batch: PreferenceBatch | SftBatch, weight: number): Promise<StepMetrics> {
    this.live('accumulate');
    const feeds = batchFeeds(batch, this.o.config, this.o.images ?? 'pixels', this.dtype);
    const ob = this.o.objective;
    let ref: Float64Array | undefined;
    if (ob.kind === 'dpo') {
      const r = (batch as PreferenceBatch).refLogProbs;
      if (batch.rows % 2 !== 0) throw new BatchShapeError('rows', `a DPO batch has 2N rows (chosen then rejected), got ${batch.rows}`);
      if (!r || r.length !== batch.rows) throw new BatchShapeError('refLogProbs', `need ${batch.rows} reference log-probs, got ${r?.length ?? 0}`);
      ref = Float64Array.from(r);
      feeds['ref_logps'] = this.tensor(this.dtype === 'float64' ? ref : Float32Array.from(ref), [batch.rows]);
    }
    feeds['loss_weight'] = this.scalar(weight);
    for (const [name, p] of this.params) feeds[name] = this.tensor(p.param, p.shape);
    const out = await this.sessions.training.run(feeds);
    for (const [name, p] of this.params) {
      const g = out[`${name}.grad`]!.data as FloatArray;
      for (let i = 0; i < g.length; i++) p.acc[i]! += g[i]!;
    }
    this.pending++;
    const loss = Number(out['loss']!.data[0]);
    const tokenCounts = f64(out['token_counts']!);
    if (ob.kind === 'sft') return { loss, count: batch.rows, tokens: tokenCounts.reduce((a, b) => a + b, 0) };
    return dpoMetrics(
      { logps: f64(out['logps']!), tokenCounts, logitSums: f64(out['logit_sums']!), refLogps: ref! },
      { beta: ob.beta, lossType: ob.lossType, vocabSize: this.o.config.text.vocab_size, loss, ...(out['nll_loss'] ? { nll: Number(out['nll_loss'].data[0]) } : {}) },
    );
  }

  async applyUpdate(lr: number): Promise<{ gradNorm: number }> {
    this.live('applyUpdate');
    if (this.pending === 0) throw new EngineUsageError('applyUpdate', 'no micro-batch was accumulated since the last update');
    const feeds: Record<string, ort.Tensor> = { lr: this.scalar(lr), step: this.scalar(this.step + 1) };
    for (const [name, p] of this.params) {
      feeds[name] = this.tensor(p.param, p.shape);
      feeds[`${name}.grad`] = this.tensor(p.acc, p.shape);
      feeds[`${name}.m`] = this.tensor(p.m, p.shape);
      feeds[`${name}.v`] = this.tensor(p.v, p.shape);
    }
    const out = await this.sessions.optimizer.run(feeds);
    for (const [name, p] of this.params) {
      p.param = out[`${name}.new`]!.data as FloatArray;
      p.m = out[`${name}.m.new`]!.data as FloatArray;
      p.v = out[`${name}.v.new`]!.data as FloatArray;
      p.acc.fill(0);
    }
    this.step++;
    this.pending = 0;
    return { gradNorm: Number(out['grad_norm']!.data[0]) };
  }

  getState(): EngineState {
    const tensors: EngineState['tensors'] = new Map();
    for (const [name, p] of this.params) tensors.set(name, { param: p.param.slice(), m: p.m.slice(), v: p.v.slice() });
    return { step: this.step, tensors };
  }

  setState(state: EngineState): void {
    this.live('setState');
    for (const name of this.params.keys()) if (!state.tensors.has(name)) throw new EngineStateError(name, 'missing from the state');
    for (const [name, t] of state.tensors) {
      const p = this.params.get(name);
      if (!p) throw new EngineStateError(name, 'not a trainable tensor of this engine');
      for (const k of ['param', 'm', 'v'] as const) {
        if (t[k].length !== p.param.length) throw new EngineStateError(name, `${k} has ${t[k].length} values, expected ${p.param.length}`);
        if (t[k].constructor !== p.param.constructor) throw new EngineStateError(name, `${k} is not ${this.dtype}`);
      }
    }
    for (const [name, t] of state.tensors) {
      const p = this.params.get(name)!;
      Object.assign(p, { param: t.param.slice(), m: t.m.slice(), v: t.v.slice() });
      p.acc.fill(0);
    }
    this.step = state.step;
    this.pending = 0;
  }

  trainableTensors(): Map<string, TensorData> {
    return new Map([...this.params].map(([name, p]) => [name, { dtype: this.dtype, shape: p.shape, data: p.param.slice() }]));
  }

  async writeCheckpoint(): Promise<string> {
    const path = join(this.artifactsDir, ARTIFACT_FILES.checkpoint);
    await writeCheckpoint(path, this.step, this.params);
    return path;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of Object.values(this.sessions)) await s.release();
    if (this.ownDir) await rm(this.artifactsDir, { recursive: true, force: true });
  }
}
