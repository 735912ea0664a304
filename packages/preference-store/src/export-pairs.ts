import { constants, existsSync, mkdirSync } from 'node:fs';
import { copyFile, link } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { readRegularFileSync, writeFileAtomicSync } from '@smart/core';
import type { PreferencePair } from '@smart/types';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readDatasetInfo } from './dataset-info-file';
import { MissingRecordError } from './errors';
import { llamaFactoryDatasetInfo, pairToLlamaFactoryRecord } from './llama-factory-format';
import { huggingfaceMetadata, pairsToParquetColumns, parquetSchema, type ParquetPair } from './parquet-format';
import type { PreferenceStore } from './preference-store';
import { pairToTrlRecord } from './trl-format';

/** Options shared by the exporters. */
export interface ExportOptions {
  /** Folder that receives the dataset file and `images/`; created if missing. */
  dir: string;
  /** Only this iteration's pairs (default: kept pairs of every iteration). */
  iteration?: number;
  /**
   * `link` (default) hard-links images from the store's folder (falling back to a copy across file
   * systems); `copy` always copies, so editing an exported image can never alter the store.
   */
  images?: 'link' | 'copy';
  /** Image files written at once (default 8). */
  concurrency?: number;
}

/** Options of exportTrl. */
export interface TrlExportOptions extends ExportOptions {
  fileName?: string;
  /**
   * `relative` (default): `images/<sha256>.<ext>`, relative to the file's folder (relocatable). `absolute`: full
   * paths, which `datasets`' `cast_column("images", Sequence(Image()))` opens from any working directory.
   */
  imagePaths?: 'relative' | 'absolute';
}

/** Reference log-probs of every pair, or undefined when any pair lacks them (TRL reads both columns or neither). */
type Refs = { chosen: number; rejected: number }[] | undefined;

/** What an export wrote. */
export interface ExportSummary {
  /** Dataset file path. */
  file: string;
  pairs: number;
  /** Image files written now (images already present are not rewritten). */
  imagesWritten: number;
}

