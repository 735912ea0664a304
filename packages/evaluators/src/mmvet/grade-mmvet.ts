import { JudgeParseError } from '../errors';
import type { Judge } from '../judge/judge';
import { MMVET_RETRY_SUFFIX, mmvetGraderPrompt, parseMMVetGrade } from './grader-prompt';
import type { MMVetRecord } from './mmvet-record';

/** What to do when every try gives an unparseable grade. */
export type UnparseablePolicy = 'fail' | 'zero';

/** A grade and the raw judge text it came from. */
export interface MMVetGrade {
  score: number;
  content: string;
  tries: number;
}

/**
 * Grades one prediction like the official evaluator: temperature 0, max_tokens 3; on an
 * unparseable answer re-asks with "Predict the correctness of the answer (digit): " at temperatures
 * 0, 0.5, 1.0, 1.5. After 5 tries the official script scores 0.0 (`unparseable: 'zero'`); the
 * default here throws JudgeParseError so the item is reported as a failure instead.
 * Judge transport errors (JudgeError) propagate.
 */
export async function gradeMMVet(judge: Judge, record: MMVetRecord, prediction: string, opts: { run?: number; unparseable?: UnparseablePolicy } = {}): Promise<MMVetGrade> {
  const prompt = mmvetGraderPrompt(record, prediction);
  const replica = opts.run ?? 0;
  let content = await judge.complete({ prompt, temperature: 0, maxTokens: 3, replica });
  let score = parseMMVetGrade(content);
  let tries = 1;
  let temperature = 0;
  while (score === null && tries < 5) {
    content = await judge.complete({ prompt: prompt + MMVET_RETRY_SUFFIX, temperature, maxTokens: 3, replica });
    score = parseMMVetGrade(content);
    tries++;
    temperature += 0.5;
  }
  if (score !== null) return { score, content, tries };
  if (opts.unparseable === 'zero') return { score: 0, content, tries };
  throw new JudgeParseError(judge.model, content, `no grade in [0, 1] after ${tries} tries`);
}
