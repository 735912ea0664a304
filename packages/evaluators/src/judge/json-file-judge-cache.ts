import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { BenchmarkFileError } from '../errors';
import type { JudgeCache } from './judge-cache';

const CacheFileSchema = z.record(z.string(), z.string());

/**
 * A judge cache persisted as one JSON object `{ key: completion }`. The file is read on first use
 * and rewritten (temp file + rename, so a crash never leaves half a file) after every put.
 */
export class JsonFileJudgeCache implements JudgeCache {
  private entries: Map<string, string> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  private async load(): Promise<Map<string, string>> {
    if (this.entries) return this.entries;
    let text: string | undefined;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new BenchmarkFileError(this.path, (e as Error).message);
    }
    const entries = new Map<string, string>();
    if (text !== undefined) {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        throw new BenchmarkFileError(this.path, `judge cache is not JSON: ${(e as Error).message}`);
      }
      const parsed = CacheFileSchema.safeParse(doc);
      if (!parsed.success) throw new BenchmarkFileError(this.path, 'judge cache must map keys to completion strings');
      for (const [k, v] of Object.entries(parsed.data)) entries.set(k, v);
    }
    this.entries ??= entries;
    return this.entries;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.load()).get(key);
  }

  async put(key: string, completion: string): Promise<void> {
    const entries = await this.load();
    entries.set(key, completion);
    // Writes are chained so concurrent puts never interleave renames.
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(Object.fromEntries(entries)));
      await rename(tmp, this.path);
    });
    await this.writing;
  }
}
