import { createTinyModel, type TinyModel } from '@smart/models';
import { DEFAULT_SAMPLING, type EncodedChat, type GenerationRequest, type ImageInput } from '@smart/types';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPromptEncoder, type TransformersJsPromptEncoder } from '../src/local/prompt-encoder';
import { TransformersJsGenerator } from '../src/local/transformers-js-generator';
import type { TjsLibrary, TjsProcessor } from '../src/local/transformers-js-surface';
import { realLibrary as lib, recordingLibrary } from './recording-library';

const rgb = (w: number, h: number, seed: number): ImageInput => ({ kind: 'rgb', width: w, height: h, data: Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 29 + seed * 13) % 256) });

/** What one request's prefill fed the model's sessions. */
interface FedInputs {
  inputIds: number[];
  pixels?: { data: Float32Array; dims: number[] };
}

/** Records what the sessions are fed: the prompt ids of each prefill (embed_tokens calls longer than one position) and each vision_encoder call's pixels. */
function promptRecorder(prompts: number[][], pixels: { data: Float32Array; dims: number[] }[]): TjsLibrary {
  return recordingLibrary((session, feeds) => {
    const ids = feeds.input_ids;
    if (session === 'embed_tokens' && ids!.dims[1]! > 1) prompts.push(Array.from(ids!.data, Number));
    const p = feeds.pixel_values;
    if (session === 'vision_encoder') pixels.push({ data: Float32Array.from(p!.data as Float32Array), dims: [...p!.dims] });
  });
}

function tinyModelSuite(name: string, merges: [string, string][] | undefined, body: (model: () => TinyModel) => void): void {
  describe(name, () => {
    let root = '';
    let model: TinyModel;
    beforeAll(async () => {
      // A fresh folder per suite: transformers.js memoizes file lookups per path.
      root = mkdtempSync(join(tmpdir(), 'smart-mllm-encoder-'));
      model = await createTinyModel({ dir: root, seed: 5, ...(merges ? { merges } : {}) });
    }, 120_000);
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    body(() => model);
  });
}

const promptOnly = (r: GenerationRequest) => ({ id: r.id, prompt: r.prompt, ...(r.image ? { image: r.image } : {}), ...(r.system !== undefined ? { system: r.system } : {}) });

