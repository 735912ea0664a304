import { basename } from 'node:path';
import { z } from 'zod';
import { pyStrip } from '../python/py-whitespace';

/** Capabilities MM-Vet v1 grades. */
export const MMVET_CAPABILITIES = ['rec', 'ocr', 'know', 'gen', 'spat', 'math'] as const;

// mm-vet.json has a list; lmms-lab/MMVet a comma-separated string ("rec,ocr,spat").
const Capabilities = z
  .union([z.array(z.string()), z.string().transform((s) => s.split(',').map(pyStrip).filter((c) => c !== ''))])
  .pipe(z.array(z.enum(MMVET_CAPABILITIES)).min(1));

/** `mm-vet.json` (an object keyed `v1_0`..`v1_217`; the key becomes `id`). */
const OfficialSchema = z.object({ id: z.string(), imagename: z.string(), capability: Capabilities, question: z.string(), answer: z.string() });

/** A row of HF `lmms-lab/MMVet`; `image` is the embedded image's path once `loadRecords` has written it. */
const LmmsLabSchema = z
  .object({ question_id: z.union([z.string(), z.number()]).transform(String), image: z.string(), capability: Capabilities, question: z.string(), answer: z.string() })
  .transform((r) => ({ id: r.question_id, imagename: basename(r.image), image: r.image, capability: r.capability, question: r.question, answer: r.answer }));

/** One MM-Vet v1 item, from the official `mm-vet.json` or the `lmms-lab/MMVet` Parquet release. */
export const MMVetRecordSchema = z.union([OfficialSchema, LmmsLabSchema]);
export type MMVetRecord = z.infer<typeof OfficialSchema> & { image?: string };
