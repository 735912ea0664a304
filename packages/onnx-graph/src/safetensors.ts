import { mkdir, open, rename, unlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { TensorData } from './graph';
import { DTYPE_BYTES, tensorArrayBytes, tensorArrayFromBytes } from './dtype';
import { SafetensorsError } from './errors';
import { FROM_DTYPE, headerLength, MAX_HEADER_BYTES, parseHeader } from './safetensors-header';
import { openRegular, SafetensorsFile, type SafetensorsReadOptions } from './safetensors-file';

const indexSchema = z.object({ metadata: z.record(z.string(), z.unknown()).optional(), weight_map: z.record(z.string(), z.string()) });

/** Tensors by name plus the free-form `__metadata__` strings. */
export interface SafetensorsContents {
  tensors: Map<string, TensorData>;
  metadata: Record<string, string>;
}

/** The padded JSON header and tensor order of a file to write; each tensor's bytes checked against its shape. */
function planFile(tensors: Map<string, TensorData>, metadata: Record<string, string>, path: string): { head: Uint8Array; names: string[]; dataBytes: number } {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = Object.keys(metadata).length ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') throw new SafetensorsError(path, "a tensor cannot be named '__metadata__'", name);
    const t = tensors.get(name)!;
    const n = t.data.byteLength;
    const expected = t.shape.reduce((a, d) => a * d, 1) * DTYPE_BYTES[t.dtype];
    if (n !== expected) throw new SafetensorsError(path, `tensor '${name}' holds ${n} bytes but shape [${t.shape}] ${t.dtype} needs ${expected}`, name);
    header[name] = { dtype: FROM_DTYPE[t.dtype], shape: t.shape, data_offsets: [offset, offset + n] };
    offset += n;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const text = new TextEncoder().encode(json);
  const head = new Uint8Array(8 + text.length);
  new DataView(head.buffer).setBigUint64(0, BigInt(text.length), true);
  head.set(text, 8);
  return { head, names, dataBytes: offset };
}

/** Encodes tensors as one safetensors file (names sorted, header padded to 8 bytes). */
export function encodeSafetensors(tensors: Map<string, TensorData>, metadata: Record<string, string> = {}): Uint8Array {
  const { head, names, dataBytes } = planFile(tensors, metadata, '<buffer>');
  const out = new Uint8Array(head.length + dataBytes);
  out.set(head, 0);
  let at = head.length;
  for (const name of names) {
    const b = tensorArrayBytes(tensors.get(name)!.data);
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** Decodes a safetensors buffer (validated as readSafetensors does); `path` only labels errors. */
export function decodeSafetensors(bytes: Uint8Array, path = '<buffer>'): SafetensorsContents {
  const n = headerLength(bytes.subarray(0, 8), bytes.length, path);
  const header = parseHeader(bytes.subarray(8, 8 + n), bytes.length - 8 - n, path);
  const body = bytes.subarray(header.dataStart);
  const tensors = new Map<string, TensorData>();
  for (const e of header.entries.values()) tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: tensorArrayFromBytes(e.dtype, body.subarray(e.begin, e.end)) });
  return { tensors, metadata: header.metadata };
}

/** Reads one .safetensors file by offsets (memory: the tensors, not the file; `only` limits which). */
export async function readSafetensors(path: string, options: SafetensorsReadOptions & { only?: (name: string) => boolean } = {}): Promise<SafetensorsContents> {
  const file = await SafetensorsFile.open(path, options);
  try {
    const tensors = new Map<string, TensorData>();
    for (const name of file.names()) if (!options.only || options.only(name)) tensors.set(name, await file.read(name));
    return { tensors, metadata: file.metadata };
  } finally {
    await file.close();
  }
}

/** Opens a safetensors file for reading tensors one at a time (see SafetensorsFile). */
export function openSafetensors(path: string, options: SafetensorsReadOptions = {}): Promise<SafetensorsFile> {
  return SafetensorsFile.open(path, options);
}

/** Writes one .safetensors file tensor by tensor (no whole-file buffer) to a temporary name renamed into place. */
export async function writeSafetensors(path: string, tensors: Map<string, TensorData>, metadata: Record<string, string> = {}): Promise<void> {
  const { head, names } = planFile(tensors, metadata, path);
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.write(head);
      for (const name of names) {
        const b = tensorArrayBytes(tensors.get(name)!.data);
        for (let at = 0; at < b.length; at += 1 << 30) await handle.write(b.subarray(at, Math.min(b.length, at + (1 << 30))));
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    if (err instanceof SafetensorsError) throw err;
    throw new SafetensorsError(path, `cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, undefined, { cause: err });
  }
}

/** Options of writeSafetensorsFolder. */
export interface ShardOptions {
  /** Start a new shard when the current one would exceed this many bytes (default: one file). */
  maxShardBytes?: number;
  metadata?: Record<string, string>;
}

/**
 * Writes `model.safetensors`, or HF-style shards `model-0000i-of-0000n.safetensors` plus
 * `model.safetensors.index.json` when the tensors exceed `maxShardBytes`. Returns the file names.
 */
export async function writeSafetensorsFolder(dir: string, tensors: Map<string, TensorData>, options: ShardOptions = {}): Promise<string[]> {
  const max = options.maxShardBytes ?? Infinity;
  const shards: Map<string, TensorData>[] = [new Map()];
  let size = 0;
  let total = 0;
  for (const name of [...tensors.keys()].sort()) {
    const t = tensors.get(name)!;
    if (size > 0 && size + t.data.byteLength > max) {
      shards.push(new Map());
      size = 0;
    }
    shards[shards.length - 1]!.set(name, t);
    size += t.data.byteLength;
    total += t.data.byteLength;
  }
  await mkdir(dir, { recursive: true });
  if (shards.length === 1) {
    await writeSafetensors(join(dir, 'model.safetensors'), shards[0]!, options.metadata);
    return ['model.safetensors'];
  }
  const pad = (i: number) => String(i).padStart(5, '0');
  const files = shards.map((_, i) => `model-${pad(i + 1)}-of-${pad(shards.length)}.safetensors`);
  const weightMap: Record<string, string> = {};
  for (const [i, shard] of shards.entries()) {
    await writeSafetensors(join(dir, files[i]!), shard, options.metadata);
    for (const name of shard.keys()) weightMap[name] = files[i]!;
  }
  const index = { metadata: { total_size: total, ...(options.metadata ?? {}) }, weight_map: weightMap };
  await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify(index, null, 2));
  return [...files, 'model.safetensors.index.json'];
}

/** An index file's text: a regular file of at most MAX_HEADER_BYTES (a FIFO or a huge file is refused). */
async function readIndexText(path: string): Promise<string> {
  const handle = await openRegular(path);
  try {
    const { size } = await handle.stat();
    if (size > MAX_HEADER_BYTES) throw new SafetensorsError(path, `index of ${size} bytes exceeds the limit of ${MAX_HEADER_BYTES}`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Reads a folder with model.safetensors or a sharded model.safetensors.index.json (every shard checked against the index). */
export async function readSafetensorsFolder(dir: string, options: SafetensorsReadOptions = {}): Promise<SafetensorsContents> {
  const indexPath = join(dir, 'model.safetensors.index.json');
  if (!existsSync(indexPath)) return readSafetensors(join(dir, 'model.safetensors'), options);
  let index: z.infer<typeof indexSchema>;
  try {
    index = indexSchema.parse(JSON.parse(await readIndexText(indexPath)));
  } catch (e) {
    if (e instanceof SafetensorsError) throw e;
    const reason = e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (e as Error).message;
    throw new SafetensorsError(indexPath, `invalid index: ${reason}`, undefined, { cause: e });
  }
  const tensors = new Map<string, TensorData>();
  let metadata: Record<string, string> = {};
  for (const file of new Set(Object.values(index.weight_map))) {
    if (basename(file) !== file || file === '..' || file === '.') throw new SafetensorsError(indexPath, `shard name '${file}' is not a file name inside the folder`);
    const shardPath = join(dir, file);
    if (!existsSync(shardPath)) throw new SafetensorsError(shardPath, `shard listed in ${indexPath} does not exist`);
    const part = await readSafetensors(shardPath, { ...options, only: (name) => index.weight_map[name] === file });
    metadata = { ...metadata, ...part.metadata };
    for (const [k, v] of part.tensors) tensors.set(k, v);
  }
  for (const name of Object.keys(index.weight_map)) if (!tensors.has(name)) throw new SafetensorsError(join(dir, index.weight_map[name]!), `tensor '${name}' is listed in ${indexPath} but missing from this shard`, name);
  return { tensors, metadata };
}
