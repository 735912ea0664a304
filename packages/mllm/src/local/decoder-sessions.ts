import type { EncodedPixels } from '@smart/types';
import { ModelLoadError, PromptFormatError } from '../errors';
import type { MropeTokens } from '@smart/core';
import { linearPositions, mropePositions, type PromptPositions } from './mrope-positions';
import type { OrtOutput, OrtSession, TjsLibrary, TjsModel } from './transformers-js-surface';

/** One decoder call: S new positions for each of B rows on top of a left-padded cache of `pastLength`. */
export interface DecoderCall {
  /** [B, S, H] */
  embeds: Float32Array;
  batch: number;
  seq: number;
  /** [B, pastLength + S], 0 on padding. */
  attentionMask: BigInt64Array;
  /** [B, S], or [3, B, S] for M-RoPE decoders ({@link DecoderSessions.positionRows} rows). */
  positionIds: BigInt64Array;
  /** past_key_values.{i}.key, .value per layer (2 · layers arrays), each [B, kv_heads, pastLength, head_dim]. */
  past: readonly Float32Array[];
  pastLength: number;
}

/** What one decoder call returns. */
export interface DecoderOutput {
  /** Logits of each row's last position, [B, V]. */
  logits: Float32Array;
  vocab: number;
  /** present.{i}.key, .value per layer, each [B, kv_heads, pastLength + S, head_dim]. */
  present: Float32Array[];
}

/** A prompt ready for the model: token ids and, for image requests, the processor's pixels. */
export interface ModelPrompt {
  ids: readonly number[];
  pixelValues?: EncodedPixels;
}

/**
 * The folder's ONNX sessions run directly (the session contract of specs/transformers-js.md):
 * embed_tokens, vision_encoder and decoder_model_merged with an explicit KV cache. Why not the library's
 * `generate`: it keeps decoding finished rows until every row stops and cannot add rows mid-run, which
 * the continuous batcher needs.
 */
export class DecoderSessions {
  /** Decoder layers: how many past_key_values.{i} pairs the decoder takes. */
  readonly layers: number;
  readonly kvHeads: number;
  readonly headDim: number;
  /** Rows of position_ids: 1, or 3 for Qwen2-VL's M-RoPE (temporal, height, width). */
  readonly positionRows: 1 | 3;

  private constructor(
    private readonly lib: Pick<TjsLibrary, 'Tensor'>,
    private readonly embed: OrtSession,
    private readonly decoder: OrtSession,
    private readonly vision: OrtSession | undefined,
    private readonly imageTokenId: number | undefined,
    geometry: { layers: number; kvHeads: number; headDim: number },
    /** Set for Qwen2-VL folders: vision_encoder takes flattened patches + grid_thw, position_ids are [3, B, S]. */
    private readonly mrope: MropeTokens | undefined,
  ) {
    this.positionRows = mrope ? 3 : 1;
    this.layers = geometry.layers;
    this.kvHeads = geometry.kvHeads;
    this.headDim = geometry.headDim;
  }

