import { SandboxError } from '../errors';
import { failedItem, summarize, type EvalRun, type ScoredItem } from '../report/eval-run';
import { extractCode, mmcodePromptText } from './mmcode-prompt';
import type { MMCodeRecord } from './mmcode-record';
import { passAtK, runProblem, type ProblemRun, type RunProblemOptions } from './run-problem';
import { checkSandbox } from './sandbox';

/** Options of `scoreMMCode`. */
export interface ScoreMMCodeOptions extends RunProblemOptions {
  model: string;
  /** One or more sampled responses per problem id. */
  responses: ReadonlyMap<string, string | readonly string[]>;
  /** Problems evaluated at once (each in its own sandbox). Default 2. */
  parallel?: number;
  iteration?: number;
}

/**
 * Runs every response's code in the sandbox. Item score = pass@1 (c/n over the samples); the headline
 * is the mean over problems, with a per-image-tag breakdown. Crashes and timeouts of the program are
 * wrong answers (score 0); a missing response or a sandbox that breaks is a failure, never scored.
 * Refuses (SandboxUnavailableError) before running anything when no sandbox can be set up.
 */
export async function scoreMMCode(records: readonly MMCodeRecord[], opts: ScoreMMCodeOptions): Promise<EvalRun> {
  await checkSandbox(opts);
  const items: ScoredItem[] = new Array(records.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < records.length) {
      const idx = next++;
      const r = records[idx]!;
      const base = { itemId: r.problem_id, prompt: mmcodePromptText(r), tags: { image_tags: r.image_tags, ...(r.difficulty ? { difficulty: r.difficulty } : {}) } };
      const got = opts.responses.get(r.problem_id);
      const samples = got === undefined ? [] : typeof got === 'string' ? [got] : [...got];
      if (samples.length === 0) {
        items[idx] = failedItem({ ...base, response: '' }, 'no response');
        continue;
      }
      const codes = samples.map(extractCode);
      const runs: ProblemRun[] = [];
      try {
        for (const code of codes) runs.push(await runProblem(code, r.input_output, opts));
      } catch (e) {
        if (!(e instanceof SandboxError)) throw e;
        items[idx] = failedItem({ ...base, response: samples[0]! }, e.message);
        continue;
      }
      const c = runs.filter((x) => x.verdict === 'pass').length;
      items[idx] = {
        ...base,
        response: samples[0]!,
        extracted: codes[0]!,
        score: passAtK(samples.length, c, 1),
        verdict: samples.length === 1 ? runs[0]!.verdict : `${c}/${samples.length} pass`,
      };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.parallel ?? 2) }, worker));
  return summarize({ benchmark: 'mmcode', model: opts.model, items, breakdownKeys: ['image_tags', 'difficulty'], iteration: opts.iteration });
}
