import { JudgeError } from '../errors';
import type { Judge } from '../judge/judge';
import { tryPyFloat } from '../python/py-float';
import { pyInt } from '../python/py-int';
import { pyStrFloat } from '../python/py-str-float';
import { mathvistaExtractionPrompt } from './extraction-prompt';
import { mathvistaRejectReply } from './extraction-refusal';
import type { MathVistaRecord } from './mathvista-record';

/** Which step of the official cascade produced the extraction. */
export type MathVistaExtractionStep = 'empty' | 'choice-text' | 'integer' | 'float' | 'quick' | 'judge';

/** An extraction and the step that produced it. */
export interface MathVistaExtraction {
  extraction: string;
  step: MathVistaExtractionStep;
}

const QUICK = /The answer is "(.*)"\./;

/**
 * The rule steps of MathVista's `extract_answer`, in order; null when only the LLM judge can extract.
 * `int()`/`float()` follow CPython (`' ٣ '` is the integer 3, `'\ufeff3'` is not). `quickExtract`
 * enables the optional `The answer is "..."` regex.
 */
export function extractByRules(response: string, record: MathVistaRecord, quickExtract = false): MathVistaExtraction | null {
  if (response === '') return { extraction: '', step: 'empty' };
  if (record.question_type === 'multi_choice' && record.choices?.includes(response)) return { extraction: response, step: 'choice-text' };
  if (record.answer_type === 'integer') {
    try {
      return { extraction: pyInt(response).toString(), step: 'integer' };
    } catch {
      // not an integer literal: fall through like the official try/except
    }
  }
  if (record.answer_type === 'float') {
    const f = tryPyFloat(response);
    if (f !== null) return { extraction: pyStrFloat(f), step: 'float' };
  }
  if (quickExtract) {
    const m = QUICK.exec(response);
    if (m) return { extraction: m[1]!, step: 'quick' };
  }
  return null;
}

/** Options of `extractMathVistaAnswer`. */
export interface MathVistaExtractOptions {
  /** LLM extractor (the official one is GPT-4 at temperature 0). */
  judge?: Judge;
  quickExtract?: boolean;
  /** Max tokens of the extraction call. Default 256. */
  maxTokens?: number;
}

/**
 * Full extraction cascade. Throws JudgeError when the judge is needed but missing or failed, including
 * a blank or refusing reply after the judge's retries — the official script would score "" there (and
 * keep the refusal as the extraction); here such an item is reported as a failure and nothing is cached.
 */
export async function extractMathVistaAnswer(response: string, record: MathVistaRecord, opts: MathVistaExtractOptions = {}): Promise<MathVistaExtraction> {
  const ruled = extractByRules(response, record, opts.quickExtract ?? false);
  if (ruled) return ruled;
  if (!opts.judge) throw new JudgeError('(none)', 0, 'rule-based extraction failed and no judge is configured');
  const text = await opts.judge.complete({
    prompt: mathvistaExtractionPrompt(record.query, response),
    temperature: 0,
    maxTokens: opts.maxTokens ?? 256,
    rejectReply: mathvistaRejectReply,
  });
  return { extraction: text.trim(), step: 'judge' };
}
