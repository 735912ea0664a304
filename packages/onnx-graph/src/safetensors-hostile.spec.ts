import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors, openSafetensors, readSafetensors, readSafetensorsFolder, writeSafetensors, writeSafetensorsFolder } from './safetensors';
import { SafetensorsError } from './errors';
import { TensorData } from './graph';

/** A safetensors file from a raw header (object or text) and a data section of `data` bytes (or the bytes given). */
function raw(header: unknown, data: number | Uint8Array = 0, headerLength?: bigint): Uint8Array {
  const text = typeof header === 'string' ? Buffer.from(header, 'utf8') : Buffer.from(JSON.stringify(header));
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + text.length + body.length);
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(text.length), true);
  out.set(text, 8);
  out.set(body, 8 + text.length);
  return out;
}

const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

interface Case {
  name: string;
  bytes: Uint8Array;
  reason: RegExp;
  tensor?: string;
}

const cases: Case[] = [
  { name: 'empty file', bytes: new Uint8Array(0), reason: /shorter than its 8-byte header length/ },
  { name: '5-byte file', bytes: new Uint8Array(5), reason: /shorter than its 8-byte header length/ },
  { name: 'header length past the end', bytes: raw({}, 0, 1000n), reason: /header length 1000 exceeds file size/ },
  { name: 'header length 2^64-1', bytes: raw({}, 0, 0xffffffffffffffffn), reason: /exceeds the limit of 100000000 bytes/ },
  { name: 'header not JSON', bytes: raw('{"w": ', 0), reason: /header is not JSON/ },
  { name: 'header a JSON array', bytes: raw('[1, 2]', 0), reason: /header is not a JSON object/ },
  { name: 'header not UTF-8', bytes: raw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('latin1'), 0), reason: /not a JSON object|not UTF-8|not JSON/ },
  { name: 'header JSON null', bytes: raw('null', 0), reason: /header is not a JSON object/ },
  { name: 'duplicate tensor name', bytes: raw('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', 8), reason: /tensor 'w' appears twice/, tensor: 'w' },
  { name: 'duplicate name spelled with an escape', bytes: raw('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"\\u0077":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', 8), reason: /tensor 'w' appears twice/, tensor: 'w' },
  { name: 'overlapping tensors', bytes: raw({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, 12), reason: /tensor 'b'.*overlap tensor 'a'/, tensor: 'b' },
  { name: 'two tensors on the same bytes', bytes: raw({ a: f32([1], 0, 4), b: f32([1], 0, 4) }, 4), reason: /tensor 'b'.*overlap tensor 'a'/, tensor: 'b' },
  { name: 'gap between tensors', bytes: raw({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, 12), reason: /tensor 'b': gap of 4 bytes/, tensor: 'b' },
  { name: 'offsets past the data section', bytes: raw({ a: f32([2], 0, 8) }, 4), reason: /tensor 'a'.*run past the data section of 4 bytes/, tensor: 'a' },
  { name: 'end before begin', bytes: raw({ a: f32([0], 8, 4) }, 8), reason: /tensor 'a': offsets \[8, 4\] do not fit/, tensor: 'a' },
  { name: 'negative offset', bytes: raw({ a: f32([1], -4, 0) }, 4), reason: /tensor 'a': data_offsets/, tensor: 'a' },
  { name: 'shape × dtype ≠ bytes', bytes: raw({ a: f32([3], 0, 8) }, 8), reason: /tensor 'a': offsets \[0, 8\] do not fit shape \[3\] F32 \(12 bytes\)/, tensor: 'a' },
  { name: 'shape product beyond 2^53', bytes: raw({ a: f32([2 ** 30, 2 ** 30, 2 ** 30], 0, 8) }, 8), reason: /tensor 'a'.*do not fit/, tensor: 'a' },
  { name: 'negative dimension', bytes: raw({ a: f32([-1], 0, 4) }, 4), reason: /tensor 'a': shape/, tensor: 'a' },
  { name: 'unsupported dtype', bytes: raw({ a: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, 1), reason: /tensor 'a': unsupported dtype F8_E4M3/, tensor: 'a' },
  { name: 'entry not an object', bytes: raw({ a: 7 }, 0), reason: /tensor 'a'/, tensor: 'a' },
  { name: 'non-string metadata', bytes: raw({ __metadata__: { step: 3 }, a: f32([1], 0, 4) }, 4), reason: /__metadata__ must map strings to strings \(step:/ },
  { name: 'metadata an array', bytes: raw({ __metadata__: ['x'] }, 0), reason: /__metadata__ must map strings to strings/ },
  { name: 'trailing bytes after the tensors', bytes: raw({ a: f32([1], 0, 4) }, 12), reason: /data section has 12 bytes but the tensors cover 4/ },
];

describe('safetensors: hostile files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'onnx-graph-st-bad-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each(cases)('decodeSafetensors: $name', ({ bytes, reason, tensor }) => {
    const err = catchSync(() => decodeSafetensors(bytes, 'x.safetensors'));
    expect(err).toBeInstanceOf(SafetensorsError);
    expect(err).toMatchObject({ path: 'x.safetensors', tensor });
    expect((err as SafetensorsError).reason).toMatch(reason);
  });

  it.each(cases)('readSafetensors: $name', async ({ bytes, reason, tensor }) => {
    const p = join(dir, 'bad.safetensors');
    writeFileSync(p, bytes);
    const err = await readSafetensors(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SafetensorsError);
    expect(err).toMatchObject({ path: p, tensor });
    expect((err as SafetensorsError).reason).toMatch(reason);
  });

  it('refuses a FIFO without blocking, and /dev/zero and a directory', async () => {
    const fifo = join(dir, 'pipe.safetensors');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    await expect(withTimeout(readSafetensors(fifo), 5000)).rejects.toMatchObject({ path: fifo, reason: 'not a regular file (FIFO)' });
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(withTimeout(readSafetensors('/dev/zero'), 5000)).rejects.toMatchObject({ reason: 'not a regular file (character device)' });
    await expect(readSafetensors(dir)).rejects.toMatchObject({ path: dir, reason: expect.stringMatching(/not a regular file \(directory\)/) });
    await expect(readSafetensors(join(dir, 'none.safetensors'))).rejects.toMatchObject({ reason: 'file does not exist' });
  });

  it('reads one tensor of a > 4 GiB sparse file with bounded memory; a tensor over the read limit is refused', async () => {
    const big = 4.5 * 2 ** 30;
    const header = { big: { dtype: 'U8', shape: [big], data_offsets: [0, big] }, tail: f32([3], big, big + 12) };
    const head = raw(header, 0);
    const p = join(dir, 'huge.safetensors');
    const fd = openSync(p, 'w');
    try {
      writeSync(fd, head, 0, head.length, 0);
      ftruncateSync(fd, head.length + big + 12);
      const tail = Buffer.from(Float32Array.from([1.5, -2, 7]).buffer);
      writeSync(fd, tail, 0, 12, head.length + big);
    } finally {
      closeSync(fd);
    }
    const before = process.memoryUsage().rss;
    const file = await openSafetensors(p);
    try {
      expect(file.names()).toEqual(['big', 'tail']);
      const t = await file.read('tail');
      expect(Array.from(t.data as Float32Array)).toEqual([1.5, -2, 7]);
      expect(process.memoryUsage().rss - before).toBeLessThan(64 * 2 ** 20);
      await expect(file.read('big')).rejects.toMatchObject({ path: p, tensor: 'big', reason: expect.stringMatching(/4831838208 bytes, more than the read limit of 2147483648/) });
      await expect(file.read('nope')).rejects.toMatchObject({ tensor: 'nope', reason: "no tensor 'nope'" });
    } finally {
      await file.close();
    }
    const only = await readSafetensors(p, { only: (n) => n === 'tail' });
    expect([...only.tensors.keys()]).toEqual(['tail']);
    await expect(readSafetensors(p, { maxTensorBytes: 8 })).rejects.toMatchObject({ tensor: 'big' });
  });

  it('writer refuses tensors whose bytes do not match their shape, and leaves no partial file when it cannot write', async () => {
    const bad = new Map<string, TensorData>([['w', { dtype: 'float32', shape: [3], data: new Float32Array(2) }]]);
    expect(() => encodeSafetensors(bad)).toThrow(expect.objectContaining({ tensor: 'w', reason: 'tensor \'w\' holds 8 bytes but shape [3] float32 needs 12' }));
    await expect(writeSafetensors(join(dir, 'w.safetensors'), bad)).rejects.toBeInstanceOf(SafetensorsError);
    const meta = new Map<string, TensorData>([['__metadata__', { dtype: 'float32', shape: [1], data: new Float32Array(1) }]]);
    expect(() => encodeSafetensors(meta)).toThrow(SafetensorsError);
    const ok = new Map<string, TensorData>([['w', { dtype: 'float32', shape: [2], data: Float32Array.from([1, 2]) }]]);
    const missing = join(dir, 'no-such-dir', 'w.safetensors');
    await expect(writeSafetensors(missing, ok)).rejects.toMatchObject({ path: missing, reason: 'cannot write: ENOENT' });
    expect(readdirSync(dir)).toEqual([]);
    await writeSafetensors(join(dir, 'w.safetensors'), ok);
    expect(readdirSync(dir)).toEqual(['w.safetensors']);
  });
});

describe('safetensors folders: hostile indexes', () => {
  let dir: string;
  const tensors = () =>
    new Map<string, TensorData>([
      ['a', { dtype: 'float32', shape: [4], data: Float32Array.from([1, 2, 3, 4]) }],
      ['b', { dtype: 'float32', shape: [4], data: Float32Array.from([5, 6, 7, 8]) }],
    ]);
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onnx-graph-st-dir-'));
    await writeSafetensorsFolder(dir, tensors(), { maxShardBytes: 16 });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const index = (weightMap: unknown) => writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));

  it('a missing shard is a typed error naming the shard', async () => {
    rmSync(join(dir, 'model-00002-of-00002.safetensors'));
    await expect(readSafetensorsFolder(dir)).rejects.toMatchObject({ path: join(dir, 'model-00002-of-00002.safetensors'), reason: expect.stringMatching(/shard listed in .*index\.json does not exist/) });
  });

  it.each([
    { name: 'shard outside the folder', map: { a: '../x.safetensors' }, reason: /shard name '\.\.\/x\.safetensors' is not a file name inside the folder/ },
    { name: 'absolute shard path', map: { a: '/etc/passwd' }, reason: /is not a file name inside the folder/ },
    { name: 'weight_map value not a string', map: { a: 3 }, reason: /invalid index: weight_map\.a:/ },
  ])('index: $name', async ({ map, reason }) => {
    index(map);
    await expect(readSafetensorsFolder(dir)).rejects.toMatchObject({ path: join(dir, 'model.safetensors.index.json'), reason: expect.stringMatching(reason) });
  });

  it('index that is not JSON, or a FIFO, is a typed error naming it', async () => {
    const p = join(dir, 'model.safetensors.index.json');
    writeFileSync(p, '{"weight_map": ');
    await expect(readSafetensorsFolder(dir)).rejects.toMatchObject({ path: p, reason: expect.stringMatching(/invalid index: .*JSON/) });
    rmSync(p);
    execFileSync('mkfifo', [p]);
    await expect(withTimeout(readSafetensorsFolder(dir), 5000)).rejects.toMatchObject({ path: p, reason: 'not a regular file (FIFO)' });
  });

  it('a tensor listed in a shard that lacks it is a typed error naming shard and tensor', async () => {
    index({ a: 'model-00001-of-00002.safetensors', b: 'model-00001-of-00002.safetensors' });
    await expect(readSafetensorsFolder(dir)).rejects.toMatchObject({ path: join(dir, 'model-00001-of-00002.safetensors'), tensor: 'b' });
  });

  it('a shard tensor the index does not list is left out (the index decides)', async () => {
    index({ a: 'model-00001-of-00002.safetensors' });
    const back = await readSafetensorsFolder(dir);
    expect([...back.tensors.keys()]).toEqual(['a']);
  });

  it('a shard that is a directory is refused by name', async () => {
    rmSync(join(dir, 'model-00002-of-00002.safetensors'));
    mkdirSync(join(dir, 'model-00002-of-00002.safetensors'));
    await expect(readSafetensorsFolder(dir)).rejects.toMatchObject({ path: join(dir, 'model-00002-of-00002.safetensors'), reason: expect.stringMatching(/not a regular file \(directory\)/) });
  });
});

function catchSync(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Fails instead of hanging the suite when a read blocks. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}
