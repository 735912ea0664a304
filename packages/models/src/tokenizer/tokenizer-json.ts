import { BYTE_TO_CHAR } from './byte-level';

/** Special tokens of the tiny models' tokenizer, in id order after the BPE vocabulary. */
export const DEFAULT_SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '<image>'] as const;

/** A tokenizer.json document (the subset this package writes). */
export interface TokenizerJson {
  version: '1.0';
  added_tokens: {
    id: number;
    content: string;
    single_word: boolean;
    lstrip: boolean;
    rstrip: boolean;
    normalized: boolean;
    special: boolean;
  }[];
  normalizer: null;
  pre_tokenizer: {
    type: 'ByteLevel';
    add_prefix_space: boolean;
    trim_offsets: boolean;
    use_regex: boolean;
  };
  post_processor: {
    type: 'ByteLevel';
    add_prefix_space: boolean;
    trim_offsets: boolean;
    use_regex: boolean;
  };
  decoder: {
    type: 'ByteLevel';
    add_prefix_space: boolean;
    trim_offsets: boolean;
    use_regex: boolean;
  };
  model: {
    type: 'BPE';
    dropout: null;
    unk_token: null;
    continuing_subword_prefix: null;
    end_of_word_suffix: null;
    fuse_unk: boolean;
    byte_fallback: boolean;
    ignore_merges: boolean;
    vocab: Record<string, number>;
    merges: [string, string][];
  };
}

/**
 * Builds a byte-level BPE tokenizer.json: ids 0..255 are the bytes, then one id per merge, then the
 * special tokens. With no merges every byte is a token (handy for tiny test models).
 */
export function byteLevelTokenizerJson(
  options: {
    merges?: [string, string][];
    specialTokens?: readonly string[];
  } = {},
): TokenizerJson {
  const merges = options.merges ?? [];
  const vocab: Record<string, number> = {};
  BYTE_TO_CHAR.forEach((ch, id) => (vocab[ch] = id));
  let next = 256;
  for (const [a, b] of merges) {
    const t = a + b;
    if (!(t in vocab)) vocab[t] = next++;
  }
  const specials = options.specialTokens ?? DEFAULT_SPECIAL_TOKENS;
  const added_tokens = specials.map((content, i) => ({
    id: next + i,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const byteLevel = {
    type: 'ByteLevel' as const,
    add_prefix_space: false,
    trim_offsets: false,
    use_regex: true,
  };
  return {
    version: '1.0',
    added_tokens,
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: byteLevel,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
}

/** Vocabulary size (BPE tokens + special tokens) of a tokenizer.json built by byteLevelTokenizerJson. */
export function tokenizerVocabSize(tok: TokenizerJson): number {
  return Object.keys(tok.model.vocab).length + tok.added_tokens.length;
}
