import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { EncodedChat, GenerationProgress, GenerationRequest, GenerationResult, Generator } from '@smart/types';
import { createBatchStreamer } from './batch-streamer';
import type { MessageContentFormat } from './chat-prompt';
import { decodeRows } from './decode-rows';
import { withRealMaskOnDecodeSteps } from './decode-step-forward';
import { DeviceUnavailableError, GenerationAbortedError, ModelLoadError, MllmError } from '../errors';
import { collectEosIds } from './eos-token-ids';
import { leftPad } from './left-pad';
import { checkModelFolder, loadProcessor } from './load-processor';
import { TransformersJsPromptEncoder } from './prompt-encoder';
import { assembleResults, chunk, planRows, type GenerationRow, type RowOutput } from './row-plan';
import { createSamplingLogitsProcessor } from './sampling-logits-processor';
import { loadTransformersJs, type TjsLibrary, type TjsModel, type TjsProcessor, type TjsTensor } from './transformers-js-surface';
import { validateRequests } from '../validate-request';

/** Execution device of the ONNX sessions. */
export type Device = 'cpu' | 'cuda' | 'webgpu';

/** Options of {@link TransformersJsGenerator.load}. */
export interface TransformersJsGeneratorOptions {
  /** Absolute path of a transformers.js inference folder (config.json, onnx/, tokenizer, processor). */
  modelPath: string;
  /** Default `cpu`. `cuda` needs the CUDA EP libraries onnxruntime-node installs. */
  device?: Device;
  /** intraOpNumThreads of every session (shortcut for `sessionOptions.intraOpNumThreads`). */
  threads?: number;
  /** Copied into every ONNX session (graphOptimizationLevel, ...). */
  sessionOptions?: Record<string, unknown>;
  /** Rows per forward batch (a request with n samples takes n rows). Default 8. */
  batchSize?: number;
  /** How chat messages are given to the template. Default `parts`. */
  messageContent?: MessageContentFormat;
  /** Seeds for requests without `sampling.seed`. Default: crypto.randomInt. */
  seedSource?: () => number;
  /** Monotonic clock in ms. Default performance.now. */
  now?: () => number;
  /** Recorded as `modelId`. Default: the folder path. */
  modelId?: string;
  /** The library module; default is a lazy import of @huggingface/transformers. */
  library?: TjsLibrary;
}

interface Loaded {
  lib: TjsLibrary;
  model: TjsModel;
  processor: TjsProcessor;
  encoder: TransformersJsPromptEncoder;
  eosIds: ReadonlySet<number>;
  padId: bigint;
}

/** A request's prompt as the model receives it. */
interface EncodedPrompt {
  ids: bigint[];
  pixelValues?: TjsTensor;
}

/**
 * Generator over a local transformers.js folder (fp32, no remote access), with our own top-p/top-k
 * sampler, per-row RNG streams, correct left-padded batching and per-row EOS truncation.
 */
