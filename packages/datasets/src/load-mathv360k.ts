import { parseMathV360K } from '@smart/aot-prompts';
import { z } from 'zod';
import { SampleSource, type FormatAdapter, type LoadOptions } from './sample-source';

/** One turn of a sharegpt conversation. */
export const sharegptTurnSchema = z.object({ from: z.string(), value: z.string() });

/** A MathV360K (sharegpt) record: `{id, image, conversations: [{from:'human'}, {from:'gpt'}]}`. */
export const mathV360KRecordSchema = z
  .object({
    id: z.union([z.string().min(1), z.number()]),
    image: z.string().nullish(),
    conversations: z.array(sharegptTurnSchema),
    /** Optional item tags (not in MathV360K itself; the synthetic task writes its kind here), kept in `Sample.meta`. */
    meta: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .refine((r) => firstTurns(r.conversations) !== null, {
    message: 'conversations need a human turn followed by a gpt turn',
    path: ['conversations'],
  });

/** A MathV360K record as written by the synthetic task writer and read by the loader. */
export type MathV360KRecord = z.infer<typeof mathV360KRecordSchema>;

const adapter: FormatAdapter<typeof mathV360KRecordSchema> = {
  format: 'mathv360k',
  schema: mathV360KRecordSchema,
  adapt(record) {
    const turns = firstTurns(record.conversations)!;
    return { id: String(record.id), image: record.image, parsed: parseMathV360K(turns.human, turns.gpt), ...(record.meta ? { meta: record.meta } : {}) };
  },
};

/** Streams MathV360K sharegpt records (JSON array or JSONL) as samples; image paths are relative to `imageRoot`. */
export function loadMathV360K(options: LoadOptions): SampleSource<typeof mathV360KRecordSchema> {
  return new SampleSource(adapter, options);
}

// The first human turn and the gpt turn that answers it; later turns (rare multi-turn rows) are ignored.
function firstTurns(turns: { from: string; value: string }[]): { human: string; gpt: string } | null {
  const h = turns.findIndex((t) => t.from === 'human');
  if (h < 0) return null;
  const g = turns.findIndex((t, i) => i > h && t.from === 'gpt');
  return g < 0 ? null : { human: turns[h]!.value, gpt: turns[g]!.value };
}
