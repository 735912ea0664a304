import { AutoTokenizer, env } from '@huggingface/transformers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BYTE_TO_CHAR, byteLevelPieces } from './byte-level';
import { CHATML_TEMPLATE, chatTokenizerConfig } from './chat-template';
import { byteLevelTokenizerJson, tokenizerVocabSize } from './tokenizer-json';
import { trainByteLevelBpe } from './train-bpe';

env.allowRemoteModels = false;
env.useFSCache = false;

/** Writes a tokenizer folder (fresh directory per load: transformers.js memoizes file lookups). */
function writeTokenizer(merges: [string, string][]): string {
  const dir = mkdtempSync(join(tmpdir(), 'smart-tok-'));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(byteLevelTokenizerJson({ merges })));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(chatTokenizerConfig({ modelMaxLength: 2048 })));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'qwen2' }));
  return dir;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('byte-level map', () => {
  it('is a bijection onto 256 single characters, identity on printable ASCII', () => {
    expect(new Set(BYTE_TO_CHAR).size).toBe(256);
    expect(BYTE_TO_CHAR[65]).toBe('A');
    expect(BYTE_TO_CHAR[32]).toBe('Ġ'); // space, as in every GPT-2-style vocabulary
    expect(BYTE_TO_CHAR[10]).toBe('Ċ');
    expect(byteLevelPieces("Step 1, it's 115°")).toEqual(['Step', 'Ġ1', ',', 'Ġit', "'s", 'Ġ115', 'Â°']);
  });
});

describe('trainByteLevelBpe', () => {
  it('merges the most frequent pair first and is deterministic', () => {
    const corpus = ['aaab aaab aaab', 'ab ab'];
    const merges = trainByteLevelBpe(corpus, { merges: 3 });
    expect(merges[0]).toEqual(['a', 'a']);
    expect(trainByteLevelBpe(corpus, { merges: 3 })).toEqual(merges);
  });

  it('stops when no pair reaches the minimum frequency', () => {
    expect(trainByteLevelBpe(['abc'], { merges: 10 })).toEqual([]);
  });
});

describe('tokenizer folder loaded by transformers.js', () => {
  jest.setTimeout(60_000);
  const text = 'Step 1, count the red squares: there are 3. Step 2, so the answer is (B) 3 — 日本 ✓';

  it('round-trips text byte for byte without merges; specials are single ids', async () => {
    const dir = writeTokenizer([]);
    dirs.push(dir);
    const tok = await AutoTokenizer.from_pretrained(dir);
    const ids = tok.encode(text, { add_special_tokens: false }) as number[];
    expect(ids).toHaveLength(new TextEncoder().encode(text).length);
    expect(tok.decode(ids)).toBe(text);
    const withImage = tok.encode('<image>\nhi<|im_end|>', {
      add_special_tokens: false,
    }) as number[];
    expect(withImage).toEqual([259, 10, 104, 105, 258]);
  });

  it('applies learned merges (fewer tokens, same text) and the ChatML template', async () => {
    const corpus = Array.from({ length: 50 }, (_, i) => `Step 1, count the red squares: there are ${i % 7}. Step 2, so the answer is (B).`);
    const merges = trainByteLevelBpe(corpus, { merges: 200 });
    const json = byteLevelTokenizerJson({ merges });
    expect(tokenizerVocabSize(json)).toBe(256 + merges.length + 4);
    const dir = writeTokenizer(merges);
    dirs.push(dir);
    const tok = await AutoTokenizer.from_pretrained(dir);
    const ids = tok.encode(text, { add_special_tokens: false }) as number[];
    expect(ids.length).toBeLessThan(new TextEncoder().encode(text).length / 2);
    expect(tok.decode(ids)).toBe(text);

    const prompt = tok.apply_chat_template(
      [
        {
          role: 'user',
          content: [{ type: 'image' }, { type: 'text', text: 'How many?' }],
        },
      ],
      { tokenize: false, add_generation_prompt: true },
    );
    expect(prompt).toBe('<|im_start|>user\n<image>\nHow many?<|im_end|>\n<|im_start|>assistant\n');
    expect(CHATML_TEMPLATE).toContain('add_generation_prompt');
  });
});
