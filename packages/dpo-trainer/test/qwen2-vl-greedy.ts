import { buildQwen2VlForward, qwen2VlRopeIndex, type Qwen2VlConfig } from '@smart/models';
import { serializeModel, type TensorData } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';

const int64 = (rows: number[][]) => new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [rows.length, rows[0]!.length]);

/** Greedy decoding with models' full-sequence Qwen2-VL graph (no cache; positions from the rope index each step). */
export async function qwen2VlGreedy(
  config: Qwen2VlConfig,
  weights: ReadonlyMap<string, TensorData>,
  prompt: { ids: number[]; pixels: Float32Array; gridThw: number[][] },
  steps: number,
  eosTokenId: number,
): Promise<number[]> {
  const session = await ort.InferenceSession.create(serializeModel(buildQwen2VlForward(config, weights).graph).model);
  const ids = [...prompt.ids];
  const V = config.text.vocab_size;
  for (let s = 0; s < steps; s++) {
    const rope = qwen2VlRopeIndex(config, [ids], prompt.gridThw);
    const out = await session.run({
      input_ids: int64([ids]),
      attention_mask: int64([ids.map(() => 1)]),
      position_ids: new ort.Tensor('int64', rope.positionIds, rope.shape),
      pixel_values: new ort.Tensor('float32', prompt.pixels, [prompt.pixels.length / config.vision.patch_dim, config.vision.patch_dim]),
      image_grid_thw: int64(prompt.gridThw),
    });
    const logits = (out['logits']!.data as Float32Array).subarray((ids.length - 1) * V, ids.length * V);
    let best = 0;
    for (let v = 1; v < V; v++) if (logits[v]! > logits[best]!) best = v;
    ids.push(best);
    if (best === eosTokenId) break;
  }
  await session.release();
  return ids.slice(prompt.ids.length);
}
