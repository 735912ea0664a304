import { mkdir, writeFile } from 'node:fs/promises';
import { writeFileAtomic } from '@smart/core';
import { join } from 'node:path';
import type { MathV360KRecord } from '../load-mathv360k';
import type { SyntheticItem, SyntheticTask } from './synthetic-task';

/** Filesystem functions the writer needs; defaults to node:fs/promises. */
export interface WriterFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
}

/** Paths written by `writeSyntheticTask` (all under `dir`). */
export interface SyntheticTaskFiles {
  dir: string;
  /** MathV360K-format JSONL of each split; image paths are relative to `dir`. */
  train: string;
  heldOut: string;
  /** Sidecar JSONL `{id, kind, answer, rationale, told}` of each split. */
  trainRationales: string;
  heldOutRationales: string;
  /** Folder of `<id>.png` images. */
  images: string;
}

/** One line of a rationale sidecar. */
export interface SyntheticRationaleRecord {
  id: string;
  kind: string;
  answer: string;
  rationale: string;
  /** Per option letter, the template rationale concluding it (`SyntheticItem.toldRationales`); absent in sidecars written before it existed. */
  told?: Record<string, string>;
}

/** Where `writeSyntheticTask` puts each file of a task written into `dir`. */
export function syntheticTaskFiles(dir: string): SyntheticTaskFiles {
  return {
    dir,
    train: join(dir, 'train.jsonl'),
    heldOut: join(dir, 'held-out.jsonl'),
    trainRationales: join(dir, 'train.rationales.jsonl'),
    heldOutRationales: join(dir, 'held-out.rationales.jsonl'),
    images: join(dir, 'images'),
  };
}

/**
 * Writes the task as MathV360K-format JSONL (`train.jsonl`, `held-out.jsonl`), PNG files under
 * `images/`, and rationale sidecars (`*.rationales.jsonl`), so it loads with `loadMathV360K`.
 */
export async function writeSyntheticTask(task: SyntheticTask, options: { dir: string; fs?: WriterFs }): Promise<SyntheticTaskFiles> {
  const fs = options.fs ?? { mkdir, writeFile };
  // Images first, then each record file atomically: a run killed mid-write never leaves a record file,
  // truncated or whole, that names an image not yet written.
  const writeRecords = options.fs ? fs.writeFile : writeFileAtomic;
  const { dir } = options;
  const files = syntheticTaskFiles(dir);
  await fs.mkdir(files.images, { recursive: true });
  const splits: [SyntheticItem[], string, string][] = [
    [task.train, files.train, files.trainRationales],
    [task.heldOut, files.heldOut, files.heldOutRationales],
  ];
  for (const [items, recordsFile, rationalesFile] of splits) {
    // Bounded parallelism: fast on disk without opening thousands of files at once.
    for (let i = 0; i < items.length; i += 64) {
      await Promise.all(items.slice(i, i + 64).map((it) => fs.writeFile(join(dir, it.sample.image.path), it.png)));
    }
    await writeRecords(rationalesFile, items.map((it) => `${JSON.stringify(toRationaleRecord(it))}\n`).join(''));
    await writeRecords(recordsFile, items.map((it) => `${JSON.stringify(toMathV360KRecord(it))}\n`).join(''));
  }
  return files;
}

/** The sharegpt record of an item, exactly as the writer emits it. */
export function toMathV360KRecord(item: SyntheticItem): MathV360KRecord {
  return {
    id: item.sample.id,
    image: item.sample.image.path,
    conversations: [
      { from: 'human', value: item.human },
      { from: 'gpt', value: item.gpt },
    ],
    meta: { kind: item.kind, question: item.variant },
  };
}

function toRationaleRecord(item: SyntheticItem): SyntheticRationaleRecord {
  return { id: item.sample.id, kind: item.kind, answer: item.sample.answer, rationale: item.rationale, told: item.toldRationales };
}
