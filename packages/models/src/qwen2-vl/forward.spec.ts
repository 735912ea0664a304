import { encodeSafetensors, serializeModel } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { int64Rows } from '../../test/int64-rows';
import { runQwen2VlReference, torchAvailable } from '../../test/python-oracle';
import { imageRows, patchBatch, testImage } from '../../test/qwen2-vl-batch';
import { buildQwen2VlForward } from './forward';
import { randomQwen2VlWeights } from './random-weights';
import { qwen2VlRopeIndex } from './rope-index';
import { tinyQwen2VlConfig } from './tiny-model';

const describeOracle = torchAvailable() ? describe : describe.skip;

describeOracle('Qwen2-VL forward vs an independent PyTorch forward (oracle)', () => {
  jest.setTimeout(300_000);

  it.each([
    ['untied lm_head', false],
    ['tied embeddings', true],
  ])('%s: a batch with a 16×24 and a 32×16 image (one left-padded row): positions, patches, logits within 1e-4', async (_name, tied) => {
    const { json, config, padTokenId } = tinyQwen2VlConfig({ tieWordEmbeddings: tied });
    const weights = randomQwen2VlWeights(config, { seed: 5, std: 0.1 });
    const dir = mkdtempSync(join(tmpdir(), 'smart-qwen2vl-oracle-'));
    try {
      writeFileSync(join(dir, 'config.json'), JSON.stringify(json));
      writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(weights));
      // p = 4, m = 2: 16×24 → 4×6 patches → 6 tokens; 32×16 → 8×4 patches → 8 tokens.
      const images = [
        { height: 16, width: 24, data: testImage(16, 24, 1) },
        { height: 32, width: 16, data: testImage(32, 16, 2) },
      ];
      images.forEach((im, i) => writeFileSync(join(dir, `img${i}.bin`), Buffer.from(im.data.buffer)));
      const S = 24;
      const { ids, mask } = imageRows(config, [{ pad: 0, before: 3, imageTokens: 6 }, { pad: 3, before: 2, imageTokens: 8 }], S, padTokenId);
      writeFileSync(
        join(dir, 'inputs.json'),
        JSON.stringify({ input_ids: ids, attention_mask: mask, images: images.map((im, i) => ({ file: `img${i}.bin`, shape: [3, im.height, im.width] })), dtype: 'float64' }),
      );
      runQwen2VlReference(dir, join(dir, 'inputs.json'), join(dir, 'out'));
      const read = (f: string) => {
        const b = readFileSync(join(dir, f)); // small files share Node's buffer pool: copy just this file's bytes
        return { buffer: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) };
      };
      const refLogits = new Float64Array(read('out.logits.bin').buffer);
      const refPositions = new BigInt64Array(read('out.positions.bin').buffer);
      const refPatches = new Float32Array(read('out.patches.bin').buffer);

      const patches = patchBatch(config, images);
      expect(patches.gridThw).toEqual([
        [1, 4, 6],
        [1, 8, 4],
      ]);
      expect(Array.from(patches.data)).toEqual(Array.from(refPatches));
      const rope = qwen2VlRopeIndex(config, ids, patches.gridThw, mask);
      expect(Array.from(rope.positionIds)).toEqual(Array.from(refPositions));
      // Row 0: 3 text + start at 0..3, image block from 4 (t 4, rows 4..5, columns 4..6), end token at 4 + max(1, 2, 3) = 7.
      expect(Array.from(rope.positionIds.slice(0, 12), Number)).toEqual([0, 1, 2, 3, 4, 4, 4, 4, 4, 4, 7, 8]);
      expect(Array.from(rope.positionIds.slice(2 * 2 * S, 2 * 2 * S + 12), Number)).toEqual([0, 1, 2, 3, 4, 5, 6, 4, 5, 6, 7, 8]);
      // Deltas: 6 image tokens span 3 positions (−3); 8 span 4 (−4), and row 1 has 3 pads (−3).
      expect(rope.deltas).toEqual([-3, -7]);

      const V = config.text.vocab_size;
      // float32 graph against the float64 oracle (ORT has no float64 Erf kernel for the merger's exact GELU).
      const session = await ort.InferenceSession.create(serializeModel(buildQwen2VlForward(config, weights).graph).model);
      const out = await session.run({
        input_ids: int64Rows(ids),
        attention_mask: int64Rows(mask),
        position_ids: new ort.Tensor('int64', rope.positionIds, rope.shape),
        pixel_values: new ort.Tensor('float32', patches.data, [patches.rows, config.vision.patch_dim]),
        image_grid_thw: int64Rows(patches.gridThw),
      });
      await session.release();
      const ours = out['logits']!.data as Float32Array;
      expect(ours.length).toBe(refLogits.length);
      let maxErr = 0;
      let maxRef = 0;
      for (let b = 0; b < 2; b++)
        for (let s = 0; s < S; s++) {
          if (!mask[b]![s]) continue; // padded queries are unspecified in both
          for (let v = 0; v < V; v++) {
            const k = (b * S + s) * V + v;
            maxErr = Math.max(maxErr, Math.abs(ours[k]! - refLogits[k]!));
            maxRef = Math.max(maxRef, Math.abs(refLogits[k]!));
          }
        }
      expect(maxRef).toBeGreaterThan(0.1);
      expect(maxErr).toBeLessThan(1e-4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
