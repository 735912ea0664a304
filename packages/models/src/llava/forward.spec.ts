import { encodeSafetensors, serializeModel } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { int64Rows } from '../../test/int64-rows';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomLlavaWeights } from './random-weights';
import { runLlavaReference, torchAvailable } from '../../test/python-oracle';
import { tinyTestConfig } from '../../test/tiny';
import { buildLlavaForward } from './forward';

const IMAGE = 259;

/** Two rows: row 0 full, row 1 left-padded by 3; each holds one image's 16 tokens after a short prefix. */
function batch(seqLen: number) {
  const ids: number[][] = [];
  const mask: number[][] = [];
  for (let b = 0; b < 2; b++) {
    const pad = b === 1 ? 3 : 0;
    const row: number[] = [];
    const m: number[] = [];
    for (let s = 0; s < seqLen; s++) {
      const t = s - pad;
      row.push(t < 0 ? 256 : t >= 2 && t < 18 ? IMAGE : 40 + ((7 * s + 3 * b) % 60));
      m.push(t < 0 ? 0 : 1);
    }
    ids.push(row);
    mask.push(m);
  }
  const pos = mask.map((m) => {
    let c = -1;
    return m.map((x) => ((c += x) < 0 ? 0 : Math.max(c, 0)));
  });
  return { ids, mask, pos };
}

const describeOracle = torchAvailable() ? describe : describe.skip;

describeOracle('LLaVA forward vs an independent PyTorch forward (oracle)', () => {
  jest.setTimeout(300_000);

  it.each([
    ['qwen2 + CLIP (class token dropped)', { textModelType: 'qwen2', visionModelType: 'clip_vision_model' }],
    [
      'llama + SigLIP, tied embeddings',
      {
        textModelType: 'llama',
        visionModelType: 'siglip_vision_model',
        tieWordEmbeddings: true,
      },
    ],
  ] as const)('%s: logits within 1e-4', async (_name, overrides) => {
    const { json, config } = tinyTestConfig(overrides);
    const weights = randomLlavaWeights(config, { seed: 3, std: 0.1 });
    const dir = mkdtempSync(join(tmpdir(), 'smart-oracle-'));
    try {
      writeFileSync(join(dir, 'config.json'), JSON.stringify(json));
      writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(weights));
      const S = 24;
      const { ids, mask, pos } = batch(S);
      const pixels = Float32Array.from({ length: 2 * 3 * 32 * 32 }, (_, i) => Math.sin(i * 0.37) * 1.5);
      writeFileSync(join(dir, 'pixels.bin'), Buffer.from(pixels.buffer));
      writeFileSync(
        join(dir, 'inputs.json'),
        JSON.stringify({
          input_ids: ids,
          attention_mask: mask,
          position_ids: pos,
          pixel_values: 'pixels.bin',
          pixel_shape: [2, 3, 32, 32],
        }),
      );
      runLlavaReference(dir, join(dir, 'inputs.json'), join(dir, 'out.bin'));
      const ref = new Float32Array(readFileSync(join(dir, 'out.bin')).buffer.slice(0));

      const session = await ort.InferenceSession.create(serializeModel(buildLlavaForward(config, weights).graph).model);
      const out = await session.run({
        input_ids: int64Rows(ids),
        attention_mask: int64Rows(mask),
        position_ids: int64Rows(pos),
        pixel_values: new ort.Tensor('float32', pixels, [2, 3, 32, 32]),
      });
      const ours = out['logits']!.data as Float32Array;
      const V = config.text.vocab_size;
      expect(ours.length).toBe(ref.length);
      let maxErr = 0;
      let maxRef = 0;
      for (let b = 0; b < 2; b++)
        for (let s = 0; s < S; s++) {
          if (!mask[b]![s]) continue; // padded queries are unspecified in both implementations
          for (let v = 0; v < V; v++) {
            const k = (b * S + s) * V + v;
            maxErr = Math.max(maxErr, Math.abs(ours[k]! - ref[k]!));
            maxRef = Math.max(maxRef, Math.abs(ref[k]!));
          }
        }
      expect(maxRef).toBeGreaterThan(0.1);
      expect(maxErr).toBeLessThan(1e-4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
