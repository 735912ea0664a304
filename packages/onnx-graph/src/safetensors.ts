import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { TensorData } from './graph';
import { DType, DTYPE_BYTES, tensorArrayBytes, tensorArrayFromBytes } from './dtype';
import { SafetensorsError } from './errors';
import { staticSize } from './shape';

const TO_DTYPE: Record<string, DType> = { F32: 'float32', F64: 'float64', F16: 'float16', BF16: 'bfloat16', I64: 'int64', I32: 'int32', I8: 'int8', U8: 'uint8', BOOL: 'bool' };
const FROM_DTYPE = Object.fromEntries(Object.entries(TO_DTYPE).map(([k, v]) => [v, k])) as Record<DType, string>;

const entrySchema = z.object({ dtype: z.string(), shape: z.array(z.number().int().nonnegative()), data_offsets: z.tuple([z.number().int(), z.number().int()]) });
const indexSchema = z.object({ metadata: z.record(z.string(), z.unknown()).optional(), weight_map: z.record(z.string(), z.string()) });

/** Tensors by name plus the free-form `__metadata__` strings. */
export interface SafetensorsContents {
  tensors: Map<string, TensorData>;
  metadata: Record<string, string>;
}

/** Encodes tensors as one safetensors file (names sorted, header padded to 8 bytes). */
export function encodeSafetensors(tensors: Map<string, TensorData>, metadata: Record<string, string> = {}): Uint8Array {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = Object.keys(metadata).length ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    const n = t.data.byteLength;
    header[name] = { dtype: FROM_DTYPE[t.dtype], shape: t.shape, data_offsets: [offset, offset + n] };
    offset += n;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const name of names) {
    const b = tensorArrayBytes(tensors.get(name)!.data);
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** Decodes a safetensors buffer; `path` only labels errors. */
export function decodeSafetensors(bytes: Uint8Array, path = '<buffer>'): SafetensorsContents {
  if (bytes.length < 8) throw new SafetensorsError(path, 'file shorter than its 8-byte header length');
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (8 + n > bytes.length) throw new SafetensorsError(path, `header length ${n} exceeds file size ${bytes.length}`);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new SafetensorsError(path, `header is not JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null) throw new SafetensorsError(path, 'header is not an object');
  const tensors = new Map<string, TensorData>();
  let metadata: Record<string, string> = {};
  const body = bytes.subarray(8 + n);
  for (const [name, value] of Object.entries(raw)) {
    if (name === '__metadata__') {
      metadata = z.record(z.string(), z.string()).parse(value);
      continue;
    }
    const parsed = entrySchema.safeParse(value);
    if (!parsed.success) throw new SafetensorsError(path, `tensor '${name}': ${parsed.error.issues[0]?.message}`);
    const { dtype: st, shape, data_offsets: [begin, end] } = parsed.data;
    const dtype = TO_DTYPE[st];
    if (!dtype) throw new SafetensorsError(path, `tensor '${name}': unsupported dtype ${st}`);
    const expected = staticSize(shape)! * DTYPE_BYTES[dtype];
    if (end - begin !== expected || begin < 0 || end > body.length) throw new SafetensorsError(path, `tensor '${name}': offsets [${begin}, ${end}] do not fit shape [${shape}] ${st}`);
    tensors.set(name, { dtype, shape, data: tensorArrayFromBytes(dtype, body.subarray(begin, end)) });
  }
  return { tensors, metadata };
}

/** Reads one .safetensors file. */
export async function readSafetensors(path: string): Promise<SafetensorsContents> {
  return decodeSafetensors(new Uint8Array(await readFile(path)), path);
}

/** Writes one .safetensors file. */
export async function writeSafetensors(path: string, tensors: Map<string, TensorData>, metadata: Record<string, string> = {}): Promise<void> {
  await writeFile(path, encodeSafetensors(tensors, metadata));
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

/** Reads a folder with model.safetensors or a sharded model.safetensors.index.json. */
export async function readSafetensorsFolder(dir: string): Promise<SafetensorsContents> {
  const indexPath = join(dir, 'model.safetensors.index.json');
  if (!existsSync(indexPath)) return readSafetensors(join(dir, 'model.safetensors'));
  let index: z.infer<typeof indexSchema>;
  try {
    index = indexSchema.parse(JSON.parse(await readFile(indexPath, 'utf8')));
  } catch (e) {
    throw new SafetensorsError(indexPath, `invalid index: ${(e as Error).message}`);
  }
  const tensors = new Map<string, TensorData>();
  let metadata: Record<string, string> = {};
  for (const file of new Set(Object.values(index.weight_map))) {
    const part = await readSafetensors(join(dir, file));
    metadata = { ...metadata, ...part.metadata };
    for (const [k, v] of part.tensors) tensors.set(k, v);
  }
  for (const name of Object.keys(index.weight_map)) if (!tensors.has(name)) throw new SafetensorsError(indexPath, `tensor '${name}' is listed but missing from ${index.weight_map[name]}`);
  return { tensors, metadata };
}
