import { OPTION_LETTERS, type OptionLetter, type PreferencePair } from '@smart/types';
import { z } from 'zod';
import { sha256Hex } from './image-file';

/**
 * A pair read from a dataset file. Files SMART wrote carry the answer letters; files other tools wrote
 * do not, and an import never guesses them: `answer` / `wrongAnswer` are null there.
 */
export interface ImportedPair extends Omit<PreferencePair, 'answer' | 'wrongAnswer'> {
  answer: OptionLetter | null;
  wrongAnswer: OptionLetter | null;
}

const letter = z.enum(OPTION_LETTERS);

/** A non-negative integer; pandas and pyarrow write integers as INT64, which hyparquet reads as bigint. */
export const intColumn = z
  .union([z.number(), z.bigint().transform((b) => Number(b))])
  .pipe(z.number().int().nonnegative());

/** SMART's provenance columns, each optional on import (TRL and LLaMA-Factory ignore them; other tools omit them). */
export const provenanceSchema = z
  .object({
    sample_id: z.string().min(1).nullable().optional(),
    iteration: intColumn.nullable().optional(),
    answer: letter.nullable().optional(),
    wrong_answer: letter.nullable().optional(),
  })
  .refine((p) => p.answer == null || p.answer !== p.wrong_answer, { message: 'equals answer', path: ['wrong_answer'] });
export type Provenance = z.infer<typeof provenanceSchema>;

/** The texts of one row, as its format's reader found them (placeholders already removed). */
export interface PairTexts {
  prompt: string;
  chosen: string;
  rejected: string;
}

/**
 * The sample id of a row without `sample_id`: `import-` and 16 hex digits of sha256 over the prompt, the
 * image identity (its bytes' hash when embedded, else its path as written), chosen and rejected. A content
 * hash rather than file + row index, so re-importing after rows were reordered, filtered or the file
 * renamed gives the same ids, and a row repeated verbatim is caught as a duplicate.
 */
export function derivedSampleId(texts: PairTexts, imageKey: string): string {
  return `import-${sha256Hex(JSON.stringify([texts.prompt, imageKey, texts.chosen, texts.rejected])).slice(0, 16)}`;
}

/** The pair of a row: its own provenance where present, derived values where not. */
export function importedPair(texts: PairTexts, image: { path: string; key: string }, provenance: Provenance, defaultIteration: number): ImportedPair {
  return {
    sampleId: provenance.sample_id ?? derivedSampleId(texts, image.key),
    prompt: texts.prompt,
    image: image.path,
    chosen: texts.chosen,
    rejected: texts.rejected,
    answer: provenance.answer ?? null,
    wrongAnswer: provenance.wrong_answer ?? null,
    iteration: provenance.iteration ?? defaultIteration,
  };
}

/** What a format's reader takes from one row, before its images are resolved. */
export interface RowReading {
  /** With `placeholders.kind === 'tokens'`, the prompt still holds its `<image>` placeholders. */
  texts: PairTexts;
  images: unknown[];
  /**
   * `parts`: a conversational prompt with this many `{"type":"image"}` parts, which must equal the images.
   * `tokens`: plain text whose `<image>` placeholders are removed; with `required` (LLaMA-Factory, which
   * refuses a mismatch) there must be one per image, else there may also be none (TRL's processors add them).
   */
  placeholders: { kind: 'parts'; count: number } | { kind: 'tokens'; required: boolean };
}
