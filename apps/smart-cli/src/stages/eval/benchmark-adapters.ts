import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { collectSamples, loadMathV360K } from '@smart/datasets';
import {
  joinLlavaBench,
  llavaBenchRequests,
  LlavaAnswerSchema,
  LlavaContextSchema,
  LlavaQuestionSchema,
  loadRecords,
  LlavaBenchRowSchema,
  M3CoTRecordSchema,
  m3cotImage,
  m3cotRequests,
  MathVistaRecordSchema,
  mathvistaRequests,
  MMCODE_SYSTEM,
  MMCodeRecordSchema,
  mmcodePromptText,
  MMVetRecordSchema,
  recordFormatOf,
  mmvetRequests,
  scoreLlavaBench,
  scoreM3CoT,
  scoreMathVista,
  scoreMMCode,
  scoreMMVet,
  scoreSynthetic,
  syntheticRequests,
  type EvalRun,
  type Judge,
  type LlavaBenchItem,
  type RecordFormat,
  type UnparseablePolicy,
} from '@smart/evaluators';
import type { BenchmarkName, GenerationRequest } from '@smart/types';
import { ConfigError, MissingInputError } from '../../errors/errors';
import { mmcodeImages } from './mmcode-images';

/** A loaded benchmark: what to ask the model, and how to score the answers. */
export interface LoadedBenchmark {
  requests: GenerationRequest[];
  /** Rows of the data file that failed validation (skipped, reported). */
  skipped: number;
  score(responses: ReadonlyMap<string, string>, opts: { model: string; judge?: Judge; iteration?: number }): Promise<EvalRun>;
}

/** Where a benchmark's data is. */
export interface BenchmarkData {
  benchmark: BenchmarkName;
  data: string;
  imageRoot?: string;
  limit?: number;
  /** New tokens per answer (benchmark default when absent). */
  maxNewTokens?: number;
  /** Where images a Parquet (or MMCode's base64) file embeds are written (default `<data>.images/`). */
  imageDir?: string;
  /** MM-Vet and LLaVA-Bench: `exclude` makes a judge reply that never parsed a failure instead of the official fallback. */
  unparseable?: UnparseablePolicy;
}

/** Which benchmarks need a judge to score (MathVista only for responses its rules cannot read). */
export const JUDGE_USE: Readonly<Record<BenchmarkName, 'required' | 'optional' | 'none'>> = {
  synthetic: 'none',
  m3cot: 'none',
  mmcode: 'none',
  mathvista: 'optional',
  mmvet: 'required',
  'llava-bench': 'required',
};

const needsJudge = (b: BenchmarkName, judge: Judge | undefined): Judge => {
  if (!judge) throw new ConfigError(`benchmark ${b} is scored by a judge: pass --judge-base-url and --judge-model`, 'judgeBaseUrl');
  return judge;
};

function take<T>(xs: T[], limit: number | undefined): T[] {
  return limit === undefined ? xs : xs.slice(0, limit);
}

