import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SAMPLING, type GenerationRequest, type SamplingParams } from '@smart/types';
import { encodePng } from '../src/openai/png-encode';
import { TokenSampler } from '../src/sampling/token-sampler';
import { TransformersJsGenerator } from '../src/local/transformers-js-generator';
import { GenerationAbortedError, ModelLoadError } from '../src/errors';
import { recordingLibrary } from './recording-library';
import { describeWithTinyVlm } from './tiny-vlm-fixture';

const rgb = (w: number, h: number, seed: number) => ({ kind: 'rgb' as const, width: w, height: h, data: Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 31 + seed * 17) % 256) });
const sampling = (patch: Partial<SamplingParams> = {}): SamplingParams => ({ ...DEFAULT_SAMPLING, maxNewTokens: 12, ...patch });

describe('TransformersJsGenerator.load', () => {
  it('refuses relative paths and folders without config.json before touching the library', async () => {
    await expect(TransformersJsGenerator.load({ modelPath: 'models/tiny' })).rejects.toBeInstanceOf(ModelLoadError);
    await expect(TransformersJsGenerator.load({ modelPath: '/nonexistent/tiny-vlm' })).rejects.toThrow(/config.json not found/);
  });
});

describeWithTinyVlm('TransformersJsGenerator on the tiny VLM', (folder) => {
  let single: TransformersJsGenerator;
  let batched: TransformersJsGenerator;
  let pair: TransformersJsGenerator;
  /** Rows of each decoder_model_merged call of `pair` (prefills have one row and more than one position). */
  const decodeRows: number[] = [];
  beforeAll(async () => {
    single = await TransformersJsGenerator.load({ modelPath: folder(), batchSize: 1, threads: 1 });
    batched = await TransformersJsGenerator.load({ modelPath: folder(), batchSize: 8, threads: 1 });
    const library = recordingLibrary((session, feeds) => {
      if (session === 'decoder_model_merged' && feeds.inputs_embeds!.dims[1] === 1) decodeRows.push(feeds.inputs_embeds!.dims[0]!);
    });
    pair = await TransformersJsGenerator.load({ modelPath: folder(), batchSize: 2, threads: 1, library });
  });
  afterAll(async () => {
    await single?.close();
    await batched?.close();
    await pair?.close();
  });

  // Prompts of different lengths, with and without images, so rows need left padding.
  const requests: GenerationRequest[] = [
    { id: 'a', prompt: 'Which option is correct?', image: rgb(16, 16, 1), sampling: sampling({ seed: 1 }) },
    { id: 'b', prompt: 'Count.', image: rgb(20, 12, 2), sampling: sampling({ seed: 2, maxNewTokens: 5 }) },
    { id: 'c', prompt: 'A longer question about the picture, with several more words in it.', image: rgb(16, 16, 3), sampling: sampling({ seed: 3 }) },
    { id: 'd', prompt: 'Text only.', sampling: sampling({ seed: 4, temperature: 0 }) },
    { id: 'e', prompt: 'Describe.', system: 'Be brief.', image: rgb(8, 8, 4), sampling: sampling({ seed: 5, topP: 0.5, topK: 3 }) },
  ];

  it('batched generation equals unbatched generation for the same seeds', async () => {
    const one = await single.generate(requests);
    const many = await batched.generate(requests);
    expect(many.map((r) => [r.text, r.finishReason, r.completionTokens, r.promptTokens])).toEqual(one.map((r) => [r.text, r.finishReason, r.completionTokens, r.promptTokens]));
    expect(new Set(one.map((r) => r.promptTokens)).size).toBeGreaterThan(1);
  });

  it('greedy: batched equals unbatched across refills, with rows of many lengths and budgets', async () => {
    const many: GenerationRequest[] = Array.from({ length: 12 }, (_, i) => ({
      id: `g${i}`,
      prompt: `Question ${i}: ${'which option? '.repeat(1 + (i % 4))}`,
      ...(i % 3 === 0 ? {} : { image: rgb(12 + i, 16, i) }),
      sampling: sampling({ temperature: 0, maxNewTokens: 2 + ((i * 5) % 14) }),
    }));
    const one = await single.generate(many);
    const refilled = await pair.generate(many);
    const wide = await batched.generate(many);
    const view = (rs: typeof one) => rs.map((r) => [r.text, r.finishReason, r.completionTokens]);
    expect(view(refilled)).toEqual(view(one));
    expect(view(wide)).toEqual(view(one));
    expect(new Set(one.map((r) => r.completionTokens)).size).toBeGreaterThan(4);
  });

  it('a finished row costs no further decode work, and its slot is refilled at once', async () => {
    // One long row and three short ones in two slots: the short rows take turns beside the long one.
    const rows: GenerationRequest[] = [20, 2, 2, 2].map((maxNewTokens, i) => ({ id: `r${i}`, prompt: `Row ${i}.`, sampling: sampling({ temperature: 0, maxNewTokens }) }));
    decodeRows.length = 0;
    const results = await pair.generate(rows);
    expect(results.map((r) => r.finishReason)).toEqual(['length', 'length', 'length', 'length']);
    // Each row's first token comes from its prefill, every later one from exactly one row-step of a decode call.
    expect(decodeRows.reduce((a, b) => a + b, 0)).toBe(results.reduce((a, r) => a + r.completionTokens - 1, 0));
    // 19 decode calls: the long row's; the short rows ran inside them.
    expect(decodeRows).toEqual([2, 2, 2, ...new Array<number>(16).fill(1)]);
  });

  it('concurrent calls share the slots and each gets its own results', async () => {
    const a = requests.slice(0, 3);
    const b = requests.slice(3);
    const [ra, rb] = await Promise.all([batched.generate(a), batched.generate(b)]);
    const alone = await single.generate(requests);
    expect([...ra!, ...rb!].map((r) => [r.id, r.text])).toEqual(alone.map((r) => [r.id, r.text]));
  });

  it('an aborted call rejects and frees its slots for the others', async () => {
    const controller = new AbortController();
    const long = { id: 'long', prompt: 'Go on.', sampling: sampling({ temperature: 0, maxNewTokens: 400 }) };
    let tokens = 0;
    const aborted = pair.generate([long, { ...long, id: 'long2' }], {
      signal: controller.signal,
      onTokens: (n) => {
        tokens += n;
        if (tokens >= 6) controller.abort();
      },
    });
    const other = pair.generate([requests[3]!]);
    await expect(aborted).rejects.toBeInstanceOf(GenerationAbortedError);
    expect((await other)[0]!.text).toBe((await single.generate([requests[3]!]))[0]!.text);
    expect(tokens).toBeLessThan(20);
  });

  it('refuses prompts over maxPromptTokens and decompression-bomb image files as error rows, before any model work', async () => {
    const capped = await TransformersJsGenerator.load({ modelPath: folder(), batchSize: 4, threads: 1, maxPromptTokens: 40 });
    const dir = mkdtempSync(join(tmpdir(), 'mllm-bomb-'));
    try {
      // A PNG whose header declares 100 000 × 100 000 pixels: decoding it would allocate 30 GB.
      const png = encodePng(1, 1, Uint8Array.of(1, 2, 3));
      png.writeUInt32BE(100_000, 16);
      png.writeUInt32BE(100_000, 20);
      writeFileSync(join(dir, 'bomb.png'), png);
      execFileSync('mkfifo', [join(dir, 'pipe.png')]);
      const [long, bomb, pipe, fine] = await capped.generate([
        { id: 'long', prompt: 'why '.repeat(60), sampling: sampling({ seed: 1 }) },
        { id: 'bomb', prompt: 'What is it?', image: { kind: 'path', path: join(dir, 'bomb.png') }, sampling: sampling({ seed: 2 }) },
        { id: 'pipe', prompt: 'What is it?', image: { kind: 'path', path: join(dir, 'pipe.png') }, sampling: sampling({ seed: 4 }) },
        { id: 'fine', prompt: 'Hi.', sampling: sampling({ seed: 3, temperature: 0 }) },
      ]);
      expect(long).toMatchObject({ finishReason: 'error', text: '' });
      expect(long!.error).toMatch(/more than maxPromptTokens 40/);
      expect(bomb!.finishReason).toBe('error');
      expect(bomb!.error).toMatch(/100000×100000/);
      expect(pipe).toMatchObject({ finishReason: 'error', error: expect.stringMatching(/not a regular file \(FIFO\)/) });
      expect(fine!.finishReason).not.toBe('error');
      expect(fine!.text).toBe((await single.generate([{ id: 'fine', prompt: 'Hi.', sampling: sampling({ seed: 3, temperature: 0 }) }]))[0]!.text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await capped.close();
    }
  });

  it('truncates each row at its own EOS and budget', async () => {
    const results = await batched.generate(requests);
    results.forEach((r, i) => {
      expect(r.completionTokens).toBeLessThanOrEqual(requests[i]!.sampling.maxNewTokens);
      expect(r.finishReason === 'length').toBe(r.completionTokens === requests[i]!.sampling.maxNewTokens);
    });
    expect(results[1]!.completionTokens).toBeLessThanOrEqual(5);
  });

  it('reproduces with the same seed and differs with another', async () => {
    const many = Array.from({ length: 6 }, (_, i) => ({ ...requests[0]!, id: `s${i}`, sampling: sampling({ seed: 100 + i, temperature: 1, topP: 1 }) }));
    const first = await batched.generate(many);
    const again = await batched.generate(many);
    expect(again.map((r) => r.text)).toEqual(first.map((r) => r.text));
    expect(new Set(first.map((r) => r.text)).size).toBeGreaterThan(1);
    expect(first.map((r) => r.seed)).toEqual([100, 101, 102, 103, 104, 105]);
  });

  it('top-p restricts the sampled first tokens to the nucleus of the real logits', async () => {
    const base = { id: 'p', prompt: 'Which option is correct?', image: rgb(16, 16, 1), sampling: sampling({ maxNewTokens: 1, temperature: 1 }) };
    const logits = await single.nextTokenLogits(base);
    const nucleus = new Set(new TokenSampler().keptTokens(logits, { temperature: 1, topP: 0.5, topK: 0 }));
    const draws = (topP: number) => Array.from({ length: 96 }, (_, i) => ({ ...base, id: `p${i}`, sampling: { ...base.sampling, topP, seed: i } }));
    const restricted = await batched.generate(draws(0.5));
    const free = await batched.generate(draws(1));
    // One new token per draw: compare decoded first tokens with the decoded nucleus.
    const allowed = new Set([...nucleus].map((id) => single.decode([id])));
    const restrictedSet = new Set(restricted.map((r) => r.text));
    for (const text of restrictedSet) expect(allowed.has(text)).toBe(true);
    expect(new Set(free.map((r) => r.text)).size).toBeGreaterThan(restrictedSet.size);
  });

  it('draws n samples per prompt by repeated rows; sample 0 matches n = 1', async () => {
    const [multi] = await batched.generate([{ ...requests[0]!, n: 3 }]);
    const [solo] = await single.generate([requests[0]!]);
    expect(multi!.samples).toHaveLength(3);
    expect(multi!.samples![0]!.text).toBe(solo!.text);
  });
});
