import type { z } from 'zod';
import { TrainerConfigError } from '../errors';
import { dpoConfigSchema, type DpoConfig } from './dpo-config';
import { DPO_PRESETS, type DpoPresetName } from './presets';
import { sftConfigSchema, type SftConfig } from './sft-config';

function parseWith<S extends z.ZodType>(schema: S, kind: string, input: unknown): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) throw new TrainerConfigError(kind, r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return r.data;
}

/** Validates a DPO config (outside data: a config file, CLI flags); `preset` fields come first, `input` overrides them. */
export function parseDpoConfig(input: unknown = {}, options: { preset?: DpoPresetName } = {}): DpoConfig {
  const base = options.preset ? DPO_PRESETS[options.preset] : {};
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) return parseWith(dpoConfigSchema, 'dpo', { ...base, ...input });
  return parseWith(dpoConfigSchema, 'dpo', input);
}

/** Validates an SFT config. */
export function parseSftConfig(input: unknown = {}): SftConfig {
  return parseWith(sftConfigSchema, 'sft', input);
}

/** One config field's help line: name, help text and default (for `--help` and docs). */
export interface ConfigFieldHelp {
  name: string;
  help: string;
  default: unknown;
}

/** Help text and defaults of every field of a config schema, in declaration order. */
export function configHelp(schema: typeof dpoConfigSchema | typeof sftConfigSchema): ConfigFieldHelp[] {
  const defaults = schema.parse({}) as Record<string, unknown>;
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => ({ name, help: field.description ?? '', default: defaults[name] }));
}
