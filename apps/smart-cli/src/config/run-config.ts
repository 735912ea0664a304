import { RATIONALE_STYLES, SYNTHETIC_DEFAULTS as SD, SYNTHETIC_LIMITS as SL, type RationaleStyle } from '@smart/datasets';
import { LOSS_SPANS, LOSS_TYPES } from '@smart/dpo-trainer';
import { z } from 'zod';

// Every field carries its help text (`describe`), which `--help` shows; defaults are the paper's
// settings (method.md §5) where the paper has one.

const int = (min = 0) => z.number().int().min(min);
const fraction = () => z.number().min(0).max(1);

/** One extra benchmark evaluated after every iteration. */
export const benchmarkEntrySchema = z
  .object({
    name: z.enum(['mathvista', 'm3cot', 'mmvet', 'mmcode', 'llava-bench', 'synthetic']).describe('Benchmark name.'),
    data: z.string().min(1).describe('Benchmark data file (see @smart/evaluators docs for each format).'),
    imageRoot: z.string().optional().describe('Folder that image paths of the data file are relative to.'),
    limit: int(1).optional().describe('Evaluate only the first N items.'),
  })
  .strict();

/** The resolved configuration of one run; the file, the flags and `runs/<name>/config.json` share it. */
export const runConfigSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only').default('default').describe('Run name: the run folder is <runs-dir>/<name>.'),
    runsDir: z.string().default('runs').describe('Folder that holds run folders.'),
    seed: int().default(0).describe('Seed of every random choice (draws, wrong options, augmentation, sampling).'),

    source: z.enum(['synthetic', 'mathv360k', 'scienceqa', 'm3cot']).default('synthetic').describe('Format of the training questions; "synthetic" generates the built-in visual-reasoning task.'),
    data: z.string().optional().describe('Training question file (JSONL or JSON array); required unless source is synthetic.'),
    imageRoot: z.string().optional().describe('Folder that image paths in --data and --held-out-data are relative to (default: the file\'s folder).'),
    heldOutData: z.string().optional().describe('Held-out multiple-choice file in MathV360K format, scored after every iteration (synthetic: written into the run folder).'),
    heldOutLimit: int(1).optional().describe('Score only the first N held-out items.'),
    syntheticTrain: int(1).default(20000).describe('Synthetic task: training pool size.'),
    syntheticHeldOut: int(1).default(500).describe('Synthetic task: held-out items.'),
    syntheticImageSize: int(SL.imageSize.min).max(SL.imageSize.max).default(64).describe('Synthetic task: image side in pixels.'),
    syntheticMinObjects: int(SL.minObjects.min).max(SL.minObjects.max).default(SD.minObjects).describe('Synthetic task: fewest target objects in counting questions.'),
    syntheticMaxObjects: int(SL.maxObjects.min).max(SL.maxObjects.max).default(SD.maxObjects).describe('Synthetic task: most target objects in counting questions (at least --synthetic-min-objects).'),
    syntheticDistractors: int(SL.distractorObjects.min).max(SL.distractorObjects.max).default(SD.distractorObjects).describe('Synthetic task: most extra objects of other colours in counting questions.'),
    syntheticNearOptions: z.boolean().default(SD.nearOptions).describe('Synthetic task: count options are neighbours of the answer (harder) rather than spread out.'),
    syntheticMinBarGap: z.number().gt(SL.minBarGap.min).max(SL.minBarGap.max).default(SD.minBarGap).describe('Synthetic task: smallest height difference between bars, as a fraction of the image side.'),
    syntheticMinSizeRatio: z.number().min(SL.minSizeRatio.min).max(SL.minSizeRatio.max).default(SD.minSizeRatio).describe('Synthetic task: smallest size ratio between shapes compared by size.'),
    syntheticRationale: z.enum(RATIONALE_STYLES as readonly RationaleStyle[] as [RationaleStyle, ...RationaleStyle[]]).default(SD.rationaleStyle).describe('Synthetic task: template rationale style (@smart/datasets rationaleStyle).'),

    samplesPerIteration: int(1).default(600).describe('Questions drawn per iteration, disjoint across iterations (paper: 6000).'),
    maxIterations: int(1).default(2).describe('SMART iterations after the base model.'),
    minImprovement: z.number().default(0).describe('Stop early when held-out accuracy improves by less than this (fraction, e.g. 0.01).'),

    model: z.string().optional().describe('Starting model: a transformers.js folder (local backend) or the served model name (openai backend).'),
    checkpoint: z.string().optional().describe('HF checkpoint folder of the starting model (what training starts from).'),
    backend: z.enum(['local', 'openai']).default('local').describe('Generation backend: a local transformers.js folder, or an OpenAI-compatible server (vLLM, SGLang, llama.cpp, smart serve).'),
    baseUrl: z.string().url().optional().describe('OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1 (openai backend).'),
    apiKeyEnv: z.string().optional().describe('Name of the environment variable that holds the API key (the key itself never goes in the config).'),
    concurrency: int(1).default(8).describe('Requests in flight (openai backend).'),
    device: z.enum(['cpu', 'cuda']).default('cpu').describe('Execution provider of the local backend.'),
    threads: int(1).optional().describe('Intra-op threads of the local backend\'s generation and the local trainer (default: onnxruntime\'s, one per core; the embedded default\'s is 1); 1 makes training bit-reproducible.'),
    generationBatch: int(1).default(8).describe('Requests per generate() call; also the resume granularity.'),
    serveCommand: z.string().optional().describe('Command that serves a checkpoint ({checkpoint} is replaced); run after each iteration, the CLI waits for --base-url/health.'),

    temperature: z.number().min(0).default(0.7).describe('Sampling temperature of rationale generation.'),
    topP: z.number().gt(0).max(1).default(0.9).describe('Nucleus (top-p) sampling of rationale generation.'),
    maxNewTokens: int(1).default(512).describe('Maximum new tokens per rationale.'),
    evalMaxNewTokens: int(1).default(256).describe('Maximum new tokens per held-out answer.'),
    filterProfile: z.enum(['paper', 'released-code']).default('paper').describe('Pair filters: "paper" (conclusion + 3-gram circularity) or "released-code" (the authors\' script).'),
    augmentProfile: z.enum(['paper', 'released-code']).default('paper').describe('Negative-image augmentation: "paper" (h-flip, erasing, noise 600) or "released-code" (+ v-flip).'),

    trainer: z.enum(['local', 'external']).default('local').describe('Optimizer: "local" (onnxruntime DPO) or "external" (run --train-command on a LLaMA-Factory recipe).'),
    trainCommand: z.string().optional().describe('External trainer command; {recipe}, {dataset_dir} and {output_dir} are replaced, e.g. "llamafactory-cli train {recipe}".'),
    llamaFactoryTemplate: z.string().default('qwen2_vl').describe('LLaMA-Factory chat template named in the recipe.'),
    lossType: z.enum(LOSS_TYPES).default('sigmoid').describe('Preference loss (TRL loss_type): sigmoid DPO (the paper), ipo (length-normalised log-probs), hinge, robust.'),
    beta: z.number().gt(0).default(0.1).describe('DPO beta (for ipo: its τ).'),
    rpoAlpha: z.number().min(0).default(0).describe('RPO α (TRL rpo_alpha): adds α·NLL of the chosen rationale to the DPO loss; 0 = plain DPO (the paper).'),
    lossSpan: z
      .enum(LOSS_SPANS)
      .default('completion')
      .describe('Tokens each pair is scored on: "completion" (the whole rationale, the paper) or "first_differing_step" (Step-DPO: from where chosen and rejected first differ to the end of that step).'),
    learningRate: z.number().gt(0).default(2e-6).describe('Peak learning rate.'),
    lrScheduler: z.enum(['cosine', 'linear', 'constant']).default('cosine').describe('Learning-rate schedule.'),
    warmupRatio: fraction().default(0.1).describe('Fraction of steps spent warming up.'),
    weightDecay: z.number().min(0).default(0).describe('AdamW weight decay.'),
    batchSize: int(1).default(128).describe('Effective batch size (pairs per optimizer step, via accumulation).'),
    microBatchSize: int(1).default(1).describe('Pairs per forward pass (batch-size / micro-batch-size accumulation steps).'),
    epochs: z.number().gt(0).default(1).describe('Epochs over each iteration\'s pairs.'),
    trainParts: z.enum(['text', 'text-projector', 'all']).default('text').describe('Parts the local trainer updates: "text" (language model + lm_head; the released code\'s recipe, vision tower and projector frozen), "text-projector", or "all" (vision tower too).'),
    cutoffLen: int(16).default(4096).describe('Maximum tokens of prompt + rationale.'),
    dtype: z.enum(['fp32', 'bf16', 'fp16']).default('fp32').describe('Element type of the HF checkpoints the local trainer writes (iter-<k>/checkpoint; the embedded default\'s base, control and ablation rows): fp32, or bf16 / fp16 rounded as torch\'s .to(), torch_dtype set; transformers.js folders stay fp32.'),

    basePreset: z.enum(['tiny', 'mini', 'small']).default('mini').describe('Embedded default (no --model): size of the tiny LLaVA built as the base.'),
    baseSteps: int(1).default(1200).describe('Embedded default: SFT steps that make the base follow AoT prompts and answer the task.'),
    baseItems: int(0).default(400).describe('Embedded default: training items the base is SFT\'d on, the first N of the pool (0: all). The iterations draw their questions from the rest, so SMART and the control learn answers the base never saw.'),
    baseLearningRate: z.number().gt(0).default(1e-3).describe('Embedded default: SFT learning rate of the base.'),
    baseBatchSize: int(1).default(16).describe('Embedded default: SFT batch size of the base.'),
    baseFollowSteps: int(0)
      .default(0)
      .describe('Embedded default: SFT steps after the base has learned the task, on the same items with part of the AoT rows told a wrong option (--base-told-wrong), so the base writes the rationale of the answer it is told, as instruction-tuned bases do; 0: none.'),
    baseFollowLearningRate: z.number().gt(0).default(3e-4).describe('Embedded default: peak learning rate of the follow stage (--base-follow-steps).'),
    baseToldWrong: fraction()
      .default(0.5)
      .describe('Embedded default: in the follow stage, share of the items whose AoT row is told a wrong option, with the template rationale concluding it, instead of the answer.'),
    baseMerges: int(0).default(400).describe('Embedded default: BPE merges learned on the task text for the base tokenizer.'),

    control: z.boolean().default(true).describe('Embedded default: after the iterations, continue the base\'s SFT on the same samples\' template rationales for SMART\'s wall time and score it (the control SMART\'s lift is compared with).'),

    benchmarks: z.array(benchmarkEntrySchema).default([]).describe('Extra benchmarks after every iteration (config file only): [{name, data, imageRoot?, limit?}].'),
    judgeBaseUrl: z.string().url().optional().describe('OpenAI-compatible server of the judge (MathVista extraction, MM-Vet, LLaVA-Bench).'),
    judgeModel: z.string().optional().describe('Judge model name.'),
    judgeApiKeyEnv: z.string().optional().describe('Environment variable holding the judge\'s API key.'),
  })
  .strict();