/** Kept pairs of the store, with each distinct image written once to `<dir>/images/<sha256>.<ext>`. */
async function collectExport(
  store: PreferenceStore,
  options: ExportOptions,
): Promise<{ pairs: PreferencePair[]; refs: Refs; imagesWritten: number }> {
  const stored = store.listPairs({ kept: true, ...(options.iteration === undefined ? {} : { iteration: options.iteration }) });
  mkdirSync(join(options.dir, 'images'), { recursive: true });
  // `images/<sha256>.<ext>` of each distinct image: the same file name as in the store's image folder.
  const images = new Set<string>();
  const pairs: PreferencePair[] = [];
  let refs: Refs = [];
  for (const p of stored) {
    if (p.refLogpChosen === null || p.refLogpRejected === null) refs = undefined;
    else refs?.push({ chosen: p.refLogpChosen, rejected: p.refLogpRejected });
    if (p.imageSha256 === null) throw new MissingRecordError('image bytes of sample', p.sampleId);
    images.add(p.image);
    pairs.push({
      sampleId: p.sampleId,
      prompt: p.prompt,
      image: p.image,
      chosen: p.chosen,
      rejected: p.rejected,
      answer: p.answer,
      wrongAnswer: p.wrongAnswer,
      iteration: p.iteration,
    });
  }
  const queue = [...images];
  let imagesWritten = 0;
  const copyOnly = options.images === 'copy';
  const worker = async () => {
    for (let rel = queue.pop(); rel; rel = queue.pop()) {
      const source = store.images.pathOf(basename(rel));
      const target = join(options.dir, rel);
      try {
        if (copyOnly) await copyFile(source, target, constants.COPYFILE_EXCL);
        else await linkOrCopy(source, target);
        imagesWritten++;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'ENOENT' && !existsSync(source)) throw new MissingRecordError('image file', source);
        // Names are content hashes, so an existing file already holds these bytes.
        if (code !== 'EEXIST') throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  return { pairs, refs: pairs.length > 0 ? refs : undefined, imagesWritten };
}

async function linkOrCopy(source: string, target: string): Promise<void> {
  try {
    await link(source, target);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK') throw err;
    await copyFile(source, target, constants.COPYFILE_EXCL);
  }
}

/**
 * Writes kept pairs as TRL conversational JSONL (`images`, `prompt`, `chosen`, `rejected`), with
 * `ref_chosen_logps` / `ref_rejected_logps` when every pair has reference log-probs.
 */
export async function exportTrl(store: PreferenceStore, options: TrlExportOptions): Promise<ExportSummary> {
  const { pairs, refs, imagesWritten } = await collectExport(store, options);
  const file = join(options.dir, options.fileName ?? 'trl.jsonl');
  const dir = resolve(options.dir);
  const lines = pairs.map((p, i) => {
    const record = pairToTrlRecord(options.imagePaths === 'absolute' ? { ...p, image: join(dir, p.image) } : p);
    const ref = refs?.[i];
    return `${JSON.stringify(ref ? { ...record, ref_chosen_logps: ref.chosen, ref_rejected_logps: ref.rejected } : record)}\n`;
  });
  writeFileAtomicSync(file, lines.join(''));
  return { file, pairs: pairs.length, imagesWritten };
}

/** Writes kept pairs as a LLaMA-Factory sharegpt ranking JSON file and adds its entry to `dataset_info.json`. */
export async function exportLlamaFactory(
  store: PreferenceStore,
  options: ExportOptions & { datasetName?: string },
): Promise<ExportSummary> {
  const { pairs, imagesWritten } = await collectExport(store, options);
  const name = options.datasetName ?? 'smart_dpo';
  const fileName = `${name}.json`;
  const file = join(options.dir, fileName);
  writeFileAtomicSync(file, JSON.stringify(pairs.map(pairToLlamaFactoryRecord), null, 1));
  const infoFile = join(dirname(file), 'dataset_info.json');
  // Keep other datasets a user registered in the same folder; anything but a JSON object is refused, not overwritten.
  const info = existsSync(infoFile) ? readDatasetInfo(infoFile, 'cannot extend dataset_info.json') : {};
  info[name] = llamaFactoryDatasetInfo(fileName);
  writeFileAtomicSync(infoFile, `${JSON.stringify(info, null, 2)}\n`);
  return { file, pairs: pairs.length, imagesWritten };
}

/**
 * Writes kept pairs as Parquet (snappy) in TRL's vision DPO layout: conversational `prompt` (image placeholder
 * first) / `chosen` / `rejected`, `images` as HF Image structs with the bytes embedded (path kept), the
 * `datasets` features metadata, and the reference log-prob columns when every pair has them.
 */
export async function exportParquet(store: PreferenceStore, options: ExportOptions & { fileName?: string }): Promise<ExportSummary> {
  const { pairs, refs, imagesWritten } = await collectExport(store, options);
  const file = join(options.dir, options.fileName ?? 'pairs.parquet');
  const bytes = new Map<string, Uint8Array>();
  const rows: ParquetPair[] = pairs.map((pair, i) => {
    let imageBytes = bytes.get(pair.image);
    if (!imageBytes) bytes.set(pair.image, (imageBytes = new Uint8Array(readRegularFileSync(join(options.dir, pair.image)))));
    return { pair, imageBytes, ...(refs ? { ref: refs[i]! } : {}) };
  });
  const withRefs = refs !== undefined;
  const buffer = parquetWriteBuffer({ columnData: pairsToParquetColumns(rows, withRefs), schema: parquetSchema(withRefs), kvMetadata: huggingfaceMetadata(withRefs) });
  writeFileAtomicSync(file, new Uint8Array(buffer));
  return { file, pairs: pairs.length, imagesWritten };
}
