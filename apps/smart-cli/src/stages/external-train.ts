import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportLlamaFactory, type PreferenceStore } from '@smart/preference-store';
import type { RunConfig } from '../config/run-config';
import { ConfigError, ExternalCommandError, StageFailedError } from '../errors/errors';
import type { RunPaths } from '../run-folder/run-paths';
import { writeFileAtomicSync as writeFileAtomic } from '@smart/core';
import { importCheckpoint } from './import-checkpoint';
import { untrainedMarker } from './model-for-iteration';
import { runShellCommand } from './shell-command';
import type { StageIo } from './stage-context';
import { llamaFactoryRecipe, recipeYaml } from './training-recipe';

/** What the external trainer stage did. */
export interface ExternalTrainOutcome {
  recipe: string;
  pairs: number;
  /** False when the iteration's model was already imported (resumed). */
  trained: boolean;
}

/** The HF checkpoint iteration `k` starts from: the previous iteration's, or the configured base. */
export function startCheckpoint(config: RunConfig, paths: RunPaths, k: number): string {
  for (let j = k - 1; j >= 0; j--) {
    const previous = paths.checkpoint(j);
    if (existsSync(join(previous, 'config.json'))) return previous;
    if (j > 0 && !existsSync(untrainedMarker(paths, j))) break;
  }
  if (config.checkpoint) return config.checkpoint;
  throw new ConfigError(`iteration ${k} needs a starting checkpoint: pass --checkpoint (an HF folder) or run the previous iteration first`, 'checkpoint');
}

/** HF Trainer's `trainer_state.json` log history → `train-metrics.jsonl` rows (TRL names kept). */
export function metricsFromTrainerState(file: string): string | null {
  if (!existsSync(file)) return null;
  const state = JSON.parse(readFileSync(file, 'utf8')) as { log_history?: Record<string, unknown>[] };
  const rows = (state.log_history ?? []).filter((r) => typeof r['step'] === 'number' && typeof r['loss'] === 'number');
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
}

/**
 * Hands iteration `k` to an external trainer: writes the LLaMA-Factory dataset + `dataset_info.json`
 * and a recipe with the paper's settings, runs `--train-command` ({recipe}, {dataset_dir},
 * {output_dir} replaced), then imports the checkpoint it wrote into `iter-k/`.
 */
export async function externalTrain(o: { config: RunConfig; paths: RunPaths; store: PreferenceStore; iteration: number; io: StageIo }): Promise<ExternalTrainOutcome> {
  const { config, paths, iteration: k } = o;
  const iterDir = paths.iter(k);
  const recipeFile = join(iterDir, 'recipe.yaml');
  if (existsSync(join(paths.model(k), 'config.json')) && existsSync(join(paths.checkpoint(k), 'config.json'))) {
    return { recipe: recipeFile, pairs: o.store.funnel(k).kept, trained: false };
  }
  if (!config.trainCommand) throw new ConfigError('the external trainer needs --train-command', 'trainCommand');
  const datasetDir = join(iterDir, 'train-data');
  const outputDir = join(iterDir, 'external-output');
  const datasetName = `smart_iter_${k}`;
  const exported = await exportLlamaFactory(o.store, { dir: datasetDir, iteration: k, datasetName });
  if (exported.pairs === 0) throw new StageFailedError('train', `iteration ${k} has no kept pairs to train on`);
  const recipe = llamaFactoryRecipe(config, { modelPath: startCheckpoint(config, paths, k), datasetDir, datasetName, outputDir });
  mkdirSync(iterDir, { recursive: true });
  writeFileAtomic(recipeFile, recipeYaml(recipe));
  if (!existsSync(join(outputDir, 'config.json'))) {
    const command = config.trainCommand.replaceAll('{recipe}', recipeFile).replaceAll('{dataset_dir}', datasetDir).replaceAll('{output_dir}', outputDir);
    o.io.log(`iteration ${k}: running the external trainer on ${exported.pairs} pairs: ${command}`);
    await runShellCommand(command);
    if (!existsSync(join(outputDir, 'config.json'))) throw new ExternalCommandError(command, `it exited 0 but wrote no checkpoint (config.json) to ${outputDir}`);
  }
  const metrics = metricsFromTrainerState(join(outputDir, 'trainer_state.json'));
  if (metrics !== null) writeFileAtomic(paths.trainMetrics(k), metrics);
  await importCheckpoint({ from: outputDir, checkpointDir: paths.checkpoint(k), modelDir: paths.model(k) });
  o.io.log(`iteration ${k}: imported the trained checkpoint into ${iterDir}`);
  return { recipe: recipeFile, pairs: exported.pairs, trained: true };
}