  /** Checks the sessions against the contract; throws ModelLoadError naming what is missing. */
  static of(lib: Pick<TjsLibrary, 'Tensor'>, model: TjsModel, path: string): DecoderSessions {
    const { embed_tokens: embed, decoder_model_merged: decoder, vision_encoder: vision } = model.sessions ?? {};
    if (!embed || !decoder) throw new ModelLoadError(path, 'the folder needs onnx/embed_tokens.onnx and onnx/decoder_model_merged.onnx');
    for (const name of ['inputs_embeds', 'attention_mask', 'position_ids']) {
      if (!decoder.inputNames.includes(name)) throw new ModelLoadError(path, `decoder_model_merged has no ${name} input`);
    }
    if (vision && !vision.inputNames.includes('pixel_values')) throw new ModelLoadError(path, 'the vision encoder takes no pixel_values (LLaVA [B, 3, H, W] or Qwen2-VL patches + grid_thw)');
    let layers = 0;
    while (decoder.inputNames.includes(`past_key_values.${layers}.key`)) layers++;
    if (layers === 0) throw new ModelLoadError(path, 'decoder_model_merged takes no past_key_values.{i}.key inputs (export it with a KV cache)');
    const shape = decoder.inputMetadata?.find((m) => m.name === 'past_key_values.0.key')?.shape;
    const text = (model.config.text_config ?? model.config) as Record<string, unknown>;
    const heads = Number(text.num_attention_heads);
    const kvHeads = typeof shape?.[1] === 'number' ? shape[1] : Number(text.num_key_value_heads ?? heads);
    const headDim = typeof shape?.[3] === 'number' ? shape[3] : Number(text.head_dim ?? Number(text.hidden_size) / heads);
    if (!Number.isInteger(kvHeads) || !Number.isInteger(headDim) || kvHeads < 1 || headDim < 1) {
      throw new ModelLoadError(path, 'cannot tell kv_heads and head_dim from the decoder inputs or config.json');
    }
    const imageToken = model.config.image_token_index ?? model.config.image_token_id;
    const imageTokenId = typeof imageToken === 'number' ? imageToken : undefined;
    const mrope = mropeConfigOf(model, decoder, vision, imageTokenId, path);
    return new DecoderSessions(lib, embed, decoder, vision, imageTokenId, { layers, kvHeads, headDim }, mrope);
  }

  /** The prompt's position ids [positionRows, L] and rope delta (0 without M-RoPE). */
  promptPositions(requestId: string, prompt: ModelPrompt): PromptPositions {
    if (!this.mrope) return linearPositions(prompt.ids.length);
    const grid = prompt.pixelValues?.gridThw;
    try {
      return mropePositions(this.mrope, prompt.ids, grid ? [grid] : []);
    } catch (err) {
      throw new PromptFormatError(requestId, (err as Error).message);
    }
  }

  /** Token embeddings [B, S, H] of ids [B, S]. */
  async embedTokens(ids: BigInt64Array, batch: number, seq: number): Promise<Float32Array> {
    const out = await this.embed.run({ input_ids: this.tensor('int64', ids, [batch, seq]) });
    return floats(out.inputs_embeds, 'inputs_embeds');
  }

  /**
   * Prompt embeddings [1, L, H]: token embeddings with the image features written over the image-token
   * positions, in order (the processor already expanded the image token to N copies; Qwen2-VL's encoder
   * gets the patches with their grid_thw and returns N = t·h·w / merge² features).
   */
  async promptEmbeds(requestId: string, prompt: ModelPrompt): Promise<Float32Array> {
    const embeds = await this.embedTokens(BigInt64Array.from(prompt.ids, (id) => BigInt(id)), 1, prompt.ids.length);
    if (!prompt.pixelValues) return embeds;
    if (!this.vision || this.imageTokenId === undefined) throw new PromptFormatError(requestId, 'the folder has no vision_encoder or image_token_index, but the request has an image');
    const { data, shape, gridThw } = prompt.pixelValues;
    const feeds: Record<string, unknown> = { pixel_values: this.tensor('float32', data, [...shape]) };
    if (this.mrope) {
      if (!gridThw) throw new PromptFormatError(requestId, 'a Qwen2-VL vision encoder needs the image grid_thw with its patches');
      feeds.grid_thw = this.tensor('int64', BigInt64Array.from(gridThw, BigInt), [1, 3]);
    }
    const out = await this.vision.run(feeds);
    const features = floats(out.image_features, 'image_features'); // [1, N, H] (LLaVA) or [N, H] (Qwen2-VL)
    const hidden = embeds.length / prompt.ids.length;
    const positions = prompt.ids.flatMap((id, i) => (id === this.imageTokenId ? [i] : []));
    if (positions.length * hidden !== features.length) {
      throw new PromptFormatError(requestId, `${positions.length} image tokens in the prompt but the vision encoder returned ${features.length / hidden} features`);
    }
    positions.forEach((p, n) => embeds.set(features.subarray(n * hidden, (n + 1) * hidden), p * hidden));
    return embeds;
  }

