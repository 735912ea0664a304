import { parquetWriteBuffer } from 'hyparquet-writer';

type SchemaElement = NonNullable<Parameters<typeof parquetWriteBuffer>[0]['schema']>[number];

const str = (name: string): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
const strList = (name: string): SchemaElement[] => [
  { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { ...str('element') },
];
const METADATA = ['source', 'category', 'task', 'context', 'grade', 'language'];

/**
 * Parquet bytes laid out as HF `AI4Math/MathVista` (pyarrow's layout: `decoded_image` an Image struct
 * {bytes, path}, `metadata` a struct, `choices` a three-level list, `precision` float64).
 */
export function mathvistaParquet(rows: Record<string, unknown>[]): ArrayBuffer {
  const schema: SchemaElement[] = [
    { name: 'schema', num_children: 12 },
    str('pid'), str('question'), str('image'),
    { name: 'decoded_image', repetition_type: 'OPTIONAL', num_children: 2 }, { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' }, str('path'),
    ...strList('choices'), str('unit'), { name: 'precision', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
    str('answer'), str('question_type'), str('answer_type'),
    { name: 'metadata', repetition_type: 'OPTIONAL', num_children: METADATA.length + 1 }, ...METADATA.map(str), ...strList('skills'),
    str('query'),
  ];
  const names = ['pid', 'question', 'image', 'decoded_image', 'choices', 'unit', 'precision', 'answer', 'question_type', 'answer_type', 'metadata', 'query'];
  return parquetWriteBuffer({ columnData: names.map((name) => ({ name, data: rows.map((r) => r[name] ?? null) })), schema, rowGroupSize: 2 });
}
