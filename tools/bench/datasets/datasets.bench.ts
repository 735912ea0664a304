/**
 * @smart/datasets in one run:
 *  (a) streaming a 50,000-record MathV360K file (JSONL and JSON array) through loadMathV360K (zod
 *      validation + MC parsing, image check off) against the bare baselines: readline + JSON.parse
 *      for JSONL, and JSON.parse of the whole file read into one string for the array;
 *  (b) generating and writing the synthetic task (96-px images, PNG encoding included).
 * Ratio = our time / baseline time (the price of streaming, validation and parsing).
 */
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readRecords } from '@smart/core';
import { generateSyntheticTask, loadMathV360K, toMathV360KRecord, writeSyntheticTask } from '@smart/datasets';
import { measure } from '../lib/measure';
import { printTable } from '../lib/table';

const RECORDS = 50_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'smart-bench-datasets-'));
  try {
    const task = await generateSyntheticTask({ seed: 1, train: 1000, heldOut: 0 });
    const records = Array.from({ length: RECORDS }, (_, i) => ({ ...toMathV360KRecord(task.train[i % 1000]!), id: `r${i}` }));
    const jsonl = join(dir, 'rows.jsonl');
    const array = join(dir, 'rows.json');
    writeFileSync(jsonl, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(array, JSON.stringify(records, null, 1));

    const loadAll = async (file: string) => {
      let n = 0;
      for await (const _ of loadMathV360K({ file, checkImages: false })) n++;
      if (n !== RECORDS) throw new Error(`loaded ${n}`);
    };
    const readRaw = async (file: string) => {
      let n = 0;
      for await (const r of readRecords(file)) if (r.ok) n++;
      if (n !== RECORDS) throw new Error(`read ${n}`);
    };
    const readlineParse = async () => {
      let n = 0;
      for await (const line of createInterface({ input: createReadStream(jsonl), crlfDelay: Infinity })) {
        if (!line.trim()) continue;
        JSON.parse(line);
        n++;
      }
      if (n !== RECORDS) throw new Error(`parsed ${n}`);
    };
    const slurp = () => {
      const all = JSON.parse(readFileSync(array, 'utf8')) as unknown[];
      if (all.length !== RECORDS) throw new Error(`parsed ${all.length}`);
    };
    const opts = { warmup: 1, minRuns: 3, minMs: 1500 };
    const base1 = await measure('readline + JSON.parse', readlineParse, opts);
    const raw1 = await measure('core readRecords (JSONL)', () => readRaw(jsonl), opts);
    const ours1 = await measure('loadMathV360K (JSONL)', () => loadAll(jsonl), opts);
    const base2 = await measure('JSON.parse(whole file)', slurp, opts);
    const raw2 = await measure('core readRecords (array)', () => readRaw(array), opts);
    const ours2 = await measure('loadMathV360K (array)', () => loadAll(array), opts);

    const gen = await measure('generateSyntheticTask 1000 items', () => generateSyntheticTask({ seed: 2, train: 900, heldOut: 100 }), { warmup: 1, minRuns: 3, minMs: 1000 });
    const out = join(dir, 'task');
    const write = await measure('writeSyntheticTask 1000 items', () => writeSyntheticTask(task, { dir: out }), { warmup: 1, minRuns: 3, minMs: 1000 });

    const rate = (ms: number) => Math.round((RECORDS / ms) * 1000);
    printTable(
      ['case', `ours ms (${RECORDS} rows)`, 'baseline ms', 'ratio ours/baseline', 'rows/s'],
      [
        ['JSONL: raw record stream vs readline+JSON.parse', raw1.medianMs, base1.medianMs, raw1.medianMs / base1.medianMs, rate(raw1.medianMs)],
        ['JSONL: loadMathV360K vs readline+JSON.parse', ours1.medianMs, base1.medianMs, ours1.medianMs / base1.medianMs, rate(ours1.medianMs)],
        ['array: raw record stream vs JSON.parse(slurp)', raw2.medianMs, base2.medianMs, raw2.medianMs / base2.medianMs, rate(raw2.medianMs)],
        ['array: loadMathV360K vs JSON.parse(slurp)', ours2.medianMs, base2.medianMs, ours2.medianMs / base2.medianMs, rate(ours2.medianMs)],
      ],
    );
    console.log();
    printTable(
      ['synthetic task (96 px)', 'ms per 1000 items', 'items/s'],
      [
        ['generate (draw + PNG encode + dedupe)', gen.medianMs, Math.round(1e6 / gen.medianMs)],
        ['write (JSONL + PNG files + sidecars)', write.medianMs, Math.round(1e6 / write.medianMs)],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