/** Loads a benchmark's records and binds its request builder and scorer. */
export async function loadBenchmark(spec: BenchmarkData): Promise<LoadedBenchmark> {
  const data = resolve(spec.data);
  if (!existsSync(data)) throw new MissingInputError(data, `${spec.benchmark} data file`);
  const root = resolve(spec.imageRoot ?? dirname(data));
  // One rule for every benchmark: the file name says the layout (Parquet, JSONL, else a JSON document).
  const format = recordFormatOf(data);
  const imageDir = spec.imageDir ?? `${data}.images`;
  const unparseable = spec.unparseable ? { unparseable: spec.unparseable } : {};
  // M3CoT and MMCode are released as JSONL (or Parquet) only: a `.json` name is still read line by line.
  const lines: RecordFormat = format === 'parquet' ? 'parquet' : 'jsonl';
  switch (spec.benchmark) {
    case 'synthetic': {
      const source = loadMathV360K({ file: data, imageRoot: root });
      const { samples: all, summary } = await collectSamples(source);
      const samples = take(all, spec.limit);
      const skipped = summary.read - summary.kept;
      const imageOf = (p: string) => ({ kind: 'path' as const, path: isAbsolute(p) ? p : join(root, p) });
      return {
        requests: syntheticRequests(samples, (s) => imageOf(s.image.path), spec.maxNewTokens),
        skipped,
        // Per kind and per question variant (`largest/smallest`), where the file tags its rows (the synthetic task's writer does).
        score: async (responses, o) =>
          scoreSynthetic(samples, { model: o.model, responses, breakdownKeys: ['kind', 'question'], ...(o.iteration === undefined ? {} : { iteration: o.iteration }) }),
      };
    }
    case 'mathvista': {
      const loaded = await loadRecords({ file: data, format, imageDir, schema: MathVistaRecordSchema, idField: 'pid' });
      const records = take(loaded.records, spec.limit);
      return {
        requests: mathvistaRequests(records, root, spec.maxNewTokens),
        skipped: loaded.errors.length,
        score: (responses, o) => scoreMathVista(records, { model: o.model, responses, ...(o.judge ? { judge: o.judge } : {}), ...(o.iteration === undefined ? {} : { iteration: o.iteration }) }),
      };
    }
    case 'm3cot': {
      const loaded = await loadRecords({ file: data, format: lines, imageDir, schema: M3CoTRecordSchema, idField: 'id' });
      const records = take(loaded.records, spec.limit);
      return {
        requests: m3cotRequests(records, (r) => m3cotImage(r, root), spec.maxNewTokens ? { maxNewTokens: spec.maxNewTokens } : {}),
        skipped: loaded.errors.length,
        score: async (responses, o) => scoreM3CoT(records, { model: o.model, responses, ...(o.iteration === undefined ? {} : { iteration: o.iteration }) }),
      };
    }
    case 'mmvet': {
      const loaded = await loadRecords({ file: data, format, imageDir, schema: MMVetRecordSchema, keyField: 'id', idField: 'id' });
      const records = take(loaded.records, spec.limit);
      return {
        requests: mmvetRequests(records, root, spec.maxNewTokens),
        skipped: loaded.errors.length,
        score: (responses, o) => scoreMMVet(records, { model: o.model, responses, judge: needsJudge('mmvet', o.judge), ...unparseable, ...(o.iteration === undefined ? {} : { iteration: o.iteration }) }),
      };
    }
    case 'mmcode': {
      const loaded = await loadRecords({ file: data, format: lines, imageDir, schema: MMCodeRecordSchema, idField: 'problem_id' });
      const records = take(loaded.records, spec.limit);
      // Every image the official client sends goes with the request, in order: several as `images`, which a
      // generator taking one refuses with a typed error (UnsupportedRequestError, reported by the error table).
      const requests = await Promise.all(records.map(async (r): Promise<GenerationRequest> => {
        const images = await mmcodeImages(r, root, imageDir, data);
        return {
          id: r.problem_id,
          system: MMCODE_SYSTEM,
          prompt: mmcodePromptText(r),
          ...(images.length === 1 ? { image: images[0]! } : images.length > 1 ? { images } : {}),
          sampling: { temperature: 0, topP: 1, maxNewTokens: spec.maxNewTokens ?? 1024 },
        };
      }));
      return {
        requests,
        skipped: loaded.errors.length,
        score: (responses, o) => scoreMMCode(records, { model: o.model, responses, ...(o.iteration === undefined ? {} : { iteration: o.iteration }) }),
      };
    }
    case 'llava-bench': {
      const { items: all, skipped, imageRoot } = await loadLlavaBench(data, format, imageDir, spec.imageRoot ? root : undefined);
      const items = take(all, spec.limit);
      return {
        requests: llavaBenchRequests(items, imageRoot),
        skipped,
        score: (responses, o) => scoreLlavaBench(items, { model: o.model, responses, judge: needsJudge('llava-bench', o.judge), ...unparseable, ...(o.iteration === undefined ? {} : { iteration: o.iteration }) }),
      };
    }
  }
}

/**
 * LLaVA-Bench as released: the lmms-lab Parquet (one file, images embedded), or the official
 * `questions.jsonl` with `context.jsonl`, `answers_gpt4.jsonl` and `images/` beside it.
 */
async function loadLlavaBench(data: string, format: RecordFormat, imageDir: string, imageRoot: string | undefined): Promise<{ items: LlavaBenchItem[]; skipped: number; imageRoot: string }> {
  const dir = dirname(data);
  if (format === 'parquet') {
    const rows = await loadRecords({ file: data, format: 'parquet', imageDir, schema: LlavaBenchRowSchema, idField: 'id' });
    return { items: rows.records, skipped: rows.errors.length, imageRoot: imageRoot ?? dir };
  }
  const q = await loadRecords({ file: data, format: 'jsonl', schema: LlavaQuestionSchema, idField: 'question_id' });
  const c = await loadRecords({ file: join(dir, 'context.jsonl'), format: 'jsonl', schema: LlavaContextSchema });
  const a = await loadRecords({ file: join(dir, 'answers_gpt4.jsonl'), format: 'jsonl', schema: LlavaAnswerSchema });
  const { items, missing } = joinLlavaBench(q.records, c.records, a.records);
  return { items, skipped: q.errors.length + c.errors.length + a.errors.length + missing.length, imageRoot: imageRoot ?? join(dir, 'images') };
}
