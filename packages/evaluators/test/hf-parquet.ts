import type { SchemaElement } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';

/** Column types of Hugging Face `datasets` Parquet files, as pyarrow lays them out. */
export type HfType = 'string' | 'float64' | 'int64' | 'string[]' | 'image' | { struct: Record<string, HfType> };

function elements(name: string, type: HfType): SchemaElement[] {
  if (type === 'string') return [{ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' }];
  if (type === 'float64') return [{ name, type: 'DOUBLE', repetition_type: 'OPTIONAL' }];
  if (type === 'int64') return [{ name, type: 'INT64', repetition_type: 'OPTIONAL' }];
  if (type === 'string[]') {
    // pyarrow's three-level list: optional group (LIST) { repeated group list { optional element } }
    return [
      { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ];
  }
  // datasets' Image feature: struct<bytes: binary, path: string>
  const fields: Record<string, HfType> = type === 'image' ? {} : type.struct;
  const children = type === 'image'
    ? [{ name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' } as SchemaElement, ...elements('path', 'string')]
    : Object.entries(fields).flatMap(([k, t]) => elements(k, t));
  const count = type === 'image' ? 2 : Object.keys(fields).length;
  return [{ name, repetition_type: 'OPTIONAL', num_children: count }, ...children];
}

/** Parquet bytes of `rows` in the HF layout of `columns`, `rowGroupSize` rows per row group. */
export function hfParquet(columns: Record<string, HfType>, rows: Record<string, unknown>[], rowGroupSize = 2): ArrayBuffer {
  const schema: SchemaElement[] = [{ name: 'schema', num_children: Object.keys(columns).length }, ...Object.entries(columns).flatMap(([k, t]) => elements(k, t))];
  const columnData = Object.keys(columns).map((name) => ({ name, data: rows.map((r) => r[name] ?? null) }));
  return parquetWriteBuffer({ columnData, schema, rowGroupSize });
}

/** The smallest valid PNG (1×1, grey), distinct per `seed` in its last pixel byte. */
export function tinyPng(seed: number): Uint8Array {
  // Signature, IHDR 1×1 grayscale 8-bit, then an IDAT/IEND tail; sniffing needs only the signature.
  return new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0, seed & 0xff]);
}
