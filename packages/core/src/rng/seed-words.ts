import { RngSeedError } from '../errors';

const TWO_POW_32 = 4294967296;

/**
 * The four 32-bit state words for an integer seed in ±2^53: both 32-bit halves are mixed in and
 * expanded with splitmix32, so neighbouring seeds start far apart.
 */
export function wordsFromInteger(seed: number): Int32Array {
  if (!Number.isSafeInteger(seed)) throw new RngSeedError(seed);
  let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_POW_32) | 0, 0x9e3779b9);
  const words = new Int32Array(4);
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) | 0;
    words[i] = fmix32(x);
  }
  return nonZero(words);
}

/**
 * The four state words for a string key (a string seed, or a sub-stream's path): a 128-bit hash
 * (cyrb128's four multiply–xor lanes over UTF-16 code units) with each lane finalized by fmix32.
 */
export function wordsFromKey(key: string): Int32Array {
  let h1 = 1779033703;
  let h2 = 3144134277 | 0;
  let h3 = 1013904242;
  let h4 = 2773480762 | 0;
  for (let i = 0; i < key.length; i++) {
    const k = key.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return nonZero(Int32Array.from([fmix32(h1), fmix32(h2 + 0x9e3779b9), fmix32(h3), fmix32(h4 + 0x7f4a7c15)]));
}

// MurmurHash3's 32-bit finalizer (the splitmix32 output function): full avalanche of one word.
function fmix32(x: number): number {
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return z ^ (z >>> 16);
}

// An all-zero state is the one fixed point of xoshiro.
function nonZero(words: Int32Array): Int32Array {
  if ((words[0]! | words[1]! | words[2]! | words[3]!) === 0) words[0] = 1;
  return words;
}
