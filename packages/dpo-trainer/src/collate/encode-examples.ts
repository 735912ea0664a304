import type { EncodedChat, PromptEncoder } from '@smart/types';
import { ExampleEncodingError } from '../errors';
import type { EncodedPair, EncodedSftRow, PreferenceExample, SftExample } from './examples';
import { truncatePair, truncateRow, type TruncationLimits } from './truncate-rows';

function checkImageTokens(id: string, chat: EncodedChat, imageTokenId: number): void {
  const n = chat.inputIds.slice(0, chat.promptLength).filter((t) => t === imageTokenId).length;
  if (n !== chat.imageTokenCount) throw new ExampleEncodingError(id, `encoder reports ${chat.imageTokenCount} image tokens but the prompt holds ${n}`);
}

const sameIds = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Encodes a pair through the injected PromptEncoder (the one generation used, so rows are token-for-token
 * what was generated), checks that chosen and rejected share the prompt tokens, and truncates as TRL.
 */
export async function encodePair(encoder: PromptEncoder, example: PreferenceExample, limits: TruncationLimits): Promise<EncodedPair> {
  const base = { prompt: example.prompt, ...(example.image ? { image: example.image } : {}), ...(example.system !== undefined ? { system: example.system } : {}) };
  const [c, r] = await Promise.all([
    encoder.encode({ ...base, id: `${example.id}:chosen`, completion: example.chosen }),
    encoder.encode({ ...base, id: `${example.id}:rejected`, completion: example.rejected }),
  ]);
  checkImageTokens(example.id, c, limits.imageTokenId);
  const prompt = c.inputIds.slice(0, c.promptLength);
  if (!sameIds(prompt, r.inputIds.slice(0, r.promptLength))) throw new ExampleEncodingError(example.id, 'chosen and rejected rows encode to different prompt tokens');
  const t = truncatePair(example.id, prompt, c.inputIds.slice(c.promptLength), r.inputIds.slice(r.promptLength), limits);
  return {
    id: example.id,
    chosen: { ids: [...t.prompt, ...t.chosen], promptLength: t.prompt.length },
    rejected: { ids: [...t.prompt, ...t.rejected], promptLength: t.prompt.length },
    ...(c.pixelValues ? { pixelValues: c.pixelValues } : {}),
  };
}

/** Encodes an SFT example through the PromptEncoder and truncates it to max_length. */
export async function encodeSftExample(encoder: PromptEncoder, example: SftExample, limits: TruncationLimits): Promise<EncodedSftRow> {
  const chat = await encoder.encode({
    id: example.id,
    prompt: example.prompt,
    completion: example.completion,
    ...(example.image ? { image: example.image } : {}),
    ...(example.system !== undefined ? { system: example.system } : {}),
  });
  checkImageTokens(example.id, chat, limits.imageTokenId);
  const t = truncateRow(example.id, chat.inputIds.slice(0, chat.promptLength), chat.inputIds.slice(chat.promptLength), limits);
  if (t.completion.length === 0) throw new ExampleEncodingError(example.id, 'no completion tokens to learn');
  return { id: example.id, row: { ids: [...t.prompt, ...t.completion], promptLength: t.prompt.length }, ...(chat.pixelValues ? { pixelValues: chat.pixelValues } : {}) };
}
