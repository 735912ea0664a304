import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createRng } from '@smart/core';
import type { EncodedChat, GenerationProgress, GenerationRequest, GenerationResult, Generator } from '@smart/types';
import type { MessageContentFormat } from './chat-prompt';
import { ContinuousBatcher, type BatchRow, type BatchRowResult } from './continuous-batcher';
import { DecoderSessions, type ModelPrompt } from './decoder-sessions';
import { DeviceUnavailableError, InvalidRequestError, ModelLoadError, MllmError } from '../errors';
import { collectEosIds } from './eos-token-ids';
import { checkModelFolder, loadProcessor } from './load-processor';
import { TransformersJsPromptEncoder } from './prompt-encoder';
import { assembleResults, planRows, type GenerationRow, type RowOutput } from './row-plan';
import { loadTransformersJs, type TjsLibrary, type TjsModel, type TjsProcessor } from './transformers-js-surface';
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
  /** Rows decoding together (a request with n samples takes n rows); a finished row's slot is refilled at once. Default 8. */
  batchSize?: number;
  /** How chat messages are given to the template. Default `parts`. */
  messageContent?: MessageContentFormat;
  /** Seeds for requests without `sampling.seed`. Default: crypto.randomInt. */
  seedSource?: () => number;
  /** Monotonic clock in ms. Default performance.now. */
  now?: () => number;
  /** Longest prompt in tokens; a longer request gets finishReason `error` before any model work. Default: the model's max_position_embeddings, else 32 768. */
  maxPromptTokens?: number;
  /** Largest image file (width × height from its header, checked before decoding). Default 89 478 485 (PIL's). */
  maxImagePixels?: number;
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
  batcher: ContinuousBatcher;
  maxPromptTokens: number;
}

type GenerateOptions = { signal?: AbortSignal; onProgress?: GenerationProgress; onTokens?: (newTokens: number) => void };

/**
 * Generator over a local transformers.js folder (fp32, no remote access): continuous batching over the
 * folder's ONNX sessions with per-row KV caches (a finished row stops costing work and its slot is
 * refilled), our own linear-time top-k/top-p sampler, and per-row RNG streams.
 */
export class TransformersJsGenerator implements Generator {
  readonly modelId: string;
  private closed = false;

  private constructor(
    private readonly loaded: Loaded,
    private readonly options: Required<Pick<TransformersJsGeneratorOptions, 'seedSource' | 'now'>>,
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
    const encoder = new TransformersJsPromptEncoder(lib, processor, eosIds, options.messageContent ?? 'parts', options.maxImagePixels);
    const text = (model.config.text_config ?? model.config) as Record<string, unknown>;
    const maxPromptTokens = options.maxPromptTokens ?? (Number.isInteger(text.max_position_embeddings) ? (text.max_position_embeddings as number) : 32_768);
    const now = options.now ?? (() => performance.now());
    const batcher = new ContinuousBatcher(DecoderSessions.of(lib, model, modelPath), eosIds, batchSize, now);
    return new TransformersJsGenerator(
      { lib, model, processor, encoder, eosIds, batcher, maxPromptTokens },
      {
        seedSource: options.seedSource ?? (() => randomInt(2 ** 31)),
        now,
      },
      options.modelId ?? modelPath,
    );
  }

  /**
   * Generates one result per request, in order. Requests expand to `n` rows each, which share the
   * `batchSize` slots with the rows of every other call in flight (admitted in turn across calls). A
   * request that cannot be encoded (bad image, template) gets finishReason `error`; an abort rejects
   * with GenerationAbortedError and frees the call's slots at the next step.
   */
  generate(requests: GenerationRequest[], options: GenerateOptions = {}): Promise<GenerationResult[]> {
    if (this.closed) return Promise.reject(new MllmError('generator is closed'));
    validateRequests(requests);
    return this.run(requests, options);
  }

  /** The PromptEncoder this generator encodes prompts with: training rows encoded by it are token-for-token what generation fed the model. */
  get promptEncoder(): TransformersJsPromptEncoder {
    return this.loaded.encoder;
  }

  /** Decodes token ids with the folder's tokenizer, skipping special tokens (as results do). */
  decode(ids: number[]): string {
    // The library refuses an empty list; a row whose first token is EOS has no text.
    if (ids.length === 0) return '';
    return this.loaded.processor.tokenizer.decode(ids, { skip_special_tokens: true });
  }

