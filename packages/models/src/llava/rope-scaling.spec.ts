import { encodeSafetensors, serializeModel } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { int64Rows } from '../../test/int64-rows';
import { runLlavaReference, torchAvailable } from '../../test/python-oracle';
import { tinyTestConfig } from '../../test/tiny';
import { ropeInverseFrequencies } from '../decoder/rope-frequencies';
import { buildLlavaForward } from './forward';
import { randomLlavaWeights } from './random-weights';
import { parseLlavaConfig } from './read-config';

const IMAGE = 259;
// Wavelengths of a 16-wide head at θ = 10^4 run from 6 to 19,869 positions: this llama3 setting puts bands in
// each of its three regimes (kept, interpolated, divided by the factor).
const LLAMA3 = { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 1024 };

function scaledConfig(ropeScaling: Record<string, unknown> | null) {
  const { json } = tinyTestConfig({ textModelType: 'llama', visionModelType: 'clip_vision_model' });
  const scaled = { ...json, text_config: { ...(json.text_config as Record<string, unknown>), rope_scaling: ropeScaling } };
  return { json: scaled, config: parseLlavaConfig(scaled) };
}

describe('RoPE scaling', () => {
  it('linear divides every frequency; llama3 keeps the high band, divides the low one and blends between', () => {
    const base = ropeInverseFrequencies(scaledConfig(null).config.text);
    expect(ropeInverseFrequencies(scaledConfig({ type: 'linear', factor: 4 }).config.text)).toEqual(base.map((f) => f / 4));
    const l3 = ropeInverseFrequencies(scaledConfig(LLAMA3).config.text);
    const wavelen = base.map((f) => (2 * Math.PI) / f);
    const kinds = base.map((f, i) => (l3[i] === f ? 'kept' : Math.abs(l3[i]! - f / 8) < 1e-18 ? 'divided' : 'blended'));
    expect(kinds).toEqual(wavelen.map((w) => (w < 256 ? 'kept' : w > 1024 ? 'divided' : 'blended')));
    expect([...new Set(kinds)].sort()).toEqual(['blended', 'divided', 'kept']);
  });

  const describeOracle = torchAvailable() ? describe : describe.skip;
  describeOracle('logits equal the PyTorch oracle, which applies the same scaling', () => {
    jest.setTimeout(300_000);
    it.each([
      ['linear', { type: 'linear', factor: 4 }],
      ['llama3', LLAMA3],
    ] as const)('%s', async (_kind, scaling) => {
      const { json, config } = scaledConfig(scaling);
      const weights = randomLlavaWeights(config, { seed: 4, std: 0.1 });
      const dir = mkdtempSync(join(tmpdir(), 'smart-rope-'));
      try {
        writeFileSync(join(dir, 'config.json'), JSON.stringify(json));
        writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(weights));
        const S = 40;
        const ids = [Array.from({ length: S }, (_, s) => (s >= 2 && s < 18 ? IMAGE : 40 + ((7 * s) % 60)))];
        const mask = [ids[0]!.map(() => 1)];
        // Positions far past the short context, where scaled and unscaled RoPE differ most.
        const pos = [ids[0]!.map((_, s) => 300 + 37 * s)];
        const pixels = Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => Math.sin(i * 0.29) * 1.5);
        writeFileSync(join(dir, 'pixels.bin'), Buffer.from(pixels.buffer));
        writeFileSync(join(dir, 'inputs.json'), JSON.stringify({ input_ids: ids, attention_mask: mask, position_ids: pos, pixel_values: 'pixels.bin', pixel_shape: [1, 3, 32, 32] }));
        runLlavaReference(dir, join(dir, 'inputs.json'), join(dir, 'out.bin'));
        const ref = new Float32Array(readFileSync(join(dir, 'out.bin')).buffer.slice(0));

        const run = async (c: typeof config) => {
          const session = await ort.InferenceSession.create(serializeModel(buildLlavaForward(c, weights).graph).model);
          const out = await session.run({ input_ids: int64Rows(ids), attention_mask: int64Rows(mask), position_ids: int64Rows(pos), pixel_values: new ort.Tensor('float32', pixels, [1, 3, 32, 32]) });
          return out['logits']!.data as Float32Array;
        };
        const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);
        const ours = await run(config);
        expect(ours.length).toBe(ref.length);
        expect(maxDiff(ours, ref)).toBeLessThan(1e-4);
        // The same weights without the scaling are far off: the test sees the scaling.
        expect(maxDiff(await run(scaledConfig(null).config), ref)).toBeGreaterThan(1e-2);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
