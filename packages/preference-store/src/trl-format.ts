import { OPTION_LETTERS, type PreferencePair } from '@smart/types';
import { z } from 'zod';
import { imageValuesOf } from './import-images';
import type { RowReading } from './imported-pair';

const textPart = z.object({ type: z.literal('text'), text: z.string() });
// Arrow-backed readers (`datasets`, Parquet) give image parts a null `text`, which is ignored.
const imagePart = z.object({ type: z.literal('image'), text: z.null().optional() });
/** One TRL conversational message (string content, or text and image parts). */
export const trlMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.union([z.string(), z.array(z.union([textPart, imagePart]))]),
});
type Message = z.infer<typeof trlMessageSchema>;
const letter = z.enum(OPTION_LETTERS);

/** One TRL conversational preference record as SMART writes it: an image, and SMART's provenance columns. */
export const trlRecordSchema = z.object({
  images: z.array(z.string()).length(1),
  prompt: z.array(trlMessageSchema).min(1),
  chosen: z.array(trlMessageSchema).min(1),
  rejected: z.array(trlMessageSchema).min(1),
  sample_id: z.string(),
  iteration: z.number().int().nonnegative(),
  answer: letter,
  wrong_answer: letter,
  /** The frozen reference model's summed completion log-probs, which TRL's DPOTrainer uses instead of recomputing. */
  ref_chosen_logps: z.number().optional(),
  ref_rejected_logps: z.number().optional(),
});
export type TrlRecord = z.infer<typeof trlRecordSchema>;

/** A pair as a TRL record: the image placeholder comes first in the user turn, as TRL's VLM collators expect. */
export function pairToTrlRecord(p: PreferencePair): TrlRecord {
  return {
    images: [p.image],
    prompt: [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: p.prompt }] }],
    chosen: [{ role: 'assistant', content: [{ type: 'text', text: p.chosen }] }],
    rejected: [{ role: 'assistant', content: [{ type: 'text', text: p.rejected }] }],
    sample_id: p.sampleId,
    iteration: p.iteration,
    answer: p.answer,
    wrong_answer: p.wrongAnswer,
  };
}

const turns = z.union([z.string(), z.array(trlMessageSchema).min(1)]);

/**
 * A TRL preference row as any tool writes it (JSONL or Parquet): `prompt` (absent for TRL's implicit-prompt
 * layout), `chosen`, `rejected`, each a string or conversational messages; images in `images` (list, single
 * struct or path) or `image`. SMART's provenance columns are read separately; other columns are ignored.
 */
export const trlRowSchema = z.object({
  prompt: turns.nullable().optional(),
  chosen: turns,
  rejected: turns,
  images: z.unknown().optional(),
  image: z.unknown().optional(),
});
export type TrlRow = z.infer<typeof trlRowSchema>;

/** The one text of a message (string content or a single text part). */
function textOf(m: Message, where: string): string | string[] {
  if (typeof m.content === 'string') return m.content;
  const texts = m.content.filter((c) => c.type === 'text');
  if (texts.length !== 1) return [`${where}: expected one text part, found ${texts.length}`];
  return (texts[0] as { text: string }).text;
}

/** The single assistant turn of a completion. */
function completionOf(messages: Message[], where: string): string | string[] {
  if (messages.length !== 1 || messages[0]!.role !== 'assistant') return [`${where}: expected one assistant message, found ${messages.map((m) => m.role).join(', ')}`];
  const m = messages[0]!;
  if (typeof m.content !== 'string' && m.content.some((c) => c.type === 'image')) return [`${where}: an image part in a completion`];
  return textOf(m, where);
}

/** TRL's implicit prompt: chosen and rejected share every message but their last assistant turn. */
function splitImplicit(chosen: Message[], rejected: Message[]): { prompt: Message[]; chosen: Message[]; rejected: Message[] } | string[] {
  const prompt = chosen.slice(0, -1);
  if (prompt.length === 0 || JSON.stringify(prompt) !== JSON.stringify(rejected.slice(0, -1))) {
    return ['prompt: missing, and chosen and rejected do not share their prompt messages (implicit prompt)'];
  }
  return { prompt, chosen: chosen.slice(-1), rejected: rejected.slice(-1) };
}

/** What a validated TRL row holds, or the reasons SMART cannot take it as a single-image, single-turn pair. */
export function readTrlRow(r: TrlRow): RowReading | string[] {
  const images = imageValuesOf(r.images, r.image);
  const { chosen, rejected } = r;
  if (r.prompt == null) {
    if (typeof chosen === 'string' || typeof rejected === 'string') return ['prompt: missing (an implicit prompt is only split for conversational chosen/rejected)'];
    const split = splitImplicit(chosen, rejected);
    return Array.isArray(split) ? split : readTrlRow({ ...r, ...split });
  }
  const prompt = r.prompt;
  if (typeof prompt === 'string' && typeof chosen === 'string' && typeof rejected === 'string') {
    return { texts: { prompt, chosen, rejected }, images, placeholders: { kind: 'tokens', required: false } };
  }
  if (typeof prompt === 'string' || typeof chosen === 'string' || typeof rejected === 'string') {
    return ['prompt, chosen and rejected must all be strings or all be conversational messages'];
  }
  const problems: string[] = [];
  const user = prompt.filter((m) => m.role === 'user');
  if (prompt.some((m) => m.role === 'system')) problems.push('prompt: a system message (SMART pairs have no system prompt)');
  else if (prompt.length !== 1 || user.length !== 1) problems.push(`prompt: expected one user message, found ${prompt.map((m) => m.role).join(', ')}`);
  const text = problems.length === 0 ? textOf(user[0]!, 'prompt') : [];
  const c = completionOf(chosen, 'chosen');
  const j = completionOf(rejected, 'rejected');
  for (const x of [text, c, j]) if (Array.isArray(x)) problems.push(...x);
  if (problems.length > 0) return problems;
  const content = user[0]!.content;
  return {
    texts: { prompt: text as string, chosen: c as string, rejected: j as string },
    images,
    placeholders: typeof content === 'string' ? { kind: 'tokens', required: false } : { kind: 'parts', count: content.filter((p) => p.type === 'image').length },
  };
}
