// GPT-2's reversible byte -> printable-unicode map, used by every byte-level BPE tokenizer.json.

/** byte (0..255) -> the single character that stands for it in byte-level vocabularies. */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const map = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    map[b] = printable.includes(b) ? String.fromCharCode(b) : String.fromCharCode(256 + extra++);
  }
  return map;
})();

/** The GPT-2 pre-tokenization pattern (what the `ByteLevel` pre-tokenizer with `use_regex` splits on). */
export const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

const encoder = new TextEncoder();

/** Splits text into pre-tokens and maps each to its byte-level character string. */
export function byteLevelPieces(text: string): string[] {
  return (text.match(GPT2_SPLIT) ?? []).map((piece) => {
    let out = '';
    for (const b of encoder.encode(piece)) out += BYTE_TO_CHAR[b];
    return out;
  });
}