  /** Runs decoder_model_merged once; only the last position's logits are computed when the decoder allows it. */
  async decode(call: DecoderCall): Promise<DecoderOutput> {
    const { batch, seq, pastLength } = call;
    const hidden = call.embeds.length / (batch * seq);
    const feeds: Record<string, unknown> = {
      inputs_embeds: this.tensor('float32', call.embeds, [batch, seq, hidden]),
      attention_mask: this.tensor('int64', call.attentionMask, [batch, pastLength + seq]),
      position_ids: this.tensor('int64', call.positionIds, this.mrope ? [3, batch, seq] : [batch, seq]),
    };
    const pastShape = [batch, this.kvHeads, pastLength, this.headDim];
    for (let i = 0; i < this.layers; i++) {
      feeds[`past_key_values.${i}.key`] = this.tensor('float32', call.past[2 * i]!, pastShape);
      feeds[`past_key_values.${i}.value`] = this.tensor('float32', call.past[2 * i + 1]!, pastShape);
    }
    const inputs = this.decoder.inputNames;
    if (inputs.includes('num_logits_to_keep')) feeds.num_logits_to_keep = this.tensor('int64', BigInt64Array.of(1n), []);
    if (inputs.includes('use_cache_branch')) feeds.use_cache_branch = this.tensor('bool', Uint8Array.of(pastLength > 0 ? 1 : 0), [1]);
    const out = await this.decoder.run(feeds);
    const present: Float32Array[] = [];
    for (let i = 0; i < this.layers; i++) present.push(floats(out[`present.${i}.key`], `present.${i}.key`), floats(out[`present.${i}.value`], `present.${i}.value`));
    const logits = floats(out.logits, 'logits'); // [B, k, V]
    const [, kept, vocab] = out.logits!.dims as [number, number, number];
    if (kept === 1) return { logits, vocab, present };
    const last = new Float32Array(batch * vocab);
    for (let b = 0; b < batch; b++) last.set(logits.subarray((b * kept + kept - 1) * vocab, (b * kept + kept) * vocab), b * vocab);
    return { logits: last, vocab, present };
  }

  private tensor(type: string, data: ArrayLike<number | bigint>, dims: number[]): unknown {
    return new this.lib.Tensor(type, data, dims).ort_tensor;
  }
}

/** Qwen2-VL's M-RoPE settings when the folder is one (vision encoder with grid_thw, or 3-row position ids); undefined otherwise. */
function mropeConfigOf(model: TjsModel, decoder: OrtSession, vision: OrtSession | undefined, imageTokenId: number | undefined, path: string): MropeTokens | undefined {
  const positionShape = decoder.inputMetadata?.find((m) => m.name === 'position_ids')?.shape;
  const patches = vision?.inputNames.includes('grid_thw') ?? false;
  if (!patches && positionShape?.length !== 3 && model.config.model_type !== 'qwen2_vl') return undefined;
  const config = model.config as Record<string, unknown>;
  const visionConfig = (config.vision_config ?? {}) as Record<string, unknown>;
  const start = config.vision_start_token_id;
  const merge = visionConfig.spatial_merge_size ?? 2;
  if (imageTokenId === undefined || typeof start !== 'number' || typeof merge !== 'number' || !Number.isInteger(merge) || merge < 1) {
    throw new ModelLoadError(path, 'a Qwen2-VL folder needs image_token_id, vision_start_token_id and vision_config.spatial_merge_size in config.json');
  }
  return { imageTokenId, visionStartTokenId: start, spatialMergeSize: merge };
}

function floats(output: OrtOutput | undefined, name: string): Float32Array {
  if (!output || !(output.data instanceof Float32Array)) throw new TypeError(`session output ${name} is missing or not float32`);
  return output.data;
}
