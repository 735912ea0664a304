import { serializeModel, type Graph } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { int64Rows } from '../../test/int64-rows';
import { imageRows, patchBatch, testImage } from '../../test/qwen2-vl-batch';
import { buildQwen2VlForward } from './forward';
import { buildQwen2VlInferenceGraphs } from './inference-graphs';
import { randomQwen2VlWeights } from './random-weights';
import { qwen2VlRopeIndex } from './rope-index';
import { tinyQwen2VlConfig } from './tiny-model';

describe('Qwen2-VL transformers.js inference graphs', () => {
  jest.setTimeout(120_000);
  const { config, padTokenId } = tinyQwen2VlConfig();
  const weights = randomQwen2VlWeights(config, { seed: 9, std: 0.08 });
  const { hidden_size: H, vocab_size: V, num_key_value_heads: kvh, head_dim: hd, num_hidden_layers: L } = config.text;

  it('KV-cached decoding (prompt, then one token at a time, M-RoPE positions + rope delta) equals the full forward, two image sizes, left padding', async () => {
    const graphs = buildQwen2VlInferenceGraphs(config, weights);
    const session = (g: Graph) => ort.InferenceSession.create(serializeModel(g).model);
    const [embed, vision, decoder, full] = await Promise.all([
      session(graphs.embedTokens),
      session(graphs.visionEncoder),
      session(graphs.decoder),
      session(buildQwen2VlForward(config, weights).graph),
    ]);
    const B = 2;
    const S = 30;
    const prompt = 20;
    const { ids, mask } = imageRows(config, [{ pad: 0, before: 2, imageTokens: 8 }, { pad: 4, before: 1, imageTokens: 6 }], S, padTokenId);
    const patches = patchBatch(config, [
      { height: 16, width: 32, data: testImage(16, 32, 3) },
      { height: 24, width: 16, data: testImage(24, 16, 4) },
    ]);
    const rope = qwen2VlRopeIndex(config, ids, patches.gridThw, mask);
    const pixelValues = new ort.Tensor('float32', patches.data, [patches.rows, config.vision.patch_dim]);
    const ref = (
      await full.run({
        input_ids: int64Rows(ids),
        attention_mask: int64Rows(mask),
        position_ids: new ort.Tensor('int64', rope.positionIds, rope.shape),
        pixel_values: pixelValues,
        image_grid_thw: int64Rows(patches.gridThw),
      })
    )['logits']!.data as Float32Array;

    // Prompt step: embeddings with the vision encoder's features spliced in at the image pads (as transformers.js does).
    const cols = (rows: number[][], a: number, b: number) => rows.map((r) => r.slice(a, b));
    const embeds = Float32Array.from((await embed.run({ input_ids: int64Rows(cols(ids, 0, prompt)) }))['inputs_embeds']!.data as Float32Array);
    const feats = (await vision.run({ pixel_values: pixelValues, grid_thw: int64Rows(patches.gridThw) }))['image_features']!;
    expect(feats.dims).toEqual([14, H]);
    const fd = feats.data as Float32Array;
    let k = 0;
    for (let b = 0; b < B; b++) for (let s = 0; s < prompt; s++) if (ids[b]![s] === config.image_token_id) embeds.set(fd.subarray(k * H, ++k * H), (b * prompt + s) * H);
    expect(k).toBe(14);

    // Prompt positions are the rope index's first `prompt` columns; a decode step at index s uses s + delta on all axes.
    const promptPositions = new BigInt64Array(3 * B * prompt);
    for (let r = 0; r < 3; r++) for (let b = 0; b < B; b++) for (let s = 0; s < prompt; s++) promptPositions[(r * B + b) * prompt + s] = rope.positionIds[(r * B + b) * S + s]!;
    const stepPositions = (s: number) => new ort.Tensor('int64', BigInt64Array.from([0, 1, 2].flatMap(() => rope.deltas.map((d) => BigInt(s + d)))), [3, B, 1]);

    let past: Record<string, ort.Tensor> = {};
    for (let i = 0; i < L; i++) {
      past[`past_key_values.${i}.key`] = new ort.Tensor('float32', new Float32Array(0), [B, kvh, 0, hd]);
      past[`past_key_values.${i}.value`] = new ort.Tensor('float32', new Float32Array(0), [B, kvh, 0, hd]);
    }
    let maxErr = 0;
    const compare = (logits: Float32Array, from: number, count: number) => {
      for (let b = 0; b < B; b++)
        for (let j = 0; j < count; j++) {
          if (!mask[b]![from + j]) continue;
          for (let v = 0; v < V; v++) maxErr = Math.max(maxErr, Math.abs(logits[(b * count + j) * V + v]! - ref[(b * S + from + j) * V + v]!));
        }
    };
    const step = async (inputsEmbeds: ort.Tensor, positionIds: ort.Tensor, to: number, keep: number) => {
      const out = await decoder.run({
        inputs_embeds: inputsEmbeds,
        attention_mask: int64Rows(cols(mask, 0, to)),
        position_ids: positionIds,
        num_logits_to_keep: new ort.Tensor('int64', BigInt64Array.from([BigInt(keep)]), []),
        ...past,
      });
      past = {};
      for (let i = 0; i < L; i++) {
        past[`past_key_values.${i}.key`] = out[`present.${i}.key`]!;
        past[`past_key_values.${i}.value`] = out[`present.${i}.value`]!;
      }
      return out['logits']!;
    };
    const first = await step(new ort.Tensor('float32', embeds, [B, prompt, H]), new ort.Tensor('int64', promptPositions, [3, B, prompt]), prompt, 0);
    expect(first.dims).toEqual([B, prompt, V]);
    compare(first.data as Float32Array, 0, prompt);
    for (let s = prompt; s < S; s++) {
      const e = (await embed.run({ input_ids: int64Rows(cols(ids, s, s + 1)) }))['inputs_embeds']!;
      const logits = await step(e, stepPositions(s), s + 1, 1);
      expect(logits.dims).toEqual([B, 1, V]);
      compare(logits.data as Float32Array, s, 1);
    }
    expect(past['past_key_values.0.key']!.dims).toEqual([B, kvh, S, hd]);
    expect(maxErr).toBeLessThan(1e-5);
  });
});
