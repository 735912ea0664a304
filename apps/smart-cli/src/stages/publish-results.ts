import type { PreferenceStore } from '@smart/preference-store';
import type { RunConfig } from '../config/run-config';
import { collectReportData } from '../report/report-data';
import { renderReport } from '../report/render-report';
import type { RunPaths } from '../run-folder/run-paths';
import { preferenceTrainingLine } from './local-train';
import { buildSummary, previousStopReason, writeSummary, type RunSummary } from '../run-folder/summary';
import { writeFileAtomicSync as writeFileAtomic } from '@smart/core';
import { DatasetRowError, readRationales } from '@smart/datasets';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Rewrites summary.json (after every stage; atomic). `stoppedBecause` undefined keeps the previous value. */
export function publishSummary(o: { config: RunConfig; paths: RunPaths; store: PreferenceStore; stoppedBecause?: string | null }): RunSummary {
  const reason = o.stoppedBecause === undefined ? previousStopReason(o.paths) : o.stoppedBecause;
  const summary = buildSummary(o.config, o.paths, o.store, reason);
  writeSummary(o.paths, summary);
  return summary;
}

/** Rewrites summary.json and report.html (one offline file). */
export async function publishReport(o: { config: RunConfig; paths: RunPaths; store: PreferenceStore; stoppedBecause?: string | null }): Promise<RunSummary> {
  const summary = publishSummary(o);
  // The synthetic task's sidecar holds each item's template rationales: the report sets the kept pairs against them.
  const sidecar = join(o.paths.data, 'train.rationales.jsonl');
  // A damaged sidecar costs that table only, never the report.
  let templates: Awaited<ReturnType<typeof readRationales>> | undefined;
  let templatesError: string | undefined;
  if (o.config.source === 'synthetic' && existsSync(sidecar)) {
    try {
      templates = await readRationales(sidecar);
    } catch (e) {
      if (!(e instanceof DatasetRowError)) throw e;
      templatesError = e.message;
    }
  }
  const data = await collectReportData({
    summary,
    store: o.store,
    paths: o.paths,
    training: preferenceTrainingLine(o.config),
    ...(templates ? { templates } : {}),
    ...(templatesError ? { templatesError } : {}),
  });
  writeFileAtomic(o.paths.report, renderReport(data));
  return summary;
}