export class TransformersJsGenerator implements Generator {
  readonly modelId: string;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly loaded: Loaded,
    private readonly options: Required<Pick<TransformersJsGeneratorOptions, 'batchSize' | 'seedSource' | 'now'>>,
    modelId: string,
  ) {
    this.modelId = modelId;
  }

  /** Loads the folder's model and processor; throws ModelLoadError or DeviceUnavailableError. */
  static async load(options: TransformersJsGeneratorOptions): Promise<TransformersJsGenerator> {
    const { modelPath, device = 'cpu' } = options;
    checkModelFolder(modelPath);
    const batchSize = options.batchSize ?? 8;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    const lib = options.library ?? (await loadTransformersJs());
    const session_options = { ...(options.sessionOptions ?? {}), ...(options.threads ? { intraOpNumThreads: options.threads } : {}) };
    const processor = await loadProcessor(lib, modelPath);
    let model: TjsModel;
    try {
      model = await lib.AutoModelForImageTextToText.from_pretrained(modelPath, { dtype: 'fp32', device, session_options });
    } catch (err) {
      if (device !== 'cpu') throw new DeviceUnavailableError(device, (err as Error).message, { cause: err });
      throw new ModelLoadError(modelPath, `model: ${(err as Error).message}`, { cause: err });
    }
    const eosIds = collectEosIds([model.generation_config, model.config], processor.tokenizer);
    if (eosIds.size === 0) throw new ModelLoadError(modelPath, 'no eos_token_id in generation_config.json, config.json or the tokenizer');
    const padId = BigInt(processor.tokenizer.pad_token_id ?? [...eosIds][0]!);
    const encoder = new TransformersJsPromptEncoder(lib, processor, eosIds, options.messageContent ?? 'parts');
    return new TransformersJsGenerator(
      { lib, model, processor, encoder, eosIds, padId },
      {
        batchSize,
        seedSource: options.seedSource ?? (() => randomInt(2 ** 31)),
        now: options.now ?? (() => performance.now()),
      },
      options.modelId ?? modelPath,
    );
  }

  /**
   * Generates one result per request, in order. Requests are expanded to `n` rows each and run in
   * batches of `batchSize` rows. A request that cannot be encoded (bad image, template) gets
   * finishReason `error`; an abort rejects with GenerationAbortedError. Calls are serialized.
   */
  generate(
    requests: GenerationRequest[],
    options: { signal?: AbortSignal; onProgress?: GenerationProgress; onTokens?: (newTokens: number) => void } = {},
  ): Promise<GenerationResult[]> {
    if (this.closed) return Promise.reject(new MllmError('generator is closed'));
    validateRequests(requests);
    return this.serialized(() => this.run(requests, options));
  }

  /** The PromptEncoder this generator encodes prompts with: training rows encoded by it are token-for-token what generation fed the model. */
  get promptEncoder(): TransformersJsPromptEncoder {
    return this.loaded.encoder;
  }

  /** Decodes token ids with the folder's tokenizer, skipping special tokens (as results do). */
  decode(ids: number[]): string {
    return this.loaded.processor.tokenizer.decode(ids, { skip_special_tokens: true });
  }

  /** Next-token logits [V] after the request's formatted prompt (before any sampling warper). */
  nextTokenLogits(request: GenerationRequest): Promise<Float32Array> {
    validateRequests([request]);
    return this.serialized(async () => {
      const { lib, model } = this.loaded;
      const prompt = await this.encode(request);
      const dims = [1, prompt.ids.length];
      let captured: Float32Array | undefined;
      const capture = createSamplingLogitsProcessor(lib, [{ params: { temperature: 0, topP: 1, topK: 0 }, rng: { next: () => 0 } }], (row) => {
        captured ??= Float32Array.from(row);
      });
      await model.generate({
        input_ids: new lib.Tensor('int64', BigInt64Array.from(prompt.ids), dims),
        attention_mask: new lib.Tensor('int64', new BigInt64Array(prompt.ids.length).fill(1n), dims),
        ...(prompt.pixelValues ? { pixel_values: prompt.pixelValues } : {}),
        max_new_tokens: 1,
        do_sample: false,
        logits_processor: [capture],
      });
      return captured!;
    });
  }

  /** Releases the ONNX sessions. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.loaded.model.dispose();
  }

  /** Runs `task` after every earlier call on this instance has settled. */
  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(
    requests: GenerationRequest[],
    options: { signal?: AbortSignal; onProgress?: GenerationProgress; onTokens?: (newTokens: number) => void },
  ): Promise<GenerationResult[]> {
    const { signal } = options;
    const seeds = requests.map((r) => r.sampling.seed ?? this.options.seedSource());
    const rows = planRows(requests, seeds);
    const outputs: RowOutput[] = new Array(rows.length);
    const rowsLeft = requests.map((r) => r.n ?? 1);
    let done = 0;
    const encoded = new Map<number, EncodedPrompt | Error>();
    let offset = 0;
    for (const batch of chunk(rows, this.options.batchSize)) {
      if (signal?.aborted) throw new GenerationAbortedError(signal.reason);
      const start = this.options.now();
      const ready: { row: GenerationRow; index: number; prompt: EncodedPrompt }[] = [];
      for (const [i, row] of batch.entries()) {
        const prompt = await this.encodeOnce(encoded, requests, row.requestIndex);
        if (prompt instanceof Error) outputs[offset + i] = errorRow(prompt, start, this.options.now());
        else ready.push({ row, index: offset + i, prompt });
      }
      if (ready.length > 0) {
        try {
          const produced = await this.runBatch(requests, ready, options);
          const end = this.options.now();
          produced.forEach((p, j) => (outputs[ready[j]!.index] = { ...p, startMs: start, endMs: end }));
        } catch (err) {
          if (err instanceof GenerationAbortedError) throw err;
          const end = this.options.now();
          for (const r of ready) outputs[r.index] = errorRow(err as Error, start, end);
        }
      }
      for (const row of batch) {
        if (--rowsLeft[row.requestIndex]! > 0) continue;
        done++;
        // A request's rows are consecutive: once its last row ran, drop its prompt (pixel values can be MBs).
        encoded.delete(row.requestIndex);
      }
      options.onProgress?.(done, requests.length);
      offset += batch.length;
    }
    const results = assembleResults(requests, rows, outputs, seeds);
    // A request fails with its first failed row (rows are in request, then sample order).
    outputs.forEach((o, j) => {
      const result = results[rows[j]!.requestIndex]!;
      if (o.finishReason === 'error' && result.error === undefined) Object.assign(result, { finishReason: 'error', error: o.text, text: '' });
    });
    return results;
  }

  private async encodeOnce(cache: Map<number, EncodedPrompt | Error>, requests: GenerationRequest[], index: number): Promise<EncodedPrompt | Error> {
    let hit = cache.get(index);
    if (!hit) {
      try {
        hit = await this.encode(requests[index]!);
      } catch (err) {
        if (!(err instanceof MllmError)) throw err;
        hit = err;
      }
      cache.set(index, hit);
    }
    return hit;
  }

  /** The request's prompt through the shared PromptEncoder, as library tensors. */
  private async encode(request: GenerationRequest): Promise<EncodedPrompt> {
    const { id, prompt, image, system } = request;
    return toModelPrompt(this.loaded.lib, await this.loaded.encoder.encode({ id, prompt, ...(image ? { image } : {}), ...(system !== undefined ? { system } : {}) }));
  }

  /** One forward batch: left-pad, generate with our sampler and the decode-step fix, cut rows at EOS. */
  private async runBatch(
    requests: GenerationRequest[],
    ready: { row: GenerationRow; prompt: EncodedPrompt }[],
    options: { signal?: AbortSignal; onTokens?: (newTokens: number) => void },
  ): Promise<Omit<RowOutput, 'startMs' | 'endMs'>[]> {
    const { lib, model, processor, eosIds, padId } = this.loaded;
    const padded = leftPad(
      ready.map((r) => r.prompt.ids),
      padId,
    );
    const dims = [padded.batchSize, padded.length];
    const pixels = ready.map((r) => r.prompt.pixelValues).filter((p): p is TjsTensor => p !== undefined);
    const samplers = ready.map(({ row }) => {
      const s = requests[row.requestIndex]!.sampling;
      const rng = new lib.random.Random(row.seed);
      return { params: { temperature: s.temperature, topP: s.topP, topK: s.topK ?? 0 }, rng: { next: () => rng.random() } };
    });
    const budgets = ready.map(({ row }) => requests[row.requestIndex]!.sampling.maxNewTokens);
    const finished = new Array<boolean>(ready.length).fill(false);
    let step = 0;
    const streamer = createBatchStreamer(lib, {
      signal: options.signal,
      onStep: (tokens) => {
        let counted = 0;
        tokens.forEach((t, b) => {
          if (finished[b] || step >= budgets[b]!) return;
          counted++;
          if (eosIds.has(Number(t))) finished[b] = true;
        });
        step++;
        if (counted > 0) options.onTokens?.(counted);
      },
    });
    const sequences = await withRealMaskOnDecodeSteps(model).generate({
      input_ids: new lib.Tensor('int64', padded.inputIds, dims),
      attention_mask: new lib.Tensor('int64', padded.attentionMask, dims),
      ...(pixels.length > 0 ? { pixel_values: pixels.length === 1 ? pixels[0] : lib.cat(pixels, 0) } : {}),
      max_new_tokens: Math.max(...budgets),
      do_sample: false,
      eos_token_id: [...eosIds],
      logits_processor: [createSamplingLogitsProcessor(lib, samplers)],
      streamer,
    });
    return decodeRows(sequences.tolist() as bigint[][], padded.length, ready, budgets, eosIds, processor.tokenizer);
  }
}

function toModelPrompt(lib: Pick<TjsLibrary, 'Tensor'>, chat: EncodedChat): EncodedPrompt {
  const ids = chat.inputIds.map((id) => BigInt(id));
  if (!chat.pixelValues) return { ids };
  // Shares the encoder's buffer: no copy of the pixels.
  return { ids, pixelValues: new lib.Tensor('float32', chat.pixelValues.data, chat.pixelValues.shape) };
}

function errorRow(err: Error, startMs: number, endMs: number): RowOutput {
  return { text: err.message, finishReason: 'error', completionTokens: 0, promptTokens: 0, startMs, endMs };
}
