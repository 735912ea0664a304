import { serializeModel, type Graph } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { int64Rows } from '../../test/int64-rows';
import { buildLlavaForward } from './forward';
import { randomLlavaWeights } from './random-weights';
import { tinyTestConfig } from '../../test/tiny';
import { buildInferenceGraphs } from './inference-graphs';

const IMAGE = 259;

describe('transformers.js inference graphs', () => {
  jest.setTimeout(120_000);
  const { config } = tinyTestConfig({ textModelType: 'llama' });
  const weights = randomLlavaWeights(config, { seed: 9, std: 0.08 });
  const H = config.text.hidden_size;
  const V = config.text.vocab_size;
  const kvh = config.text.num_key_value_heads;
  const hd = config.text.head_dim;

  it('KV-cached decoding (prompt, then one token at a time) equals the full forward, with left padding', async () => {
    const graphs = buildInferenceGraphs(config, weights);
    const session = (g: Graph) => ort.InferenceSession.create(serializeModel(g).model);
    const embed = await session(graphs.embedTokens);
    const vision = await session(graphs.visionEncoder);
    const decoder = await session(graphs.decoder);
    const full = await session(buildLlavaForward(config, weights).graph);
    // Two rows of 30 tokens; row 1 is left-padded by 4. Image tokens at real positions 1..16.
    const B = 2;
    const S = 30;
    const prompt = 22;
    const pads = [0, 4];
    const ids = pads.map((pad, b) =>
      Array.from({ length: S }, (_, s) => (s < pad ? 256 : s - pad >= 1 && s - pad <= 16 ? IMAGE : 33 + ((s * 5 + b * 11) % 90))),
    );
    const mask = pads.map((pad) => Array.from({ length: S }, (_, s) => (s < pad ? 0 : 1)));
    const pos = pads.map((pad) => Array.from({ length: S }, (_, s) => Math.max(0, s - pad)));
    const pixels = Float32Array.from({ length: B * 3 * 32 * 32 }, (_, i) => Math.cos(i * 0.11));

    const ref = (
      await full.run({
        input_ids: int64Rows(ids),
        attention_mask: int64Rows(mask),
        position_ids: int64Rows(pos),
        pixel_values: new ort.Tensor('float32', pixels, [B, 3, 32, 32]),
      })
    )['logits']!.data as Float32Array;

    // Prompt step: embeddings with image features spliced in where the image tokens are (as transformers.js does).
    const cols = (rows: number[][], a: number, b: number) => rows.map((r) => r.slice(a, b));
    const embeds = Float32Array.from((await embed.run({ input_ids: int64Rows(cols(ids, 0, prompt)) }))['inputs_embeds']!.data as Float32Array);
    const feats = (await vision.run({ pixel_values: new ort.Tensor('float32', pixels, [B, 3, 32, 32]) }))['image_features']!.data as Float32Array;
    let k = 0;
    for (let b = 0; b < B; b++) for (let s = 0; s < prompt; s++) if (ids[b]![s] === IMAGE) embeds.set(feats.subarray(k * H, ++k * H), (b * prompt + s) * H);
    expect(k).toBe(B * 16);

    const empty = new Float32Array(0);
    let past: Record<string, ort.Tensor> = {};
    for (let i = 0; i < config.text.num_hidden_layers; i++) {
      past[`past_key_values.${i}.key`] = new ort.Tensor('float32', empty, [B, kvh, 0, hd]);
      past[`past_key_values.${i}.value`] = new ort.Tensor('float32', empty, [B, kvh, 0, hd]);
    }
    let maxErr = 0;
    const compare = (logits: Float32Array, from: number, count: number) => {
      for (let b = 0; b < B; b++)
        for (let j = 0; j < count; j++) {
          const s = from + j;
          if (!mask[b]![s]) continue;
          for (let v = 0; v < V; v++) maxErr = Math.max(maxErr, Math.abs(logits[(b * count + j) * V + v]! - ref[(b * S + s) * V + v]!));
        }
    };
    const step = async (inputsEmbeds: ort.Tensor, from: number, to: number, keep: number) => {
      const out = await decoder.run({
        inputs_embeds: inputsEmbeds,
        attention_mask: int64Rows(cols(mask, 0, to)),
        position_ids: int64Rows(cols(pos, from, to)),
        num_logits_to_keep: new ort.Tensor('int64', BigInt64Array.from([BigInt(keep)]), []),
        ...past,
      });
      past = {};
      for (let i = 0; i < config.text.num_hidden_layers; i++) {
        past[`past_key_values.${i}.key`] = out[`present.${i}.key`]!;
        past[`past_key_values.${i}.value`] = out[`present.${i}.value`]!;
      }
      return out['logits']!;
    };
    const first = await step(new ort.Tensor('float32', embeds, [B, prompt, H]), 0, prompt, 0);
    expect(first.dims).toEqual([B, prompt, V]);
    compare(first.data as Float32Array, 0, prompt);
    for (let s = prompt; s < S; s++) {
      const e = (await embed.run({ input_ids: int64Rows(cols(ids, s, s + 1)) }))['inputs_embeds']!;
      const logits = await step(e, s, s + 1, 1);
      expect(logits.dims).toEqual([B, 1, V]);
      compare(logits.data as Float32Array, s, 1);
    }
    expect(past['past_key_values.0.key']!.dims).toEqual([B, kvh, S, hd]);
    expect(maxErr).toBeLessThan(1e-5);
  });
});
