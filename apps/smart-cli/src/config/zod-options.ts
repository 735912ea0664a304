import type { Options } from 'yargs';
import type { z } from 'zod';

/** What one config field looks like once defaults and optionality are peeled off. */
export interface FieldInfo {
  key: string;
  flag: string;
  help: string;
  type: 'string' | 'number' | 'boolean' | 'array';
  choices?: string[];
  defaultValue?: unknown;
}

interface ZodLike {
  description?: string;
  def: { type: string; innerType?: ZodLike; defaultValue?: unknown; entries?: Record<string, string> };
}

/** `samplesPerIteration` → `samples-per-iteration`. */
export function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Reads a field's help, base type, choices and default from its zod schema. */
export function fieldInfo(key: string, schema: z.ZodType): FieldInfo {
  let node = schema as unknown as ZodLike;
  const help = node.description ?? '';
  let defaultValue: unknown;
  while (node.def.type === 'default' || node.def.type === 'optional') {
    if (node.def.type === 'default') defaultValue = node.def.defaultValue;
    node = node.def.innerType!;
  }
  const t = node.def.type;
  const info: FieldInfo = { key, flag: kebabCase(key), help: help || (node.description ?? ''), type: 'string' };
  if (defaultValue !== undefined) info.defaultValue = defaultValue;
  if (t === 'number') info.type = 'number';
  else if (t === 'boolean') info.type = 'boolean';
  else if (t === 'array') info.type = 'array';
  else if (t === 'enum') info.choices = Object.values(node.def.entries ?? {});
  return info;
}

/** Every field of an object schema. */
export function fieldsOf(schema: z.ZodObject): FieldInfo[] {
  return Object.entries(schema.shape).map(([key, s]) => fieldInfo(key, s as z.ZodType));
}

/**
 * yargs options for the given fields. Defaults are shown in the help but not applied by yargs, so the
 * config resolver can tell a flag the user typed from a default (flags override the file, defaults do not).
 * `alternate` adds the defaults of another setting where they differ (`[default: 600; embedded default: 1000]`).
 */
export function yargsOptions(
  fields: readonly FieldInfo[],
  group: string,
  alternate?: { label: string; values: Readonly<Record<string, unknown>> },
): Record<string, Options> {
  const out: Record<string, Options> = {};
  for (const f of fields) {
    if (f.type === 'array') continue; // arrays of objects come from the config file only
    const other = alternate?.values[f.key];
    const shown = [
      ...(f.defaultValue !== undefined ? [JSON.stringify(f.defaultValue)] : []),
      ...(other !== undefined && other !== f.defaultValue ? [`${alternate!.label}: ${JSON.stringify(other)}`] : []),
    ];
    out[f.flag] = {
      describe: f.help,
      type: f.type,
      group,
      ...(f.choices ? { choices: f.choices } : {}),
      ...(shown.length > 0 ? { defaultDescription: shown.join('; ') } : {}),
    };
  }
  return out;
}
