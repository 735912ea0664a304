import { AutoProcessor, env, LlavaForConditionalGeneration, RawImage } from '@huggingface/transformers';
import { decodeSafetensors, serializeModel } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { int64Rows } from '../../test/int64-rows';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLlavaForward } from './forward';
import { createTinyModel, type TinyModel } from './tiny-model';

env.allowRemoteModels = false;
env.useFSCache = false;

/** Greedy decoding with our full-sequence graph (no cache): the reference for the cached export. */
async function greedyFullForward(model: TinyModel, promptIds: number[], pixels: Float32Array, steps: number): Promise<number[]> {
  const session = await ort.InferenceSession.create(serializeModel(buildLlavaForward(model.config, model.weights).graph).model);
  const ids = [...promptIds];
  const V = model.config.text.vocab_size;
  for (let s = 0; s < steps; s++) {
    const n = ids.length;
    const out = await session.run({
      input_ids: int64Rows([ids]),
      attention_mask: int64Rows([ids.map(() => 1)]),
      position_ids: int64Rows([ids.map((_, i) => i)]),
      pixel_values: new ort.Tensor('float32', pixels, [1, 3, 32, 32]),
    });
    const logits = (out['logits']!.data as Float32Array).subarray((n - 1) * V, n * V);
    let best = 0;
    for (let v = 1; v < V; v++) if (logits[v]! > logits[best]!) best = v;
    ids.push(best);
  }
  return ids.slice(promptIds.length);
}

describe('createTinyModel', () => {
  jest.setTimeout(120_000);
  let dir: string;
  let model: TinyModel;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smart-tiny-'));
    model = await createTinyModel({ dir, seed: 7 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes an HF checkpoint whose safetensors hold every weight bit for bit', () => {
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json', 'processor_config.json']) {
      expect(existsSync(join(model.checkpointDir, f))).toBe(true);
    }
    const read = decodeSafetensors(new Uint8Array(readFileSync(join(model.checkpointDir, 'model.safetensors'))));
    expect(read.tensors.size).toBe(model.weights.size);
    const name = 'language_model.model.layers.1.self_attn.k_proj.bias';
    expect(Buffer.from((read.tensors.get(name)!.data as Float32Array).buffer).equals(Buffer.from((model.weights.get(name)!.data as Float32Array).buffer))).toBe(
      true,
    );
  });

  it('is loaded by transformers.js from the local folder and generates what our full forward predicts', async () => {
    const processor = await AutoProcessor.from_pretrained(model.modelDir);
    const lm = await LlavaForConditionalGeneration.from_pretrained(model.modelDir, { dtype: 'fp32', device: 'cpu' });
    const data = new Uint8ClampedArray(32 * 32 * 3).map((_, i) => (i * 37) % 256);
    const text = processor.apply_chat_template(
      [
        {
          role: 'user',
          content: [{ type: 'image' }, { type: 'text', text: 'How many squares?' }],
        },
      ],
      { add_generation_prompt: true },
    );
    const inputs = await processor(new RawImage(data, 32, 32, 3), text);
    const out = await lm.generate({
      ...inputs,
      max_new_tokens: 6,
      do_sample: false,
    });
    const promptIds = Array.from(inputs.input_ids.data as BigInt64Array, Number);
    const generated = Array.from((out as { data: BigInt64Array }).data, Number).slice(promptIds.length);
    const ours = await greedyFullForward(model, promptIds, inputs.pixel_values.data as Float32Array, generated.length);
    expect(generated.length).toBeGreaterThan(0);
    expect(generated).toEqual(ours);
    await lm.dispose();
  });
});
