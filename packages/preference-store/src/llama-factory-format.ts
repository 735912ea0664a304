import { OPTION_LETTERS, type PreferencePair } from '@smart/types';
import { z } from 'zod';
import { imageValuesOf } from './import-images';
import type { RowReading } from './imported-pair';
import { IMAGE_TOKEN } from './image-placeholder';

const turn = (from: string) => z.object({ from: z.literal(from), value: z.string() });
const letter = z.enum(OPTION_LETTERS);

/** One LLaMA-Factory sharegpt ranking record as SMART writes it, with SMART's provenance fields (ignored by LLaMA-Factory). */
export const llamaFactoryRecordSchema = z.object({
  conversations: z.array(turn('human')).length(1),
  chosen: turn('gpt'),
  rejected: turn('gpt'),
  images: z.array(z.string()).length(1),
  sample_id: z.string(),
  iteration: z.number().int().nonnegative(),
  answer: letter,
  wrong_answer: letter,
});
export type LlamaFactoryRecord = z.infer<typeof llamaFactoryRecordSchema>;

/** `dataset_info.json` entry that tells LLaMA-Factory how to read the exported file. */
export function llamaFactoryDatasetInfo(fileName: string): Record<string, unknown> {
  return {
    file_name: fileName,
    formatting: 'sharegpt',
    ranking: true,
    columns: { messages: 'conversations', chosen: 'chosen', rejected: 'rejected', images: 'images' },
  };
}

/** A pair as a sharegpt ranking record: `<image>` is prepended to the question, once. */
export function pairToLlamaFactoryRecord(p: PreferencePair): LlamaFactoryRecord {
  return {
    conversations: [{ from: 'human', value: `${IMAGE_TOKEN}${p.prompt}` }],
    chosen: { from: 'gpt', value: p.chosen },
    rejected: { from: 'gpt', value: p.rejected },
    images: [p.image],
    sample_id: p.sampleId,
    iteration: p.iteration,
    answer: p.answer,
    wrong_answer: p.wrongAnswer,
  };
}

const names = z.record(z.string(), z.string().nullable());
/** One `dataset_info.json` entry (keys LLaMA-Factory reads for a local file; others such as `hf_hub_url` ignored). */
export const llamaFactoryDatasetEntrySchema = z.object({
  file_name: z.string().optional(),
  formatting: z.enum(['alpaca', 'sharegpt']).optional(),
  ranking: z.boolean().optional(),
  columns: names.optional(),
  tags: names.optional(),
});
export type LlamaFactoryDatasetEntry = z.infer<typeof llamaFactoryDatasetEntrySchema>;

/** Column names and sharegpt tags of a dataset, resolved as LLaMA-Factory's parser does. */
export interface LlamaFactoryAttr {
  formatting: 'alpaca' | 'sharegpt';
  ranking: boolean;
  columns: Partial<Record<'prompt' | 'query' | 'history' | 'messages' | 'system' | 'images' | 'chosen' | 'rejected', string>>;
  tags: Partial<Record<'role' | 'content' | 'user' | 'assistant' | 'system', string>>;
}

const COLUMN_DEFAULTS = { prompt: 'instruction', query: 'input', messages: 'conversations' } as const;
const TAG_DEFAULTS = { role: 'from', content: 'value', user: 'human', assistant: 'gpt', system: 'system' } as const;

/**
 * An entry's attributes with LLaMA-Factory's defaults (parser.py): alpaca unless `formatting` says otherwise;
 * a `columns` (or `tags`) object replaces the defaults whole, so a column it does not list is absent, as in
 * LLaMA-Factory. Without `columns` no `images` column is read, again as there.
 */
export function llamaFactoryAttr(entry: LlamaFactoryDatasetEntry): LlamaFactoryAttr {
  const pick = <K extends string>(given: Record<string, string | null> | undefined, defaults: Partial<Record<K, string>>, keys: readonly K[], suffix: string) => {
    const out: Partial<Record<K, string>> = {};
    for (const k of keys) {
      const v = given === undefined ? defaults[k] : given[`${k}${suffix}`];
      if (typeof v === 'string' && v !== '') out[k] = v;
    }
    return out;
  };
  const formatting = entry.formatting ?? 'alpaca';
  const columnKeys = ['system', 'images', 'chosen', 'rejected', ...(formatting === 'alpaca' ? (['prompt', 'query', 'history'] as const) : (['messages'] as const))] as const;
  return {
    formatting,
    ranking: entry.ranking ?? false,
    columns: pick(entry.columns, COLUMN_DEFAULTS, columnKeys, ''),
    tags: pick(formatting === 'sharegpt' ? entry.tags : undefined, TAG_DEFAULTS, ['role', 'content', 'user', 'assistant', 'system'] as const, '_tag'),
  };
}

