export {
  ImportFileError,
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
export { importTrl, importLlamaFactory, importParquet, type ImportOptions, type ImportResult } from './import-pairs';
export { pairToTrlRecord, trlMessageSchema, trlRecordToPair, trlRecordSchema, type TrlRecord } from './trl-format';
export {
  IMAGE_TOKEN,
  llamaFactoryDatasetInfo,
  llamaFactoryRecordSchema,
  llamaFactoryRecordToPair,
  pairToLlamaFactoryRecord,
  type LlamaFactoryRecord,
} from './llama-factory-format';
export { huggingfaceMetadata, hfImageSchema, PARQUET_SCHEMA, parquetRowSchema, parquetSchema, type HfImage, type ParquetRow } from './parquet-format';