/**
 * The embedded default's own settings (no --model, synthetic task, local backend), under anything the
 * user sets. The paper's DPO settings (lr 2e-6, batch 128) are for 7B models and a 6K-pair iteration:
 * on a 0.5M-parameter base and ~500 kept pairs they would take 4 optimizer steps that barely move it. Real
 * models keep the paper's defaults. Why each value: apps/smart-cli/README.md ("The embedded default").
 */
export const EMBEDDED_DEFAULTS: Partial<Record<keyof RunConfig, unknown>> = {
  learningRate: 3e-4,
  // The embedded base's vision tower is trained from random weights with the rest (not a pretrained CLIP), and
  // the control trains it too: freezing it would leave SMART unable to fix what the base sees.
  trainParts: 'all',
  batchSize: 16,
  microBatchSize: 4,
  samplesPerIteration: 1000,
  // The DPO term lowers this base at every lr and span tried (README: "Which loss"); what lifts it is RPO's NLL on
  // the whole chosen rationale, so α is large: the loss is mostly learning the base's own AoT positives.
  rpoAlpha: 100,
  epochs: 5,
  // Told an answer, the base writes its rationale (README: the recipe), so positives name the right fact.
  baseFollowSteps: 400,
  // A ranking step before the option walk, so the base reads "smallest" / "fewest" (README: the recipe).
  syntheticRationale: 'ranked-walk',
  // ranked-walk rationales run to ~65 tokens; 128 cuts none of them.
  maxNewTokens: 128,
  evalMaxNewTokens: 128,
  generationBatch: 32,
  cutoffLen: 1024,
  // One intra-op thread: the base build and the iterations are bit-reproducible (with more, kernels can sum in
  // another order and two builds of one config differ by ~5 points), and the tiny model's generation runs faster.
  threads: 1,
};