tinyModelSuite('createPromptEncoder on the tiny VLM', undefined, (tiny) => {
  let generator: TransformersJsGenerator;
  let encoder: TransformersJsPromptEncoder;
  const prompts: number[][] = [];
  const pixels: { data: Float32Array; dims: number[] }[] = [];
  beforeAll(async () => {
    generator = await TransformersJsGenerator.load({ modelPath: tiny().modelDir, batchSize: 1, threads: 1, library: promptRecorder(prompts, pixels) });
    encoder = await createPromptEncoder(tiny().modelDir);
  });
  afterAll(() => generator?.close());

  it('gives the ids and pixel tensor the local generator feeds the model, for every kind of image', async () => {
    const sampling = { ...DEFAULT_SAMPLING, maxNewTokens: 2, seed: 1 };
    const first = await encoder.encode({ id: 'probe', prompt: 'x', image: rgb(16, 16, 0) });
    const [, c, h, w] = first.pixelValues!.shape as [number, number, number, number];
    const tensorImage: ImageInput = { kind: 'tensor', shape: [c, h, w], data: Float32Array.from({ length: c * h * w }, (_, i) => Math.sin(i) * 0.5) };
    const requests: GenerationRequest[] = [
      { id: 'rgb', prompt: 'Which option is correct?', image: rgb(20, 12, 1), sampling },
      { id: 'text', prompt: 'Text only, no picture.', sampling },
      { id: 'system', prompt: 'Describe.', system: 'Be brief.', image: rgb(8, 8, 2), sampling },
      { id: 'tensor', prompt: 'A pre-normalized image.', image: tensorImage, sampling },
    ];
    prompts.length = 0;
    pixels.length = 0;
    const results = await generator.generate(requests);
    expect(results.map((r) => r.finishReason)).not.toContain('error');
    expect(prompts).toHaveLength(requests.length);
    expect(pixels).toHaveLength(requests.filter((r) => r.image).length);
    const fed: FedInputs[] = [];
    for (const [i, request] of requests.entries()) fed.push({ inputIds: prompts[i]!, ...(request.image ? { pixels: pixels.shift()! } : {}) });
    for (const [i, request] of requests.entries()) {
      const encoded = await encoder.encode(promptOnly(request));
      expect(fed[i]!.inputIds).toEqual(encoded.inputIds);
      expect(results[i]!.promptTokens).toBe(encoded.inputIds.length);
      expect(encoded.completionEnd).toBe(encoded.promptLength);
      if (request.image) {
        expect(fed[i]!.pixels!.dims).toEqual(encoded.pixelValues!.shape);
        expect(fed[i]!.pixels!.data).toEqual(encoded.pixelValues!.data);
      } else {
        expect(fed[i]!.pixels).toBeUndefined();
        expect(encoded.pixelValues).toBeUndefined();
      }
      // The generator's own encoder (built from its loaded processor) agrees with one loaded from the folder.
      expect(await generator.promptEncoder.encode(promptOnly(request))).toEqual(encoded);
    }
    expect(Array.from((await encoder.encode(promptOnly(requests[3]!))).pixelValues!.data)).toEqual(Array.from(tensorImage.data));
  });

  it('expands the image token to the LLaVA feature count and counts it', async () => {
    const processorConfig = JSON.parse(readFileSync(join(tiny().modelDir, 'processor_config.json'), 'utf8')) as { patch_size: number; num_additional_image_tokens: number };
    const encoded = await encoder.encode({ id: 'img', prompt: 'Count.', image: rgb(16, 16, 3) });
    const [, , h, w] = encoded.pixelValues!.shape as number[];
    const expected = Math.floor(h! / processorConfig.patch_size) * Math.floor(w! / processorConfig.patch_size) + processorConfig.num_additional_image_tokens;
    expect(encoded.imageTokenCount).toBe(expected);
    expect(encoded.inputIds.filter((id) => id === tiny().imageTokenId)).toHaveLength(expected);
    expect((await encoder.encode({ id: 'txt', prompt: 'Count.' })).imageTokenCount).toBe(0);
  });

  it('appends a completion after the prompt, with the end-of-turn EOS inside the span and nothing after it', async () => {
    const input = { id: 's1:chosen', prompt: 'Which option is correct?', image: rgb(16, 16, 4), completion: 'Step 1: the bar is red. The answer is B.' };
    const prompt = await encoder.encode({ ...input, completion: undefined });
    const row = await encoder.encode(input);
    const processor = await lib.AutoProcessor.from_pretrained(tiny().modelDir);
    const completionIds = processor.tokenizer.encode(input.completion, { add_special_tokens: false });
    expect(row.promptLength).toBe(prompt.inputIds.length);
    expect(row.inputIds.slice(0, row.promptLength)).toEqual(prompt.inputIds);
    expect(row.inputIds.slice(row.promptLength, row.completionEnd)).toEqual([...completionIds, tiny().eosTokenId]);
    expect(row.completionEnd).toBe(row.inputIds.length);
    expect(row.pixelValues).toEqual(prompt.pixelValues);
    expect(row.imageTokenCount).toBe(prompt.imageTokenCount);
    expect(processor.tokenizer.decode(row.inputIds.slice(row.promptLength, row.completionEnd), { skip_special_tokens: true })).toBe(input.completion);
  });

  it('gives the same rows with string message content for a template that renders both alike', async () => {
    const asString = await createPromptEncoder(tiny().modelDir, { messageContent: 'string' });
    const input = { id: 'q', prompt: 'Why?', system: 'Be brief.', image: rgb(8, 8, 5), completion: 'Because.' };
    expect(await asString.encode(input)).toEqual(await encoder.encode(input));
  });
});

// 'Ċ' is the byte-level character of '\n': with this merge, "\n\n" is one token when it is one pre-token.
tinyModelSuite('createPromptEncoder at a BPE merge across the prompt/completion boundary', [['Ċ', 'Ċ']], (tiny) => {
  let encoder: TransformersJsPromptEncoder;
  let processor: TjsProcessor;
  beforeAll(async () => {
    encoder = await createPromptEncoder(tiny().modelDir);
    processor = await lib.AutoProcessor.from_pretrained(tiny().modelDir);
  });

  it('encodes the completion separately from the prompt (as generation produced it), not as one string', async () => {
    // The generation prompt ends in "assistant\n"; a completion opening with blank lines merges with it when tokenized as one text.
    const input = { id: 'b', prompt: 'Which option?', completion: '\n\nStep 1: count.' };
    const row: EncodedChat = await encoder.encode(input);
    const promptText = processor.apply_chat_template([{ role: 'user', content: [{ type: 'text', text: input.prompt }] }], { add_generation_prompt: true, tokenize: false });
    const tok = processor.tokenizer;
    const separate = [...tok.encode(promptText, { add_special_tokens: false }), ...tok.encode(input.completion, { add_special_tokens: false })];
    const whole = tok.encode(promptText + input.completion, { add_special_tokens: false });
    // The case is real: both spell the same text with different tokens.
    expect(whole).not.toEqual(separate);
    expect(tok.decode(whole, {})).toBe(tok.decode(separate, {}));
    expect(row.inputIds.slice(0, row.completionEnd - 1)).toEqual(separate);
    expect(row.inputIds[row.completionEnd - 1]).toBe(tiny().eosTokenId);
  });
});