const record = z.record(z.string(), z.unknown());
const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** The system prompt a row carries, if any (SMART pairs have none, so such a row is refused). */
function systemProblem(system: unknown, where: string): string[] {
  return present(system) ? [`${where}: a system prompt (SMART pairs have none)`] : [];
}

function readSharegpt(row: Record<string, unknown>, attr: LlamaFactoryAttr): { prompt: string; chosen: string; rejected: string } | string[] {
  const { columns: col, tags } = attr;
  const [role, content] = [tags.role!, tags.content!];
  const messages = z.array(record).safeParse(row[col.messages!]);
  if (!messages.success) return [`${col.messages}: expected a list of messages`];
  let turns = messages.data;
  for (const [i, m] of turns.entries()) {
    if (typeof m[role] !== 'string' || typeof m[content] !== 'string') return [`${col.messages}[${i}]: expected string "${role}" and "${content}"`];
  }
  const problems: string[] = [];
  if (tags.system !== undefined && turns[0]?.[role] === tags.system) {
    problems.push(...systemProblem(turns[0]![content], `${col.messages}[0]`));
    turns = turns.slice(1);
  } else if (col.system !== undefined) problems.push(...systemProblem(row[col.system], col.system));
  if (turns.length !== 1 || turns[0]![role] !== tags.user) {
    problems.push(`${col.messages}: expected one "${tags.user}" turn, found ${turns.map((t) => JSON.stringify(t[role])).join(', ') || 'none'}`);
  }
  const reply = (column: string | undefined, what: 'chosen' | 'rejected'): string => {
    const m = record.safeParse(column === undefined ? undefined : row[column]);
    if (!m.success || m.data[role] !== tags.assistant || typeof m.data[content] !== 'string') {
      problems.push(`${column ?? what}: expected a "${tags.assistant}" message {"${role}", "${content}"}`);
      return '';
    }
    return m.data[content] as string;
  };
  const chosen = reply(col.chosen, 'chosen');
  const rejected = reply(col.rejected, 'rejected');
  if (problems.length > 0) return problems;
  return { prompt: turns[0]![content] as string, chosen, rejected };
}

function readAlpaca(row: Record<string, unknown>, attr: LlamaFactoryAttr): { prompt: string; chosen: string; rejected: string } | string[] {
  const { columns: col } = attr;
  const problems: string[] = [];
  const parts: string[] = [];
  for (const column of [col.prompt, col.query]) {
    const v = column === undefined ? undefined : row[column];
    if (!present(v)) continue;
    if (typeof v !== 'string') problems.push(`${column}: expected a string`);
    else parts.push(v);
  }
  if (parts.length === 0 && problems.length === 0) problems.push(`${col.prompt ?? 'prompt'}: missing`);
  if (col.history !== undefined && Array.isArray(row[col.history]) && (row[col.history] as unknown[]).length > 0) problems.push(`${col.history}: multi-turn history (SMART pairs are single-turn)`);
  if (col.system !== undefined) problems.push(...systemProblem(row[col.system], col.system));
  const reply = (column: string | undefined, what: string): string => {
    const v = column === undefined ? undefined : row[column];
    if (typeof v !== 'string') problems.push(`${column ?? what}: expected a string`);
    return typeof v === 'string' ? v : '';
  };
  const chosen = reply(col.chosen, 'chosen');
  const rejected = reply(col.rejected, 'rejected');
  if (problems.length > 0) return problems;
  // LLaMA-Factory's human turn is `instruction\ninput`.
  return { prompt: parts.join('\n'), chosen, rejected };
}

/** What one row of a LLaMA-Factory ranking dataset holds, or the reasons SMART cannot take it. */
export function readLlamaFactoryRow(value: unknown, attr: LlamaFactoryAttr): RowReading | string[] {
  const row = record.safeParse(value);
  if (!row.success) return ['(record): expected a JSON object'];
  const texts = attr.formatting === 'sharegpt' ? readSharegpt(row.data, attr) : readAlpaca(row.data, attr);
  if (Array.isArray(texts)) return texts;
  const images = attr.columns.images === undefined ? [] : imageValuesOf(row.data[attr.columns.images], undefined);
  return { texts, images, placeholders: { kind: 'tokens', required: true } };
}
