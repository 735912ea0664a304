// Inserting and exporting 6,000 preference pairs with @smart/preference-store, against the cheapest
// durable-ish alternative a run could use: one fs.appendFileSync of a JSON line per pair.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { exportParquet, exportTrl, openStore, type PairWrite, type PreferenceStore } from '@smart/preference-store';
import type { OptionLetter, Sample } from '@smart/types';
import { printTable } from '../lib/table';

const PAIRS = 6000;
const RUNS = 9;
const CHUNK = 100;
const LETTERS: OptionLetter[] = ['A', 'B', 'C', 'D'];

function sample(i: number): Sample {
  return {
    id: `s${i}`,
    image: { path: `img/${i}.png` },
    question: `How many red squares are there in picture ${i}?`,
    choices: LETTERS.map((letter, k) => ({ letter, text: String(i + k) })),
    answer: LETTERS[i % 4]!,
    source: 'synthetic',
  };
}

/** 1 KiB PNG-signed blob, distinct per sample (the store hashes bytes; it never decodes them). */
function image(i: number): Buffer {
  const b = Buffer.alloc(1024, i & 0xff);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
  b.writeUInt32BE(i, 8);
  return b;
}

function pairWrite(i: number): PairWrite {
  const s = sample(i);
  const wrong = LETTERS[(i + 1) % 4]!;
  const rationale = (letter: string) =>
    `Step 1: look at the picture and find the red squares. Step 2: count them one by one. ` +
    `Step 3: compare with the options. Therefore the answer is (${letter}).`;
  const sampling = { temperature: 0.7, topP: 0.9, topK: 0, maxNewTokens: 512, seed: i };
  return {
    positive: { variant: 'aot', prompt: `AoT ${s.question} (${s.answer})`, targetAnswer: s.answer, text: rationale(s.answer), model: 'tiny', sampling, augmented: false, latencyMs: 100 },
    negative: { variant: 'aot', prompt: `AoT ${s.question} (${wrong})`, targetAnswer: wrong, text: rationale(wrong), model: 'tiny', sampling, augmented: true, latencyMs: 100 },
    verdict: { sampleId: s.id, iteration: 0, prompt: s.question, dropReasons: [] },
  };
}

const writes = Array.from({ length: PAIRS }, (_, i) => pairWrite(i));

// One content-addressed image folder shared by every store of the benchmark: images are stored when
// samples are loaded, before any pair exists, so their cost is not part of inserting pairs.
const imageDir = mkdtempSync(join(tmpdir(), 'bench-store-images-'));

function freshStore(dir: string): PreferenceStore {
  const store = openStore(join(dir, 'store.sqlite'), { imageDir });
  store.putSamples(writes.map((_, i) => ({ sample: sample(i), sourceName: 'bench', imageBytes: image(i) })));
  store.assignSamples(0, writes.map((_, i) => `s${i}`));
  return store;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function appendJsonl(dir: string): void {
  const file = join(dir, 'pairs.jsonl');
  for (const w of writes) appendFileSync(file, `${JSON.stringify(w)}\n`);
}

async function timeOnce(fn: (dir: string) => unknown, setup?: (dir: string) => (() => void) | Promise<() => void>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  const teardown = await setup?.(dir);
  const t0 = performance.now();
  await fn(dir);
  const dt = performance.now() - t0;
  teardown?.();
  rmSync(dir, { recursive: true, force: true });
  return dt;
}

const baselineTimes: number[] = [];

/**
 * Median over `RUNS` runs (after one warm-up) of `fn`, each run paired with a baseline run right
 * before it; the ratio is the median of the per-run ratios, which cancels most of the drift a
 * shared machine adds between runs.
 */
async function timeRuns(
  fn: (dir: string) => unknown,
  setup?: (dir: string) => (() => void) | Promise<() => void>,
): Promise<{ ms: number; ratio: number }> {
  const times: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < RUNS + 1; r++) {
    const base = await timeOnce(appendJsonl);
    const dt = await timeOnce(fn, setup);
    if (r === 0) continue; // warms the JIT and the file cache
    baselineTimes.push(base);
    times.push(dt);
    ratios.push(dt / base);
  }
  return { ms: median(times), ratio: median(ratios) };
}

async function main(): Promise<void> {
  let store: PreferenceStore | undefined;
  const withStore = (dir: string) => {
    store = freshStore(dir);
    return () => store!.close();
  };
  const insertEach = await timeRuns(() => {
    for (const w of writes) store!.recordPair(w);
  }, withStore);
  const insertChunked = await timeRuns(() => {
    for (let i = 0; i < writes.length; i += CHUNK) store!.recordPairs(writes.slice(i, i + CHUNK));
  }, withStore);
  const insertBatch = await timeRuns(() => store!.recordPairs(writes), withStore);

  const pairsDir = mkdtempSync(join(tmpdir(), 'bench-store-pairs-'));
  store = freshStore(pairsDir);
  store.recordPairs(writes);
  const trl = await timeRuns((dir) => exportTrl(store!, { dir }));
  const parquet = await timeRuns((dir) => exportParquet(store!, { dir }));
  const trlCopy = await timeRuns((dir) => exportTrl(store!, { dir, images: 'copy' }));
  // Images are content-addressed, so a second export into the same folder only writes the dataset file.
  const again = async (dir: string) => {
    await exportTrl(store!, { dir });
    return () => undefined;
  };
  const trlAgain = await timeRuns((dir) => exportTrl(store!, { dir }), again);
  const parquetAgain = await timeRuns((dir) => exportParquet(store!, { dir }), again);
  store.close();
  rmSync(pairsDir, { recursive: true, force: true });
  rmSync(imageDir, { recursive: true, force: true });

  console.log(
    `${PAIRS} pairs (1 KiB image each), median of ${RUNS} runs; baseline = fs.appendFileSync of one JSON line per pair, ` +
      'run right before each measured run; ratio = median of per-run ratios',
  );
  const row = (name: string, t: { ms: number; ratio: number }, target: string) => [name, t.ms, t.ratio, target];
  printTable(
    ['operation', 'ms', 'ratio to JSONL appends', 'target'],
    [
      ['baseline: appendFileSync per pair', median(baselineTimes), 1, ''],
      row('recordPair (1 transaction per pair)', insertEach, '<= 3x'),
      row(`recordPairs (1 transaction per ${CHUNK} pairs)`, insertChunked, '<= 3x'),
      row('recordPairs (1 transaction)', insertBatch, '<= 3x'),
      row(`exportTrl (JSONL + hard-link ${PAIRS} images)`, trl, '< 1000 ms'),
      row(`exportParquet (+ hard-link ${PAIRS} images)`, parquet, '< 1000 ms'),
      row(`exportTrl (JSONL + copy ${PAIRS} images)`, trlCopy, ''),
      row('exportTrl (image files already there)', trlAgain, '< 1000 ms'),
      row('exportParquet (image files already there)', parquetAgain, '< 1000 ms'),
    ],
  );
}

void main();
