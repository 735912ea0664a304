import type { EncodedChat, PromptEncoder } from '@smart/types';
import { ExampleEncodingError } from '../errors';
import type { EncodedPair, EncodedSftRow, PreferenceExample, SftExample } from './examples';
import { commonPrefixLength, throughFirstDifferingStep, type LossSpan } from './step-span';
import { truncatePair, truncateRow, type TruncationLimits } from './truncate-rows';

function checkImageTokens(id: string, chat: EncodedChat, imageTokenId: number): void {
  const n = chat.inputIds.slice(0, chat.promptLength).filter((t) => t === imageTokenId).length;
  if (n !== chat.imageTokenCount) throw new ExampleEncodingError(id, `encoder reports ${chat.imageTokenCount} image tokens but the prompt holds ${n}`);
}

const sameIds = (a: readonly number[], b: readonly number[]) => a.length === b.length && commonPrefixLength(a, b) === a.length;

/**
 * Encodes a pair through the injected PromptEncoder (the one generation used, so rows are token-for-token
 * what was generated), checks that chosen and rejected share the prompt tokens, and truncates as TRL.
 *
 * `span` `first_differing_step` scores each row only from the first token where chosen and rejected differ
 * through the end of the step holding it (the rows end there; the shared tokens before it move into the
 * prompt span). Where the rationales share no step structure the whole completions are kept, as `completion`.
 */
export async function encodePair(encoder: PromptEncoder, example: PreferenceExample, limits: TruncationLimits, span: LossSpan = 'completion'): Promise<EncodedPair> {
  const base = { prompt: example.prompt, ...(example.image ? { image: example.image } : {}), ...(example.system !== undefined ? { system: example.system } : {}) };
  const encodeAs = (role: string, completion: string) => encoder.encode({ ...base, id: `${example.id}:${role}`, completion });
  const [c, r] = await Promise.all([encodeAs('chosen', example.chosen), encodeAs('rejected', example.rejected)]);
  checkImageTokens(example.id, c, limits.imageTokenId);
  const prompt = c.inputIds.slice(0, c.promptLength);
  if (!sameIds(prompt, r.inputIds.slice(0, r.promptLength))) throw new ExampleEncodingError(example.id, 'chosen and rejected rows encode to different prompt tokens');
  const t = truncatePair(example.id, prompt, c.inputIds.slice(c.promptLength), r.inputIds.slice(r.promptLength), limits);
  const pixels = c.pixelValues ? { pixelValues: c.pixelValues } : {};
  const whole: EncodedPair = {
    id: example.id,
    chosen: { ids: [...t.prompt, ...t.chosen], promptLength: t.prompt.length },
    rejected: { ids: [...t.prompt, ...t.rejected], promptLength: t.prompt.length },
    ...pixels,
  };
  const cut = span === 'first_differing_step' ? throughFirstDifferingStep(example.chosen, example.rejected) : null;
  if (!cut) return whole;
  // Each cut row is the full row's prefix its own encoding agrees with: through the step, without the end of turn
  // (which a cut completion's encoding appends, and the full row holds only where the step is the last one).
  const [cc, rc] = await Promise.all([encodeAs('chosen', cut.chosen), encodeAs('rejected', cut.rejected)]);
  const chosen = t.chosen.slice(0, commonPrefixLength(cc.inputIds.slice(cc.promptLength), t.chosen));
  const rejected = t.rejected.slice(0, commonPrefixLength(rc.inputIds.slice(rc.promptLength), t.rejected));
  const shared = commonPrefixLength(chosen, rejected);
  if (shared >= chosen.length || shared >= rejected.length) return whole;
  const promptLength = t.prompt.length + shared;
  return { id: example.id, chosen: { ids: [...t.prompt, ...chosen], promptLength }, rejected: { ids: [...t.prompt, ...rejected], promptLength }, ...pixels };
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
