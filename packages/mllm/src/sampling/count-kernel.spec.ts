import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import wabt from 'wabt';
import { CountKernel } from './count-kernel';

const LIMIT = 36 * 1024;

/** The pass in plain JavaScript: what the kernel must reproduce exactly. */
function reference(row: Float32Array, max: number, scale: number, near: number) {
  const counts = new Int32Array(LIMIT + 1);
  const candidates: number[] = [];
  row.forEach((l, i) => {
    const y = (max - l) * scale;
    if (!(y < LIMIT)) return;
    counts[(y + 0.5) | 0]!++;
    if (y < near) candidates.push(i);
  });
  return { counts, candidates };
}

describe('CountKernel', () => {
  const kernel = CountKernel.create(LIMIT)!;

  it('is available on this Node', () => {
    expect(kernel).toBeDefined();
  });

  it('finds the largest logit and counts every step and candidate exactly as JavaScript does, across row lengths', () => {
    let seed = 5;
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (const n of [9_216, 9_217, 20_001, 151_646, 12_003]) {
      const row = Float32Array.from({ length: n }, () => 14 - 12 * next() ** 0.3);
      row[n >> 1] = -Infinity;
      row[n - 1] = 14.5; // the maximum in the unaligned tail
      const max = kernel.load(row);
      expect(max).toBe(Math.fround(14.5));
      const scale = 1024 / 0.7;
      kernel.counts.fill(0);
      const candidates = kernel.count(max, scale, LIMIT, 8192.5);
      const want = reference(row, max, scale, 8192.5);
      expect(Array.from(candidates)).toEqual(want.candidates);
      expect(kernel.counts.subarray(0, LIMIT + 1)).toEqual(want.counts);
      expect(kernel.counts[LIMIT + 1]).toBe(0);
    }
  });

  it('returns NaN as the maximum of a row holding a NaN, and counts the NaN nowhere', () => {
    const row = Float32Array.from({ length: 10_000 }, (_, i) => (i === 77 ? NaN : (i % 50) / 10));
    expect(kernel.load(row)).toBeNaN();
    kernel.counts.fill(0);
    kernel.count(4.9, 1024, LIMIT, 8192.5);
    const counted = kernel.counts.subarray(0, LIMIT + 1).reduce((a, b) => a + b, 0);
    expect(counted).toBe(9_999);
  });

  it('embeds the module wabt 1.0.36 assembles count-kernel.wat to', async () => {
    const text = readFileSync(join(__dirname, 'count-kernel.wat'), 'utf8');
    const bytes = (await wabt()).parseWat('count-kernel.wat', text).toBinary({}).buffer;
    const literal = /const MODULE_BASE64 =\s*((?:\s*'[^']*'\s*\+?)+);/.exec(readFileSync(join(__dirname, 'count-kernel.ts'), 'utf8'))![1]!;
    const embedded = [...literal.matchAll(/'([^']*)'/g)].map((m) => m[1]).join('');
    expect(embedded).toBe(Buffer.from(bytes).toString('base64'));
  });
});
