import { z } from 'zod';

/** Capabilities MM-Vet v1 grades. */
export const MMVET_CAPABILITIES = ['rec', 'ocr', 'know', 'gen', 'spat', 'math'] as const;

/** One MM-Vet v1 item from `mm-vet.json` (an object keyed `v1_0`..`v1_217`; the key becomes `id`). */
export const MMVetRecordSchema = z.object({
  id: z.string(),
  imagename: z.string(),
  capability: z.array(z.enum(MMVET_CAPABILITIES)).min(1),
  question: z.string(),
  answer: z.string(),
});
export type MMVetRecord = z.infer<typeof MMVetRecordSchema>;
