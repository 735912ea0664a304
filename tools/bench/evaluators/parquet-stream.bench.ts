// Peak memory of reading a Hugging Face Parquet release with embedded images (100 KB per row, 100-row
// row groups, the layout `datasets` writes for image benchmarks). Rows:
//   (a) the whole file read at once with hyparquet's parquetReadObjects (what a non-streaming reader does);
//   (b) loadRecords: readParquetRows group by group, each embedded image written to disk, rows validated.
// Each row is a fresh child process (peak RSS of that process alone), at two file sizes; ratio (b)/(a).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { fileWriter, parquetWrite } from 'hyparquet-writer';
import { z } from 'zod';
import { loadRecords } from '@smart/evaluators';
import { printTable } from '../lib/table';

const IMAGE_BYTES = 100_000;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

async function writeFixture(file: string, rows: number): Promise<void> {
  const image = (): Uint8Array => {
    const b = new Uint8Array(randomBytes(IMAGE_BYTES));
    b.set(PNG_SIGNATURE);
    return b;
  };
  await parquetWrite({
    writer: fileWriter(file),
    rowGroupSize: 100,
    codec: 'UNCOMPRESSED',
    schema: [
      { name: 'schema', num_children: 3 },
      { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'image', repetition_type: 'OPTIONAL', num_children: 2 },
      { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
      { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'question', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ],
    columnData: [
      { name: 'id', data: Array.from({ length: rows }, (_, i) => `q${i}`) },
      { name: 'image', data: Array.from({ length: rows }, () => ({ bytes: image(), path: null })) },
      { name: 'question', data: Array.from({ length: rows }, (_, i) => `question ${i}`) },
    ],
  });
}

/** Child mode: read `file` one way, print `{ rows, peakRssMiB, seconds }`. */
async function child(mode: string, file: string, imageDir: string): Promise<void> {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  const t0 = performance.now();
  let rows: number;
  if (mode === 'whole') {
    const buf = await readFile(file);
    rows = (await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer, utf8: false })).length;
  } else {
    const schema = z.object({ id: z.string(), image: z.string(), question: z.string() });
    rows = (await loadRecords({ file, format: 'parquet', schema, imageDir })).records.length;
  }
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(JSON.stringify({ rows, peakRssMiB: peak / 2 ** 20, seconds: (performance.now() - t0) / 1000 }));
}

function runChild(mode: string, file: string, imageDir: string): { rows: number; peakRssMiB: number; seconds: number } {
  const r = spawnSync('npx', ['tsx', '--tsconfig', join(__dirname, '..', 'tsconfig.json'), __filename, '--child', mode, file, imageDir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`child ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { rows: number; peakRssMiB: number; seconds: number };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'parquet-bench-'));
  try {
    const rows: (string | number)[][] = [];
    for (const n of [1000, 4000]) {
      const file = join(dir, `rows-${n}.parquet`);
      await writeFixture(file, n);
      const whole = runChild('whole', file, join(dir, `img-${n}`));
      const ours = runChild('stream', file, join(dir, `img-${n}`));
      rows.push([`${n} rows, ${Math.round((n * IMAGE_BYTES) / 2 ** 20)} MiB of images`, whole.peakRssMiB, ours.peakRssMiB, ours.peakRssMiB / whole.peakRssMiB, ours.seconds]);
    }
    printTable(['file', '(a) whole-file peak RSS MiB', '(b) loadRecords peak RSS MiB', 'ratio b/a', '(b) seconds'], rows);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') void child(process.argv[3]!, process.argv[4]!, process.argv[5]!);
else void main();
