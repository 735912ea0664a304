import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateSyntheticTask, loadM3CoT, loadMathV360K, loadScienceQA, syntheticTaskFiles, writeSyntheticTask, type SampleSource } from '@smart/datasets';
import type { RunConfig } from '../config/run-config';
import { MissingInputError } from '../errors/errors';
import type { RunPaths } from '../run-folder/run-paths';
import type { StageIo } from './stage-context';

/** The run's question files, resolved. */
export interface RunData {
  trainFile: string;
  heldOutFile?: string;
  imageRoot?: string;
  /** The synthetic task's sidecar of template rationales of the training items (synthetic source only). */
  trainRationales?: string;
  /** A fresh streamed source of the training questions. */
  trainSource(): SampleSource;
}

/**
 * Resolves the run's data. The synthetic task is generated once into `<run>/data/` (written to a
 * temporary folder and renamed, so a killed run never leaves half a data set), then loaded like
 * any MathV360K file.
 */
export async function prepareData(config: RunConfig, paths: RunPaths, io: Pick<StageIo, 'log'>): Promise<RunData> {
  if (config.source === 'synthetic') {
    const files = syntheticTaskFiles(paths.data);
    const trainFile = files.train;
    if (!existsSync(trainFile)) {
      io.log(`generating the synthetic task (${config.syntheticTrain} train, ${config.syntheticHeldOut} held-out, ${config.syntheticImageSize}px)`);
      const task = await generateSyntheticTask({
        seed: config.seed,
        train: config.syntheticTrain,
        heldOut: config.syntheticHeldOut,
        imageSize: config.syntheticImageSize,
        minObjects: config.syntheticMinObjects,
        maxObjects: config.syntheticMaxObjects,
        distractorObjects: config.syntheticDistractors,
        nearOptions: config.syntheticNearOptions,
        minBarGap: config.syntheticMinBarGap,
        minSizeRatio: config.syntheticMinSizeRatio,
        rationaleStyle: config.syntheticRationale,
      });
      const tmp = `${paths.data}.tmp-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp, { recursive: true });
      await writeSyntheticTask(task, { dir: tmp });
      rmSync(paths.data, { recursive: true, force: true });
      renameSync(tmp, paths.data);
    }
    const heldOutFile = config.heldOutData ? resolve(config.heldOutData) : files.heldOut;
    return { trainFile, heldOutFile, imageRoot: paths.data, trainRationales: files.trainRationales, trainSource: () => loadMathV360K({ file: trainFile, imageRoot: paths.data }) };
  }
  const trainFile = resolve(config.data!);
  if (!existsSync(trainFile)) throw new MissingInputError(trainFile, 'training question file (--data)');
  if (config.heldOutData && !existsSync(resolve(config.heldOutData))) throw new MissingInputError(resolve(config.heldOutData), 'held-out file (--held-out-data)');
  const imageRoot = config.imageRoot ? resolve(config.imageRoot) : undefined;
  const options = { file: trainFile, ...(imageRoot ? { imageRoot } : {}) };
  const load = config.source === 'mathv360k' ? loadMathV360K : config.source === 'scienceqa' ? loadScienceQA : loadM3CoT;
  return {
    trainFile,
    ...(config.heldOutData ? { heldOutFile: resolve(config.heldOutData) } : {}),
    ...(imageRoot ? { imageRoot } : {}),
    trainSource: () => load(options),
  };
}
