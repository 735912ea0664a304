import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aotPositivePrompt, aotPrompt, drawWrongOption } from '@smart/aot-prompts';
import { decodeImage, negativeImage, negativeModelInput, type AugmentProfile, type ImagePreprocessor, type NegativeImageRecord } from '@smart/augment';
import { createRng } from '@smart/core';
import { createImagePreprocessor, InvalidRequestError, tensorImage } from '@smart/mllm';
import { CLIP_MEAN, CLIP_STD, familyOf, readImageNormalization, readModelConfig, type ImageNormalization, type Rgb } from '@smart/models';
import type { AugmentationRecord, GenerationRecord, PreferenceStore } from '@smart/preference-store';
import type { GenerationRequest, Generator, ImageInput, RationaleKind, Sample, SamplingParams } from '@smart/types';
import { ModelNormalizationError } from '../errors/errors';
import { Progress } from '../progress/progress';
import { seedFor } from './seed-for';
import type { StageIo } from './stage-context';

/** Options of {@link generateRationales}. */
export interface GenerateOptions {
  store: PreferenceStore;
  generator: Generator;
  iteration: number;
  seed: number;
  sampling: Omit<SamplingParams, 'seed'>;
  augmentProfile: AugmentProfile;
  /** Requests per generate() call; each call's results are stored in one transaction. */
  batchSize: number;
  /**
   * The local model's folder: negatives then go through its own processor and get the noise on the
   * tensor it produces (the authors' way). Without one (served models) the noise is added to the image
   * in pixel space, an approximation, calibrated with CLIP's normalization.
   */
  modelFolder?: string;
  io: StageIo;
}

/** What the generation stage did. */
export interface GenerateOutcome {
  generated: number;
  failed: number;
  /** Rationales the store already held (resumed). */
  alreadyDone: number;
}

/** The wrong option the negative of `sample` argues for: a function of the run seed and the sample id. */
export function wrongAnswerFor(sample: Sample, runSeed: number) {
  return drawWrongOption(sample, createRng(runSeed).stream(`wrong-answer/${sample.id}`));
}

/**
 * Mean/std of the model's image processor: its `preprocessor_config.json`, else what its family's
 * vision tower uses (`config.json`: CLIP or SigLIP for LLaVA, CLIP for Qwen2-VL). A folder with
 * neither is refused (ModelNormalizationError) rather than given CLIP's constants by guess. Without a
 * folder (a served model) the pixel-space approximation is calibrated with CLIP's, as documented.
 */
export function modelNormalization(folder: string | undefined): { mean: Rgb; std: Rgb } {
  if (!folder) return { mean: CLIP_MEAN, std: CLIP_STD };
  const n = folderNormalization(folder);
  return { mean: n.mean, std: n.std };
}

function folderNormalization(folder: string): ImageNormalization {
  if (existsSync(join(folder, 'preprocessor_config.json'))) return readImageNormalization(folder);
  if (!existsSync(join(folder, 'config.json'))) throw new ModelNormalizationError(folder, 'it has neither preprocessor_config.json nor config.json');
  const config = readModelConfig(folder);
  return familyOf(config).imageNormalization(config);
}

/**
 * Positive (AoT + correct answer, clean image) and negative (AoT + wrong answer, augmented image)
 * rationales for every sample of the iteration still lacking one. Work is done in batches and each
 * batch is stored in one transaction, so a killed run loses at most the batch in flight and a re-run
 * generates only what is missing. Seeds derive from (run seed, sample id, kind): the redo is identical.
 */