  /** Next-token logits [V] after the request's formatted prompt (before any sampling warper). */
  async nextTokenLogits(request: GenerationRequest): Promise<Float32Array> {
    validateRequests([request]);
    if (this.closed) throw new MllmError('generator is closed');
    return this.loaded.batcher.promptLogits(request.id, await this.encode(request));
  }

  /** Lets running calls finish, then releases the ONNX sessions. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.loaded.batcher.idle();
    await this.loaded.model.dispose();
  }

  private async run(requests: GenerationRequest[], options: GenerateOptions): Promise<GenerationResult[]> {
    const { batcher } = this.loaded;
    const seeds = requests.map((r) => r.sampling.seed ?? this.options.seedSource());
    const rows = planRows(requests, seeds);
    const prompts = this.sharedPrompts(requests, rows);
    const batchRows: BatchRow[] = rows.map((row) => {
      const s = requests[row.requestIndex]!.sampling;
      return {
        requestId: requests[row.requestIndex]!.id,
        prompt: () => prompts(row.requestIndex),
        sampling: { temperature: s.temperature, topP: s.topP, topK: s.topK ?? 0 },
        maxNewTokens: s.maxNewTokens,
        rng: createRng(row.seed),
      };
    });
    const rowsLeft = requests.map((r) => r.n ?? 1);
    let done = 0;
    const produced = await batcher.run(batchRows, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onTokens ? { onTokens: options.onTokens } : {}),
      onRowDone: (i) => {
        if (--rowsLeft[rows[i]!.requestIndex]! === 0) options.onProgress?.(++done, requests.length);
      },
    });
    const outputs = produced.map((p) => this.toOutput(p));
    const results = assembleResults(requests, rows, outputs, seeds);
    // A request fails with its first failed row (rows are in request, then sample order).
    outputs.forEach((o, j) => {
      const result = results[rows[j]!.requestIndex]!;
      if (o.finishReason === 'error' && result.error === undefined) Object.assign(result, { finishReason: 'error', error: o.text, text: '' });
    });
    return results;
  }

  /**
   * One encoding per request, shared by its n rows and dropped once its last row has it (pixel values can
   * be MBs); rows of a request are admitted in order.
   */
  private sharedPrompts(requests: readonly GenerationRequest[], rows: readonly GenerationRow[]): (requestIndex: number) => Promise<ModelPrompt> {
    const pending = new Map<number, { prompt: Promise<ModelPrompt>; left: number }>();
    return (index) => {
      let entry = pending.get(index);
      if (!entry) {
        const left = rows.filter((r) => r.requestIndex === index).length;
        entry = { prompt: this.encode(requests[index]!), left };
        pending.set(index, entry);
      }
      if (--entry.left === 0) pending.delete(index);
      return entry.prompt;
    };
  }

  private toOutput(row: BatchRowResult): RowOutput {
    const { tokens, finishReason, promptTokens, startMs, endMs } = row;
    if (finishReason === 'error') return { text: row.error ?? 'generation failed', finishReason, completionTokens: 0, promptTokens: 0, startMs, endMs };
    const text = this.decode(finishReason === 'stop' ? tokens.slice(0, -1) : tokens);
    return { text, finishReason, completionTokens: tokens.length, promptTokens, startMs, endMs };
  }

  /** The request's prompt through the shared PromptEncoder. */
  private async encode(request: GenerationRequest): Promise<ModelPrompt> {
    const { id, prompt, image, system } = request;
    const { maxPromptTokens, encoder } = this.loaded;
    // Tokens are at most a few per character: a prompt that long cannot fit, and tokenizing it would cost memory first.
    if (prompt.length + (system?.length ?? 0) > 16 * maxPromptTokens) throw new InvalidRequestError(id, `prompt of ${prompt.length} characters is far beyond maxPromptTokens ${maxPromptTokens}`);
    const chat = await encoder.encode({ id, prompt, ...(image ? { image } : {}), ...(system !== undefined ? { system } : {}) });
    if (chat.inputIds.length > maxPromptTokens) throw new InvalidRequestError(id, `prompt has ${chat.inputIds.length} tokens, more than maxPromptTokens ${maxPromptTokens}`);
    return toModelPrompt(chat);
  }
}

function toModelPrompt(chat: EncodedChat): ModelPrompt {
  // Shares the encoder's pixel buffer: no copy.
  return { ids: chat.inputIds, ...(chat.pixelValues ? { pixelValues: chat.pixelValues } : {}) };
}
