import { PromptFormatError } from '../errors';
import { TransformersJsPromptEncoder } from './prompt-encoder';
import type { ChatMessage, TjsLibrary, TjsProcessor } from './transformers-js-surface';

const EOS = 1000;

/** A processor over a one-id-per-character tokenizer whose chat template is `render`. */
function fakeProcessor(render: (messages: ChatMessage[], generationPrompt: boolean) => string): TjsProcessor {
  const encode = (text: string) => [...text.replaceAll('</s>', '\u0001')].map((ch) => (ch === '\u0001' ? EOS : ch.codePointAt(0)!));
  const tokenizer = Object.assign(() => ({}), {
    eos_token_id: EOS,
    encode,
    convert_tokens_to_ids: () => undefined,
    decode: () => '',
  });
  return Object.assign(async () => ({}), {
    tokenizer,
    config: {},
    apply_chat_template: (messages: ChatMessage[], options?: Record<string, unknown>) => render(messages, options?.add_generation_prompt === true),
  }) as unknown as TjsProcessor;
}

const text = (m: ChatMessage) => (typeof m.content === 'string' ? m.content : m.content.map((p) => (p.type === 'text' ? p.text : '<image>')).join(''));
const noLib = {} as Pick<TjsLibrary, 'RawImage'>;

describe('TransformersJsPromptEncoder completions', () => {
  it("appends the tokenizer's EOS when the template renders none after the assistant text (as TRL does)", async () => {
    const plain = fakeProcessor((messages, gen) => messages.map((m) => `${m.role}:${text(m)};`).join('') + (gen ? 'assistant:' : ''));
    const row = await new TransformersJsPromptEncoder(noLib, plain, [EOS]).encode({ id: 'r', prompt: 'q', completion: 'ab' });
    // "user:q;assistant:" then "ab", then the template's ";" and the appended EOS.
    expect(row.promptLength).toBe('user:q;assistant:'.length);
    expect(row.inputIds.slice(row.promptLength)).toEqual([97, 98, 59, EOS]);
    expect(row.completionEnd).toBe(row.inputIds.length);
  });

  it('keeps the end of turn through its first EOS and drops template text after it', async () => {
    const llama = fakeProcessor((messages, gen) => messages.map((m) => (m.role === 'assistant' ? ` ${text(m)}</s>\n\n` : `[${text(m)}]`)).join('') + (gen ? ' ' : ''));
    const row = await new TransformersJsPromptEncoder(noLib, llama, [EOS]).encode({ id: 'r', prompt: 'q', completion: 'ab' });
    expect(row.inputIds.slice(row.promptLength, row.completionEnd)).toEqual([97, 98, EOS]);
    expect(row.inputIds).toHaveLength(row.completionEnd);
  });

  it('refuses templates that alter the assistant text or render the turn unlike their generation prompt', async () => {
    const trims = fakeProcessor((messages, gen) => messages.map((m) => `${m.role}:${text(m).trim()};`).join('') + (gen ? 'assistant:' : ''));
    await expect(new TransformersJsPromptEncoder(noLib, trims, [EOS]).encode({ id: 'r', prompt: 'q', completion: ' padded ' })).rejects.toThrow(PromptFormatError);
    const differs = fakeProcessor((messages, gen) => messages.map((m) => `${m.role}:${text(m)};`).join('') + (gen ? 'ASSISTANT>' : ''));
    await expect(new TransformersJsPromptEncoder(noLib, differs, [EOS]).encode({ id: 'r', prompt: 'q', completion: 'ab' })).rejects.toThrow(/differently from its generation prompt/);
  });
});
