import { AutoProcessor, env, Qwen2VLForConditionalGeneration, RawImage } from '@huggingface/transformers';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { q4RoundedWeights } from '../../test/q4-rounded';
import { buildQwen2VlInferenceGraphs } from './inference-graphs';
import { createTinyQwen2VlModel, type TinyQwen2VlModel } from './tiny-model';
import { writeQwen2VlInferenceFolder } from './write-inference-folder';

env.allowRemoteModels = false;
env.useFSCache = false;

const STEPS = 12;
const GRAPHS = ['embed_tokens', 'vision_encoder', 'decoder_model_merged'] as const;

describe('Qwen2-VL transformers.js dtype variants', () => {
  jest.setTimeout(180_000);
  let dir: string;
  let model: TinyQwen2VlModel;
  let out: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smart-qwen-variants-'));
    model = await createTinyQwen2VlModel({ dir: join(dir, 'tiny'), seed: 4 });
    out = join(dir, 'export'); // a fresh folder: transformers.js memoizes file lookups per path
    await writeQwen2VlInferenceFolder(out, model.config, model.weights, model.files, { variants: ['fp16', 'q4'] });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const generate = async (dtype: 'fp32' | 'fp16' | 'q4', folder = out): Promise<number[]> => {
    const processor = await AutoProcessor.from_pretrained(folder);
    const lm = await Qwen2VLForConditionalGeneration.from_pretrained(folder, { dtype, device: 'cpu' });
    const text = processor.apply_chat_template([{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'How many squares?' }] }], { add_generation_prompt: true }) as string;
    const inputs = await processor(text, new RawImage(new Uint8ClampedArray(24 * 16 * 3).map((_, i) => (i * 37) % 256), 24, 16, 3));
    const ids = await lm.generate({ ...inputs, max_new_tokens: STEPS, min_new_tokens: STEPS, do_sample: false });
    await lm.dispose();
    return Array.from((ids as { data: BigInt64Array }).data, Number).slice(inputs.input_ids.dims[1]);
  };

  it('writes _fp16 and _q4 graphs beside the fp32 ones; q4 brings the decoder under a third of its fp32 bytes', () => {
    const size = (f: string) => statSync(join(out, 'onnx', f)).size;
    for (const g of GRAPHS) expect(size(`${g}_fp16.onnx`) / size(`${g}.onnx`)).toBeLessThan(0.6);
    const ratio = size('decoder_model_merged_q4.onnx') / size('decoder_model_merged.onnx');
    console.log(`Qwen2-VL q4/fp32 bytes: decoder ${ratio.toFixed(3)}, vision ${(size('vision_encoder_q4.onnx') / size('vision_encoder.onnx')).toFixed(3)}`);
    expect(ratio).toBeLessThan(0.33);
    expect(size('vision_encoder_q4.onnx')).toBeLessThan(size('vision_encoder.onnx'));
  });

  it(`dtype 'fp16' generates fp32's ${STEPS} greedy tokens; 'q4' generates what fp32 arithmetic on its 4-bit-rounded weights does`, async () => {
    const fp32 = await generate('fp32');
    expect(fp32).toHaveLength(STEPS);
    // Without the fp32 graphs, a variant can only run from its own files.
    for (const g of GRAPHS) rmSync(join(out, 'onnx', `${g}.onnx`));
    expect(await generate('fp16')).toEqual(fp32);
    const q4 = await generate('q4');
    expect(q4).toHaveLength(STEPS);
    const graphs = buildQwen2VlInferenceGraphs(model.config, model.weights);
    const reference = join(dir, 'rounded');
    await writeQwen2VlInferenceFolder(reference, model.config, q4RoundedWeights(model.weights, [graphs.embedTokens, graphs.visionEncoder, graphs.decoder]), model.files);
    expect(await generate('fp32', reference)).toEqual(q4);
    console.log(`Qwen2-VL q4 greedy agrees with fp32 on ${q4.filter((t, i) => t === fp32[i]).length}/${STEPS} tokens`);
  });
});
