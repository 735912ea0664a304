import type { PreferencePair } from '@smart/types';
import type { ColumnSource, KeyValue, SchemaElement } from 'hyparquet-writer';
import type { z } from 'zod';
import { pairToTrlRecord, type trlMessageSchema } from './trl-format';

/** Column types of HF `datasets` Parquet files used by preference data, as pyarrow lays them out. */
export type HfColumnType = 'string' | 'int32' | 'int64' | 'float64' | 'image' | 'images' | 'messages';
type Repetition = 'REQUIRED' | 'OPTIONAL';

const utf8 = (name: string, repetition_type: Repetition): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type });
/** `datasets`' Image feature: struct<bytes: binary, path: string>. */
const imageStruct = (name: string, repetition_type: Repetition): SchemaElement[] => [
  { name, repetition_type, num_children: 2 },
  { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
  utf8('path', 'OPTIONAL'),
];
/** Standard 3-level list (pyarrow/pandas/`datasets` read nested columns only in this form). */
const list = (name: string, repetition_type: Repetition, element: SchemaElement[]): SchemaElement[] => [
  { name, repetition_type, converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  ...element,
];

/**
 * Schema elements of one column. `messages` is Arrow's layout of TRL messages,
 * list<struct<content: list<struct<text?, type>>, role>>; `images` is `Sequence(Image())`. `OPTIONAL` is what
 * pyarrow writes; SMART's exports use `REQUIRED`.
 */
export function hfColumnSchema(name: string, type: HfColumnType, repetition: Repetition = 'REQUIRED'): SchemaElement[] {
  switch (type) {
    case 'string':
      return [utf8(name, repetition)];
    case 'int32':
    case 'int64':
      return [{ name, type: type === 'int32' ? 'INT32' : 'INT64', repetition_type: repetition }];
    case 'float64':
      return [{ name, type: 'DOUBLE', repetition_type: repetition }];
    case 'image':
      return imageStruct(name, repetition);
    case 'images':
      return list(name, repetition, imageStruct('element', repetition));
    case 'messages':
      return list(name, repetition, [
        { name: 'element', repetition_type: repetition, num_children: 2 },
        ...list('content', repetition, [{ name: 'element', repetition_type: repetition, num_children: 2 }, utf8('text', 'OPTIONAL'), utf8('type', repetition)]),
        utf8('role', repetition),
      ]);
  }
}

/** The Parquet schema of columns in this order, under one root. */
export function hfSchema(columns: readonly (readonly [string, HfColumnType])[], repetition: Repetition = 'REQUIRED'): SchemaElement[] {
  return [{ name: 'root', num_children: columns.length }, ...columns.flatMap(([name, type]) => hfColumnSchema(name, type, repetition))];
}

const value = (dtype: string) => ({ dtype, _type: 'Value' });
const FEATURES: Record<HfColumnType, unknown> = {
  string: value('string'),
  int32: value('int32'),
  int64: value('int64'),
  float64: value('float64'),
  image: { _type: 'Image' },
  images: { feature: { _type: 'Image' }, _type: 'Sequence' },
  messages: [{ content: [{ text: value('string'), type: value('string') }], role: value('string') }],
};

/** The `huggingface` key-value metadata `datasets` reads its features from (Image columns decode as PIL images). */
export function hfFeaturesMetadata(columns: readonly (readonly [string, HfColumnType])[]): KeyValue[] {
  const features = Object.fromEntries(columns.map(([name, type]) => [name, FEATURES[type]]));
  return [{ key: 'huggingface', value: JSON.stringify({ info: { features } }) }];
}

/** SMART's Parquet columns: TRL's vision DPO columns, provenance, and the reference log-probs when known. */
function smartColumns(withReferenceLogProbs: boolean): [string, HfColumnType][] {
  return [
    ['sample_id', 'string'],
    ['iteration', 'int32'],
    ['images', 'images'],
    ['prompt', 'messages'],
    ['chosen', 'messages'],
    ['rejected', 'messages'],
    ['answer', 'string'],
    ['wrong_answer', 'string'],
    ...(withReferenceLogProbs ? ([['ref_chosen_logps', 'float64'], ['ref_rejected_logps', 'float64']] as [string, HfColumnType][]) : []),
  ];
}

/** Explicit schema of SMART's Parquet export; ref log-prob columns optional. */
export function parquetSchema(withReferenceLogProbs: boolean): SchemaElement[] {
  return hfSchema(smartColumns(withReferenceLogProbs));
}

/** The schema without reference log-prob columns. */
export const PARQUET_SCHEMA: SchemaElement[] = parquetSchema(false);

/**
 * The features metadata of SMART's export: `images` decode as a list of PIL images (`Sequence(Image())`), so
 * `load_dataset("parquet", ...)` gives TRL's vision DPO dataset as is.
 */
export function huggingfaceMetadata(withReferenceLogProbs: boolean): KeyValue[] {
  return hfFeaturesMetadata(smartColumns(withReferenceLogProbs));
}

/** A pair to write, with its image's bytes and, when known, the reference log-probs. */
export interface ParquetPair {
  pair: PreferencePair;
  imageBytes: Uint8Array;
  ref?: { chosen: number; rejected: number };
}

/** Messages in Arrow's uniform struct layout (every content part has `text`, null on image parts). */
function arrowMessages(messages: z.infer<typeof trlMessageSchema>[]): unknown[] {
  return messages.map((m) => ({
    content: typeof m.content === 'string' ? [{ text: m.content, type: 'text' }] : m.content.map((c) => ({ text: c.type === 'text' ? c.text : null, type: c.type })),
    role: m.role,
  }));
}

/** Column-major data for hyparquet-writer, in {@link parquetSchema} order. */
export function pairsToParquetColumns(rows: readonly ParquetPair[], withReferenceLogProbs: boolean): ColumnSource[] {
  const trl = rows.map((r) => pairToTrlRecord(r.pair));
  const columns: ColumnSource[] = [
    { name: 'sample_id', data: trl.map((r) => r.sample_id) },
    { name: 'iteration', data: trl.map((r) => r.iteration) },
    { name: 'images', data: rows.map((r) => [{ bytes: r.imageBytes, path: r.pair.image }]) },
    { name: 'prompt', data: trl.map((r) => arrowMessages(r.prompt)) },
    { name: 'chosen', data: trl.map((r) => arrowMessages(r.chosen)) },
    { name: 'rejected', data: trl.map((r) => arrowMessages(r.rejected)) },
    { name: 'answer', data: trl.map((r) => r.answer) },
    { name: 'wrong_answer', data: trl.map((r) => r.wrong_answer) },
  ];
  if (withReferenceLogProbs) {
    columns.push({ name: 'ref_chosen_logps', data: rows.map((r) => r.ref!.chosen) });
    columns.push({ name: 'ref_rejected_logps', data: rows.map((r) => r.ref!.rejected) });
  }
  return columns;
}
