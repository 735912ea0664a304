import { join, resolve } from 'node:path';

/** Where everything of one run lives (DESIGN.md "Run folder"). */
export interface RunPaths {
  root: string;
  config: string;
  store: string;
  summary: string;
  report: string;
  /** Generated or copied source data (the synthetic task). */
  data: string;
  iter(k: number): string;
  checkpoint(k: number): string;
  model(k: number): string;
  trainMetrics(k: number): string;
  evalDir(k: number): string;
  /** The embedded default base's task SFT, when a follow stage continues it into iter-0/ (`--base-follow-steps`). */
  baseTaskSft: string;
}

/** Paths of the run folder `<runsDir>/<name>`, absolute. */
export function runPaths(runsDir: string, name: string): RunPaths {
  const root = resolve(runsDir, name);
  const iter = (k: number) => join(root, `iter-${k}`);
  return {
    root,
    config: join(root, 'config.json'),
    store: join(root, 'store.sqlite'),
    summary: join(root, 'summary.json'),
    report: join(root, 'report.html'),
    data: join(root, 'data'),
    iter,
    checkpoint: (k) => join(iter(k), 'checkpoint'),
    model: (k) => join(iter(k), 'model'),
    trainMetrics: (k) => join(iter(k), 'train-metrics.jsonl'),
    evalDir: (k) => join(iter(k), 'eval'),
    baseTaskSft: join(iter(0), 'task-sft'),
  };
}
