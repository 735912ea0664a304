export {
  ImportFileError,
  ImportImageError,
  ImportRowError,
  IterationOverlapError,
  InvalidRecordError,
  MissingRecordError,
  NotSqliteFileError,
  PreferenceStoreError,
  SampleInUseError,
  SchemaTooNewError,
  StoreConstraintError,
  StoreCorruptError,
  StoreFileError,
  StoreLockedError,
  StoreSqliteError,
} from './errors';
export type { AugmentationRecord, Funnel, GenerationRecord, PairVerdict, PairWrite, StoredGeneration, StoredPair, StoredSample } from './records';
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations';
export { migrate } from './migrate';
export { openStore, PreferenceStore, type OpenStoreOptions } from './preference-store';
export type { StoreJudgeCache } from './judge-cache';
export { sha256Hex, sniffMime, imageFileName } from './image-file';
export { ImageFolder, type StoredImage } from './image-folder';
export { exportTrl, exportLlamaFactory, exportParquet, type ExportOptions, type ExportSummary, type TrlExportOptions } from './export-pairs';
export { importTrl, importLlamaFactory, importParquet, type ImportOptions, type ImportResult, type LlamaFactoryImportOptions } from './import-pairs';
export { derivedSampleId, type ImportedPair } from './imported-pair';
export { hfImageSchema, type HfImage } from './import-images';
export { IMAGE_TOKEN } from './image-placeholder';
export { pairToTrlRecord, trlMessageSchema, trlRecordSchema, trlRowSchema, type TrlRecord, type TrlRow } from './trl-format';
export {
  llamaFactoryDatasetEntrySchema,
  llamaFactoryDatasetInfo,
  llamaFactoryRecordSchema,
  pairToLlamaFactoryRecord,
  type LlamaFactoryDatasetEntry,
  type LlamaFactoryRecord,
} from './llama-factory-format';
export { hfColumnSchema, hfFeaturesMetadata, hfSchema, huggingfaceMetadata, PARQUET_SCHEMA, parquetSchema, type HfColumnType } from './parquet-format';
