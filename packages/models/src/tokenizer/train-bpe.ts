import { byteLevelPieces } from './byte-level';

/** Options of BPE training. */
export interface TrainBpeOptions {
  /** Number of merges to learn (vocabulary = 256 bytes + merges + special tokens). */
  merges: number;
  /** Pairs seen fewer times than this are never merged. */
  minFrequency?: number;
}

/**
 * Learns byte-level BPE merges from a corpus (Sennrich et al. 2016, as in GPT-2): repeatedly merge the
 * most frequent adjacent pair within pre-tokens. Ties break on the pair string, so training is deterministic.
 */
export function trainByteLevelBpe(corpus: Iterable<string>, options: TrainBpeOptions): [string, string][] {
  const minFrequency = options.minFrequency ?? 2;
  const wordCounts = new Map<string, number>();
  for (const text of corpus) for (const p of byteLevelPieces(text)) wordCounts.set(p, (wordCounts.get(p) ?? 0) + 1);
  const words = [...wordCounts].map(([w, count]) => ({
    symbols: [...w],
    count,
  }));

  const merges: [string, string][] = [];
  while (merges.length < options.merges) {
    const pairCounts = new Map<string, number>();
    for (const { symbols, count } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]}\u0000${symbols[i + 1]}`;
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + count);
      }
    }
    let best: string | null = null;
    let bestCount = 0;
    for (const [key, c] of pairCounts) {
      if (c > bestCount || (c === bestCount && best !== null && key < best)) {
        best = key;
        bestCount = c;
      }
    }
    if (best === null || bestCount < minFrequency) break;
    const [a, b] = best.split('\u0000') as [string, string];
    merges.push([a, b]);
    const merged = a + b;
    for (const w of words) {
      const s = w.symbols;
      const out: string[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
          out.push(merged);
          i++;
        } else {
          out.push(s[i]!);
        }
      }
      w.symbols = out;
    }
  }
  return merges;
}
