import type { PreferenceStore } from '@smart/preference-store';
import type { RunConfig } from '../config/run-config';
import { collectReportData } from '../report/report-data';
import { renderReport } from '../report/render-report';
import type { RunPaths } from '../run-folder/run-paths';
import { preferenceTrainingLine } from './local-train';
import { buildSummary, previousStopReason, writeSummary, type RunSummary } from '../run-folder/summary';
import { writeFileAtomicSync as writeFileAtomic } from '@smart/core';
import { DatasetRowError, readRationales, syntheticTaskFiles, type SyntheticRationaleRecord } from '@smart/datasets';
import { existsSync } from 'node:fs';

/** Rewrites summary.json (after every stage; atomic). `stoppedBecause` undefined keeps the previous value. */
export function publishSummary(o: { config: RunConfig; paths: RunPaths; store: PreferenceStore; stoppedBecause?: string | null }): RunSummary {
  const reason = o.stoppedBecause === undefined ? previousStopReason(o.paths) : o.stoppedBecause;
  const summary = buildSummary(o.config, o.paths, o.store, reason);
  writeSummary(o.paths, summary);
  return summary;
}

/**
 * The synthetic task's template rationales, which the report sets the kept pairs against. A damaged sidecar costs
 * that table only, never the report.
 */
async function reportTemplates(o: { config: RunConfig; paths: RunPaths }): Promise<{ templates?: Map<string, SyntheticRationaleRecord>; templatesError?: string }> {
  const sidecar = syntheticTaskFiles(o.paths.data).trainRationales;
  if (o.config.source !== 'synthetic' || !existsSync(sidecar)) return {};
  try {
    return { templates: await readRationales(sidecar) };
  } catch (e) {
    if (e instanceof DatasetRowError) return { templatesError: e.message };
    throw e;
  }
}

/** Rewrites summary.json and report.html (one offline file). */
export async function publishReport(o: { config: RunConfig; paths: RunPaths; store: PreferenceStore; stoppedBecause?: string | null }): Promise<RunSummary> {
  const summary = publishSummary(o);
  const data = await collectReportData({ summary, store: o.store, paths: o.paths, training: preferenceTrainingLine(o.config), ...(await reportTemplates(o)) });
  writeFileAtomic(o.paths.report, renderReport(data));
  return summary;
}
