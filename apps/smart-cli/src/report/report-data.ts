import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRecordText } from '@smart/core';
import { decodeImage, encodeImage, type RgbImage } from '@smart/augment';
import type { Funnel, PreferenceStore } from '@smart/preference-store';
import type { RunPaths } from '../run-folder/run-paths';
import type { RunSummary } from '../run-folder/summary';
import { readTimings, timingTable, type TimedStage } from '../run-folder/stage-timings';
import { templateAgreement, type AgreementPair, type TemplateAgreementRow } from './template-agreement';
import type { SyntheticRationaleRecord } from '@smart/datasets';

/** One row of `iter-k/train-metrics.jsonl` (TRL metric names). */
export type MetricsRow = Record<string, number>;

/** One example pair shown in the report's browser. */
export interface ExamplePair {
  iteration: number;
  sampleId: string;
  question: string;
  chosen: string;
  rejected: string;
  answer: string;
  wrongAnswer: string;
  kept: boolean;
  dropReasons: string[];
  /** PNG data URL, at most 128 px on the long side. */
  thumbnail: string | null;
}

/** Everything report.html shows. */
export interface ReportData {
  summary: RunSummary;
  funnels: { iteration: number; funnel: Funnel }[];
  curves: { iteration: number; rows: MetricsRow[] }[];
  examples: ExamplePair[];
  /** Wall seconds per stage (timings.jsonl; resumed runs add up), with shares of the total. Not in summary.json: wall time is not a result. */
  timings: { stage: TimedStage; seconds: number; share: number }[];
  generatedAt: string;
  /** How the run trains on its pairs (loss, scored span, optimizer), one line. */
  training: string;
  /** Synthetic task: kept pairs per iteration and kind that repeat the template rationales (empty otherwise). */
  templateAgreement: TemplateAgreementRow[];
  /** Why the template table is missing on the synthetic task (its sidecar could not be read). */
  templateAgreementError?: string;
}

// The base's SFT curve: the task SFT's rows, then the follow stage's with their steps counted on from it.
function baseMetrics(paths: RunPaths): MetricsRow[] {
  const task = readMetrics(join(paths.baseTaskSft, 'train-metrics.jsonl'));
  const offset = task.at(-1)?.['step'] ?? 0;
  return [...task, ...readMetrics(paths.trainMetrics(0)).map((r) => (r['step'] === undefined ? r : { ...r, step: r['step'] + offset }))];
}

/** Reads `train-metrics.jsonl` rows; torn or non-numeric fields are skipped. */
export function readMetrics(file: string): MetricsRow[] {
  if (!existsSync(file)) return [];
  const rows: MetricsRow[] = [];
  for (const record of parseRecordText(readFileSync(file, 'utf8'), file, { format: 'jsonl' })) {
    // A torn last line of a killed run is a bad row: skipped.
    if (!record.ok || typeof record.value !== 'object' || record.value === null) continue;
    const row: MetricsRow = {};
    for (const [k, v] of Object.entries(record.value)) if (typeof v === 'number' && Number.isFinite(v)) row[k] = v;
    rows.push(row);
  }
  return rows;
}

/** Nearest-neighbour downscale so the longest side is at most `max` (thumbnails only). */
export function downscale(img: RgbImage, max: number): RgbImage {
  const scale = Math.min(1, max / Math.max(img.width, img.height));
  if (scale === 1) return img;
  const width = Math.max(1, Math.round(img.width * scale));
  const height = Math.max(1, Math.round(img.height * scale));
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(img.height - 1, Math.floor(y / scale));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(img.width - 1, Math.floor(x / scale));
      const src = (sy * img.width + sx) * 3;
      const dst = (y * width + x) * 3;
      data[dst] = img.data[src]!;
      data[dst + 1] = img.data[src + 1]!;
      data[dst + 2] = img.data[src + 2]!;
    }
  }
  return { width, height, data };
}

async function thumbnail(store: PreferenceStore, sha: string | null): Promise<string | null> {
  if (!sha) return null;
  const img = store.getImage(sha);
  if (!img) return null;
  try {
    const small = downscale(await decodeImage(img.bytes, sha), 128);
    const png = await encodeImage(small, { format: 'png' });
    return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
  } catch {
    return null;
  }
}

/** Collects the report's data from the summary, the store and the run folder. */
export async function collectReportData(o: {
  summary: RunSummary;
  store: PreferenceStore;
  paths: RunPaths;
  examplesPerIteration?: number;
  now?: () => Date;
  training: string;
  /** The synthetic task's template rationales (its sidecar), when the run's questions come from it. */
  templates?: ReadonlyMap<string, Pick<SyntheticRationaleRecord, 'kind' | 'rationale' | 'told'>>;
  templatesError?: string;
}): Promise<ReportData> {
  const per = o.examplesPerIteration ?? 6;
  const iterations = o.summary.iterations.map((it) => it.iteration);
  const funnels = iterations.map((k) => ({ iteration: k, funnel: o.store.funnel(k) }));
  // iter-0's metrics are the embedded default's base SFT, when the run built it: its task SFT, then its follow stage.
  const curves = [0, ...iterations].map((k) => ({ iteration: k, rows: k === 0 ? baseMetrics(o.paths) : readMetrics(o.paths.trainMetrics(k)) })).filter((c) => c.rows.length > 0);
  const examples: ExamplePair[] = [];
  const agreement: TemplateAgreementRow[] = [];
  for (const k of iterations) {
    const pairs = o.store.listPairs({ iteration: k });
    if (o.templates) agreement.push(...templateAgreement(k, pairs satisfies readonly AgreementPair[], o.templates));
    // Kept pairs first, then a few dropped ones, so the browser shows what the filters removed too.
    const chosen = [...pairs.filter((p) => p.kept).slice(0, per), ...pairs.filter((p) => !p.kept).slice(0, Math.ceil(per / 2))];
    for (const p of chosen) {
      examples.push({
        iteration: k,
        sampleId: p.sampleId,
        question: p.prompt,
        chosen: p.chosen,
        rejected: p.rejected,
        answer: p.answer,
        wrongAnswer: p.wrongAnswer,
        kept: p.kept,
        dropReasons: p.dropReasons,
        thumbnail: await thumbnail(o.store, p.imageSha256),
      });
    }
  }
  return {
    summary: o.summary,
    funnels,
    curves,
    examples,
    timings: timingTable(readTimings(o.paths)),
    generatedAt: (o.now ?? (() => new Date()))().toISOString(),
    training: o.training,
    templateAgreement: agreement,
    ...(o.templatesError ? { templateAgreementError: o.templatesError } : {}),
  };
}
