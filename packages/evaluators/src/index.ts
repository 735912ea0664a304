export {
  BenchmarkFileError,
  BenchmarkRecordError,
  DuplicateRecordError,
  EvaluatorsError,
  JudgeCacheError,
  JudgeError,
  JudgeParseError,
  MMCodeDataError,
  PythonValueError,
  ResponseMismatchError,
  SandboxError,
  SandboxUnavailableError,
} from './errors';
export { pyFloat, tryPyFloat } from './python/py-float';
export { pyInt, pyIntOfFloat } from './python/py-int';
export { pyRound, pyRoundInt } from './python/py-round';
export { npRound } from './python/np-round';
export { pyFormatFixed } from './python/py-format-fixed';
export { isPyWhitespace, pyStrip } from './python/py-whitespace';
export { pyStrFloat } from './python/py-str-float';
export { levenshtein, mostSimilar } from './python/levenshtein';
export {
  loadRecords,
  parseRecords,
  recordFormatOf,
  type LoadedRecords,
  type LoadRecordsOptions,
  type ParseRecordsOptions,
  type RecordFormat,
} from './records/load-records';
export { readParquetRows, type ReadParquetRowsOptions } from './records/read-parquet-rows';
export { writeEmbeddedImages } from './records/embedded-images';
export type { Judge, JudgeRequest } from './judge/judge';
export type { JudgeCache } from './judge/judge-cache';
export { judgeCacheKey, type JudgeCacheKeyInput } from './judge/judge-cache-key';
export { imageSha256 } from './judge/image-sha256';
export { GeneratorJudge, type GeneratorJudgeOptions, type JudgeStats } from './judge/generator-judge';
export {
  NO_RESPONSE,
  breakdownsOf,
  breakdownCountsOf,
  failedItem,
  isCompleteRun,
  mean,
  summarize,
  tallyItems,
  type EvalRun,
  type FailureKind,
  type RunTally,
  type ScoredItem,
  type SummarizeOptions,
} from './report/eval-run';
export type { UnparseablePolicy } from './report/unparseable-policy';
export { displayScore } from './report/display-score';
export { readScoredItems, writeEvalOutputs } from './report/eval-outputs';
export { formatTable } from './report/format-table';
export { collectResponses, type CollectedResponses, type CollectResponsesOptions } from './report/collect-responses';
export { MATHVISTA_BREAKDOWNS, MathVistaRecordSchema, type MathVistaRecord } from './mathvista/mathvista-record';
export { mathvistaHint, mathvistaQuery, type MathVistaQueryInput, type MathVistaQueryLayout } from './mathvista/mathvista-query';
export { mathvistaRejectReply } from './mathvista/extraction-refusal';
export { MATHVISTA_EXTRACTION_DEMOS, mathvistaExtractionPrompt } from './mathvista/extraction-prompt';
export {
  extractByRules,
  extractMathVistaAnswer,
  type MathVistaExtractOptions,
  type MathVistaExtraction,
  type MathVistaExtractionStep,
} from './mathvista/extract-answer';
export { normalizeMathVistaAnswer } from './mathvista/normalize-answer';
export { mathvistaRequests, scoreMathVista, type ScoreMathVistaOptions } from './mathvista/score-mathvista';
export { M3CoTRecordSchema, type M3CoTRecord } from './m3cot/m3cot-record';
export { m3cotPrompt } from './m3cot/m3cot-prompt';
export { M3COT_FAILED, extractM3CoTAnswer } from './m3cot/judge-answer';
export { m3cotImage, m3cotRequests, scoreM3CoT, type ScoreM3CoTOptions } from './m3cot/score-m3cot';
export { MMVET_CAPABILITIES, MMVetRecordSchema, type MMVetRecord } from './mmvet/mmvet-record';
export { MMVET_GRADER_PROMPT, MMVET_RETRY_SUFFIX, mmvetGraderPrompt, parseMMVetGrade } from './mmvet/grader-prompt';
export { gradeMMVet, type MMVetGrade } from './mmvet/grade-mmvet';
export { mmvetRequests, scoreMMVet, type ScoreMMVetOptions } from './mmvet/score-mmvet';
export { MMCodeRecordSchema, MMCodeTestsSchema, parseMMCodeTests, type MMCodeRecord, type MMCodeTests } from './mmcode/mmcode-record';
export { MMCODE_SYSTEM, extractCode, mmcodeImageSize, mmcodePromptText, mmcodeSegments, type MMCodeSegment } from './mmcode/mmcode-prompt';
export { callResultMatches, officialExpected, stdoutMatches, type OfficialResult } from './mmcode/compare-output';
export { parsePyJson, type PyValue } from './mmcode/py-value';
export { pyEquals } from './mmcode/py-equals';
export {
  DEFAULT_SANDBOX_LIMITS,
  bwrapArgs,
  checkSandbox,
  type SandboxConfig,
  type SandboxLimits,
} from './mmcode/sandbox';
export { MMCODE_PREAMBLE } from './mmcode/sandbox-runner';
export { passAtK, runProblem, type MMCodeVerdict, type ProblemRun, type RunProblemOptions } from './mmcode/run-problem';
export { scoreMMCode, type ScoreMMCodeOptions } from './mmcode/score-mmcode';
export {
  LlavaAnswerSchema,
  LlavaBenchRowSchema,
  LlavaContextSchema,
  LlavaQuestionSchema,
  joinLlavaBench,
  type LlavaAnswer,
  type LlavaBenchItem,
  type LlavaContext,
  type LlavaQuestion,
} from './llava-bench/llava-bench-record';
export { LLAVA_REVIEW_RULE, LLAVA_REVIEW_SYSTEM, llavaReviewPrompt, parseLlavaReview } from './llava-bench/review-prompt';
export { llavaBenchRequests, reviewLlavaAnswer, scoreLlavaBench, type LlavaReview, type ScoreLlavaBenchOptions } from './llava-bench/score-llava-bench';
export { extractChoiceLetter } from './synthetic/extract-choice';
export { scoreSynthetic, syntheticPrompt, syntheticRequests, type ScoreSyntheticOptions } from './synthetic/score-synthetic';
