import type { JsonObject } from '../files/model-files';

/** An added token as `transformers` serializes it (`AddedToken.__getstate__`). */
export interface AddedTokenJson {
  content: string;
  lstrip: boolean;
  normalized: boolean;
  rstrip: boolean;
  single_word: boolean;
  special: boolean;
}

type AddedTokens = { id: number; content: string; lstrip?: boolean; normalized?: boolean; rstrip?: boolean; single_word?: boolean; special?: boolean }[];

function addedTokens(tokenizerJson: JsonObject): AddedTokens {
  const list = tokenizerJson['added_tokens'];
  return Array.isArray(list) ? (list as AddedTokens) : [];
}

function asAddedToken(t: AddedTokens[number]): AddedTokenJson {
  return {
    content: t.content,
    lstrip: t.lstrip ?? false,
    normalized: t.normalized ?? false,
    rstrip: t.rstrip ?? false,
    single_word: t.single_word ?? false,
    special: t.special ?? true,
  };
}

/** tokenizer_config.json's `added_tokens_decoder` (id → added token), from tokenizer.json's `added_tokens`. */
export function addedTokensDecoder(tokenizerJson: JsonObject): Record<string, AddedTokenJson> {
  return Object.fromEntries(addedTokens(tokenizerJson).map((t) => [String(t.id), asAddedToken(t)]));
}

const NAMED = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'] as const;

/**
 * special_tokens_map.json as `save_pretrained` writes it: each named special token of tokenizer_config.json
 * as an added-token object (without `special`), and `additional_special_tokens` as strings.
 */
export function specialTokensMap(tokenizerJson: JsonObject, tokenizerConfig: JsonObject): JsonObject {
  const byContent = new Map(addedTokens(tokenizerJson).map((t) => [t.content, t]));
  const out: JsonObject = {};
  const additional = tokenizerConfig['additional_special_tokens'];
  if (Array.isArray(additional) && additional.length > 0) out['additional_special_tokens'] = additional;
  for (const name of NAMED) {
    const content = tokenizerConfig[name];
    if (typeof content !== 'string') continue;
    const { special: _special, ...token } = asAddedToken(byContent.get(content) ?? { id: -1, content });
    out[name] = token;
  }
  return out;
}