export async function generateRationales(o: GenerateOptions): Promise<GenerateOutcome> {
  const { store, iteration } = o;
  const total = store.samplesOfIteration(iteration).length * 2;
  const jobs: { sampleId: string; kind: RationaleKind }[] = [
    ...store.samplesMissing(iteration, 'positive').map((sampleId) => ({ sampleId, kind: 'positive' as const })),
    ...store.samplesMissing(iteration, 'negative').map((sampleId) => ({ sampleId, kind: 'negative' as const })),
  ];
  const alreadyDone = total - jobs.length;
  const preprocess = o.modelFolder && jobs.some((j) => j.kind === 'negative') ? await createImagePreprocessor(o.modelFolder) : undefined;
  // Only the pixel-space fallback uses mean/std; a folder's own processor normalizes (Qwen2-VL's config has no square size to read them with).
  const norm = preprocess ? undefined : modelNormalization(o.modelFolder);
  const progress = new Progress({ sink: o.io.progress, label: `iteration ${iteration} generate`, total });
  progress.update(alreadyDone);
  let generated = 0;
  let failed = 0;
  for (let i = 0; i < jobs.length; i += o.batchSize) {
    o.io.interrupt.check('generate');
    const batch = jobs.slice(i, i + o.batchSize);
    const built = await Promise.all(batch.map((j) => buildRequest(o, j.sampleId, j.kind, norm, preprocess)));
    const results = await o.generator.generate(
      built.map((b) => b.request),
      { onTokens: (n) => progress.addTokens(n) },
    );
    const records: GenerationRecord[] = [];
    results.forEach((r, idx) => {
      const b = built[idx]!;
      if (r.finishReason === 'error') {
        failed++;
        return;
      }
      records.push({
        sampleId: b.sampleId,
        iteration,
        kind: b.kind,
        variant: 'aot',
        prompt: b.request.prompt,
        targetAnswer: b.target,
        text: r.text,
        model: o.generator.modelId,
        sampling: b.request.sampling,
        ...(r.seed !== undefined ? { seed: r.seed } : {}),
        augmented: b.kind === 'negative',
        ...(b.augmentation ? { augmentation: b.augmentation } : {}),
        finishReason: r.finishReason,
        promptTokens: r.promptTokens,
        completionTokens: r.completionTokens,
        latencyMs: r.latencyMs,
      });
    });
    store.transaction(() => records.forEach((rec) => store.putGeneration(rec)));
    generated += records.length;
    progress.update(alreadyDone + generated + failed, failed > 0 ? { failed } : {});
  }
  progress.finish();
  if (failed > 0) o.io.log(`iteration ${iteration}: ${failed} generation requests failed; re-run the same command to retry them`);
  return { generated, failed, alreadyDone };
}

interface BuiltRequest {
  sampleId: string;
  kind: RationaleKind;
  target: Sample['answer'];
  request: GenerationRequest;
  augmentation?: AugmentationRecord;
}

async function buildRequest(
  o: GenerateOptions,
  sampleId: string,
  kind: RationaleKind,
  norm: ReturnType<typeof modelNormalization> | undefined,
  preprocess: ImagePreprocessor | undefined,
): Promise<BuiltRequest> {
  const { sample } = o.store.getSample(sampleId)!;
  const sampling: SamplingParams = { ...o.sampling, seed: seedFor(o.seed, 'generate', kind, sampleId) };
  const record = o.store.getImageRecord(sample.image.sha256!)!;
  const imagePath = o.store.images.pathOf(record.file);
  const id = `${sampleId}:${kind}`;
  if (kind === 'positive') {
    return { sampleId, kind, target: sample.answer, request: { id, prompt: aotPositivePrompt(sample), image: { kind: 'path', path: imagePath }, sampling } };
  }
  const wrong = wrongAnswerFor(sample, o.seed);
  const clean = await decodeImage(readFileSync(imagePath), imagePath);
  // One stream per negative, seeded by a number stored with the rationale: the seed rebuilds the input.
  const augmentSeed = seedFor(o.seed, 'augment', sampleId);
  const rng = createRng(augmentSeed);
  let input: ImageInput;
  let done: NegativeImageRecord;
  if (preprocess) {
    const made = await negativeModelInput(clean, { rng, profile: o.augmentProfile, preprocess });
    const { layout } = made.pixels;
    if (layout.kind === 'images' && layout.batch !== 1) throw new InvalidRequestError(id, `the local generator takes one image tensor, not a batch of ${layout.batch}`);
    input = tensorImage(made.pixels);
    done = made.record;
  } else {
    const { mean, std } = norm ?? modelNormalization(o.modelFolder);
    const made = negativeImage(clean, { rng, profile: o.augmentProfile, mean, std });
    input = { kind: 'rgb', width: made.image.width, height: made.image.height, data: made.image.data };
    done = made.record;
  }
  const { horizontalFlip, verticalFlip, crop, erase, noiseSpace, noiseStep } = done;
  const augmentation: AugmentationRecord = { seed: augmentSeed, profile: o.augmentProfile, noiseSpace, noiseStep, steps: { horizontalFlip, verticalFlip, crop, erase } };
  return { sampleId, kind, target: wrong, request: { id, prompt: aotPrompt(sample, wrong), image: input, sampling }, augmentation };
}
