import { z } from 'zod';
import { DType, DTYPE_BYTES } from './dtype';
import { SafetensorsError } from './errors';

/** safetensors dtype names and ours. */
export const TO_DTYPE: Record<string, DType> = { F32: 'float32', F64: 'float64', F16: 'float16', BF16: 'bfloat16', I64: 'int64', I32: 'int32', I8: 'int8', U8: 'uint8', BOOL: 'bool' };
export const FROM_DTYPE = Object.fromEntries(Object.entries(TO_DTYPE).map(([k, v]) => [v, k])) as Record<DType, string>;

/** The reference implementation's bound on the JSON header (safetensors' MAX_HEADER_SIZE). */
export const MAX_HEADER_BYTES = 100_000_000;

const entrySchema = z.object({
  dtype: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  data_offsets: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
});
const metadataSchema = z.record(z.string(), z.string());

/** One tensor of a header: where its bytes lie relative to the start of the data section. */
export interface SafetensorsEntry {
  name: string;
  dtype: DType;
  shape: number[];
  /** Byte offsets into the data section, end exclusive. */
  begin: number;
  end: number;
}

/** A validated header: entries in file order, metadata strings and the data section's start. */
export interface SafetensorsHeader {
  entries: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
  /** File offset of the data section (8 + header length). */
  dataStart: number;
}

/** The header length stored in the first 8 bytes, checked against the bound and the file size. */
export function headerLength(first8: Uint8Array, fileSize: number, path: string): number {
  if (fileSize < 8 || first8.length < 8) throw new SafetensorsError(path, `file of ${fileSize} bytes is shorter than its 8-byte header length`);
  const n = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) throw new SafetensorsError(path, `header length ${n} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  if (8n + n > BigInt(fileSize)) throw new SafetensorsError(path, `header length ${n} exceeds file size ${fileSize}`);
  return Number(n);
}

/**
 * Parses and validates the JSON header as the reference implementation does: known dtypes, shape ×
 * dtype = byte length, no duplicate names, and offsets that tile the data section exactly (in bounds,
 * no overlap, no gap), so every byte of `dataBytes` belongs to one tensor.
 */
export function parseHeader(headerBytes: Uint8Array, dataBytes: number, path: string): SafetensorsHeader {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw new SafetensorsError(path, 'header is not UTF-8');
  }
  if (!text.startsWith('{')) throw new SafetensorsError(path, 'header is not a JSON object');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SafetensorsError(path, `header is not JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SafetensorsError(path, 'header is not a JSON object');
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== undefined) throw new SafetensorsError(path, `tensor '${duplicate}' appears twice in the header`, duplicate);
  let metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (name === '__metadata__') {
      const parsed = metadataSchema.safeParse(value);
      if (!parsed.success) throw new SafetensorsError(path, `__metadata__ must map strings to strings (${describeIssue(parsed.error)})`);
      metadata = parsed.data;
      continue;
    }
    const parsed = entrySchema.safeParse(value);
    if (!parsed.success) throw new SafetensorsError(path, `tensor '${name}': ${describeIssue(parsed.error)}`, name);
    const { dtype: st, shape, data_offsets: [begin, end] } = parsed.data;
    const dtype = TO_DTYPE[st];
    if (!dtype) throw new SafetensorsError(path, `tensor '${name}': unsupported dtype ${st}`, name);
    const elements = shape.reduce((a, d) => a * BigInt(d), 1n);
    const expected = elements * BigInt(DTYPE_BYTES[dtype]);
    if (begin > end || BigInt(end - begin) !== expected) throw new SafetensorsError(path, `tensor '${name}': offsets [${begin}, ${end}] do not fit shape [${shape}] ${st} (${expected} bytes)`, name);
    if (end > dataBytes) throw new SafetensorsError(path, `tensor '${name}': offsets [${begin}, ${end}] run past the data section of ${dataBytes} bytes`, name);
    entries.push({ name, dtype, shape, begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let previous: string | undefined;
  for (const e of entries) {
    if (e.begin < at) throw new SafetensorsError(path, `tensor '${e.name}': offsets [${e.begin}, ${e.end}] overlap tensor '${previous}'`, e.name);
    if (e.begin > at) throw new SafetensorsError(path, `tensor '${e.name}': gap of ${e.begin - at} bytes before offset ${e.begin}`, e.name);
    at = e.end;
    previous = e.name;
  }
  if (at !== dataBytes) throw new SafetensorsError(path, `data section has ${dataBytes} bytes but the tensors cover ${at}`);
  return { entries: new Map(entries.map((e) => [e.name, e])), metadata, dataStart: 8 + headerBytes.length };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.length ? issue.path.join('.') + ': ' : ''}${issue.message}` : 'invalid';
}

/** The first key repeated in the top-level object of `json` (JSON.parse keeps only the last). */
export function firstDuplicateKey(json: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      for (i++; i < json.length && json.charCodeAt(i) !== 0x22; i++) if (json.charCodeAt(i) === 0x5c /* \ */) i++;
      if (depth !== 1) continue;
      let j = i + 1;
      while (j < json.length && /\s/.test(json[j]!)) j++;
      if (json[j] !== ':') continue;
      const key = JSON.parse(json.slice(start, i + 1)) as string;
      if (seen.has(key)) return key;
      seen.add(key);
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) depth++;
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return undefined;
}
