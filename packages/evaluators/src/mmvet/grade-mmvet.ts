import type { Judge } from '../judge/judge';
import { MMVET_RETRY_SUFFIX, mmvetGraderPrompt, parseMMVetGrade } from './grader-prompt';
import type { MMVetRecord } from './mmvet-record';

/** A grade, the raw judge text it came from, and whether no try parsed (then `score` is the official 0.0). */
export interface MMVetGrade {
  score: number;
  content: string;
  tries: number;
  unparseable: boolean;
}

/** Tries in all: the question, then four re-asks (the official loop stops scoring after its fifth try). */
const MAX_TRIES = 5;

/**
 * Grades one prediction like the official evaluator: temperature 0, max_tokens 3; on an unparseable
 * answer re-asks with "Predict the correctness of the answer (digit): " at temperatures 0, 0.5, 1.0,
 * 1.5; after 5 tries the grade is 0.0 as the official script sets it, with `unparseable` true. (The
 * official loop sends a sixth ask whose reply it never reads; it is not sent here.) A failed call —
 * transport error or blank reply after the judge's retries — rejects with JudgeError.
 */
export async function gradeMMVet(judge: Judge, record: MMVetRecord, prediction: string, opts: { run?: number } = {}): Promise<MMVetGrade> {
  const prompt = mmvetGraderPrompt(record, prediction);
  const replica = opts.run ?? 0;
  let content = await judge.complete({ prompt, temperature: 0, maxTokens: 3, replica });
  let score = parseMMVetGrade(content);
  let tries = 1;
  let temperature = 0;
  while (score === null && tries < MAX_TRIES) {
    content = await judge.complete({ prompt: prompt + MMVET_RETRY_SUFFIX, temperature, maxTokens: 3, replica });
    score = parseMMVetGrade(content);
    tries++;
    temperature += 0.5;
  }
  return score === null ? { score: 0, content, tries, unparseable: true } : { score, content, tries, unparseable: false };
}