/** Whether a config input (before defaults) describes the embedded default. */
export function isEmbeddedDefaultInput(input: Record<string, unknown>): boolean {
  return input['model'] === undefined && (input['source'] ?? 'synthetic') === 'synthetic' && (input['backend'] ?? 'local') === 'local';
}

/** Whether a validated config runs the embedded default (it builds its own base). */
export function isEmbeddedDefault(c: Pick<RunConfig, 'model' | 'source' | 'backend'>): boolean {
  return !c.model && c.source === 'synthetic' && c.backend === 'local';
}

/** trainable_parts of the trainer for a run config's `trainParts`. */
export function trainablePartsOf(parts: RunConfig['trainParts']): ('text' | 'vision' | 'projector')[] {
  return parts === 'all' ? ['text', 'vision', 'projector'] : parts === 'text-projector' ? ['text', 'projector'] : ['text'];
}

/** The local trainer's runtime fields for a run config: execution provider and intra-op threads. */
export function trainerRuntimeOf(config: Pick<RunConfig, 'device' | 'threads'>): { execution_provider: RunConfig['device']; intra_op_threads?: number } {
  return { execution_provider: config.device, ...(config.threads ? { intra_op_threads: config.threads } : {}) };
}

/** A validated run config. */
export type RunConfig = z.infer<typeof runConfigSchema>;

/** Fields that change how a run executes but not what it computes: a resumed run may change them. */
export const OPERATIONAL_FIELDS: ReadonlySet<keyof RunConfig> = new Set<keyof RunConfig>([
  'runsDir',
  'apiKeyEnv',
  'judgeApiKeyEnv',
  'concurrency',
  'threads',
  'device',
  'serveCommand',
  'trainCommand',
  'baseUrl',
  'judgeBaseUrl',
  'maxIterations',
  'minImprovement',
  'generationBatch',
]);
