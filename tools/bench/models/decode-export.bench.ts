/**
 * @smart/models: (1) per-token greedy decode time of the tiny export through transformers.js vs a direct
 * onnxruntime-node loop over the same decoder_model_merged graph (the library's overhead ratio), and
 * (2) the time to build random weights for and export a llava-interleave-qwen-0.5b-shaped model.
 * Usage: bench [--preset tiny|small] [--tokens N] [--skip-large]
 */
import { AutoProcessor, env, LlavaForConditionalGeneration, RawImage } from '@huggingface/transformers';
import {
  createTinyModel,
  LLAVA_INTERLEAVE_QWEN_0_5B_CONFIG,
  parameterCount,
  parseLlavaConfig,
  randomLlavaWeights,
  writeInferenceFolder,
  byteLevelTokenizerJson,
  chatTokenizerConfig,
  type TinyPreset,
} from '@smart/models';
import * as ort from 'onnxruntime-node';
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { printTable } from '../lib/table';

env.allowRemoteModels = false;
env.useFSCache = false;

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const preset = arg('preset', 'small') as TinyPreset;
const tokens = Number(arg('tokens', '64'));

async function decodeBench(dir: string) {
  const model = await createTinyModel({ dir, preset, seed: 1 });
  const s = model.config.vision.image_size;
  const processor = await AutoProcessor.from_pretrained(model.modelDir);
  const lm = await LlavaForConditionalGeneration.from_pretrained(model.modelDir, { dtype: 'fp32', device: 'cpu', session_options: { intraOpNumThreads: 1 } });
  const text = processor.apply_chat_template([{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'Describe.' }] }], { add_generation_prompt: true });
  const inputs = await processor(new RawImage(new Uint8ClampedArray(s * s * 3).map((_, i) => (i * 7) % 256), s, s, 3), text);
  // Greedy with EOS disabled, so both sides decode exactly `tokens` steps.
  const gen = () => lm.generate({ ...inputs, max_new_tokens: tokens, min_new_tokens: tokens, do_sample: false });
  await gen();
  let t0 = performance.now();
  const runs = 3;
  for (let i = 0; i < runs; i++) await gen();
  const tjsMs = (performance.now() - t0) / runs / tokens;

  // Direct loop: embed_tokens + vision_encoder once, then decoder steps feeding presents back.
  const opts: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1 };
  const open = (f: string) => ort.InferenceSession.create(join(model.modelDir, 'onnx', `${f}.onnx`), opts);
  const embed = await open('embed_tokens');
  const vision = await open('vision_encoder');
  const decoder = await open('decoder_model_merged');
  const c = model.config.text;
  const ids = Array.from(inputs.input_ids.data as BigInt64Array);
  const i64 = (a: bigint[], dims: number[]) => new ort.Tensor('int64', BigInt64Array.from(a), dims);
  const direct = async () => {
    const n = ids.length;
    const e = Float32Array.from((await embed.run({ input_ids: i64(ids, [1, n]) }))['inputs_embeds']!.data as Float32Array);
    const f = (await vision.run({ pixel_values: new ort.Tensor('float32', inputs.pixel_values.data as Float32Array, [1, 3, s, s]) }))['image_features']!.data as Float32Array;
    let k = 0;
    for (let t = 0; t < n; t++) if (Number(ids[t]) === model.imageTokenId) e.set(f.subarray(k * c.hidden_size, ++k * c.hidden_size), t * c.hidden_size);
    let past: Record<string, ort.Tensor> = {};
    for (let i = 0; i < c.num_hidden_layers; i++)
      for (const kv of ['key', 'value']) past[`past_key_values.${i}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, c.num_key_value_heads, 0, c.head_dim]);
    let embeds: ort.Tensor = new ort.Tensor('float32', e, [1, n, c.hidden_size]);
    let total = n;
    for (let step = 0; step < tokens; step++) {
      const len = embeds.dims[1]!;
      const out = await decoder.run({
        inputs_embeds: embeds,
        attention_mask: i64(new Array(total).fill(1n), [1, total]),
        position_ids: i64(Array.from({ length: len }, (_, j) => BigInt(total - len + j)), [1, len]),
        num_logits_to_keep: i64([1n], []),
        ...past,
      });
      const logits = out['logits']!.data as Float32Array;
      let best = 0;
      for (let v = 1; v < logits.length; v++) if (logits[v]! > logits[best]!) best = v;
      past = {};
      for (let i = 0; i < c.num_hidden_layers; i++) for (const kv of ['key', 'value']) past[`past_key_values.${i}.${kv}`] = out[`present.${i}.${kv}`]!;
      embeds = (await embed.run({ input_ids: i64([BigInt(best)], [1, 1]) }))['inputs_embeds']!;
      total++;
    }
  };
  await direct();
  t0 = performance.now();
  for (let i = 0; i < runs; i++) await direct();
  const directMs = (performance.now() - t0) / runs / tokens;
  await lm.dispose();
  return { tjsMs, directMs, params: parameterCount(model.config), promptTokens: ids.length };
}

async function exportBench(dir: string) {
  const config = parseLlavaConfig(LLAVA_INTERLEAVE_QWEN_0_5B_CONFIG);
  let t0 = performance.now();
  const weights = randomLlavaWeights(config, { seed: 1 });
  const initMs = performance.now() - t0;
  const tok = byteLevelTokenizerJson();
  t0 = performance.now();
  await writeInferenceFolder(join(dir, 'model'), config, weights, { tokenizerJson: tok, tokenizerConfig: chatTokenizerConfig({ modelMaxLength: 32768 }), eosTokenId: 258, padTokenId: 256 });
  const exportMs = performance.now() - t0;
  const bytes = readdirSync(join(dir, 'model', 'onnx')).reduce((s, f) => s + statSync(join(dir, 'model', 'onnx', f)).size, 0);
  return { initMs, exportMs, params: parameterCount(config), bytes };
}

(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'smart-bench-models-'));
  try {
    const d = await decodeBench(join(dir, 'tiny'));
    console.log(`\n@smart/models decode: preset ${preset} (${(d.params / 1e6).toFixed(2)}M params), prompt ${d.promptTokens} tokens, ${tokens} greedy tokens, 1 thread\n`);
    printTable(['path', 'ms / token', 'ratio to direct ORT'], [
      ['direct onnxruntime-node loop', d.directMs, 1],
      ['transformers.js generate', d.tjsMs, d.tjsMs / d.directMs],
    ]);
    if (!process.argv.includes('--skip-large')) {
      const e = await exportBench(join(dir, 'large'));
      console.log(`\n@smart/models export: llava-interleave-qwen-0.5b shape, ${(e.params / 1e6).toFixed(0)}M params, fp32, external data\n`);
      printTable(['step', 'seconds'], [
        ['random weights', e.initMs / 1000],
        ['build + serialize + write 3 graphs', e.exportMs / 1000],
        ['onnx folder size (GB)', e.bytes / 1e9],
        ['peak RSS (GB)', process.resourceUsage().maxRSS / 1e6],
      ]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();
