import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseRecordText } from '@smart/core';
import { z } from 'zod';

const lineSchema = z.object({ id: z.string(), model: z.string(), text: z.string() });

/**
 * Model responses appended as JSONL after every batch, so an interrupted evaluation resumes without
 * asking the model again. A torn last line (killed mid-write) is ignored and its item asked again.
 */
export class ResponseLog {
  private constructor(
    private readonly file: string,
    readonly responses: Map<string, string>,
  ) {}

  /** Reads the responses of `model` written earlier (other models' lines are ignored). */
  static open(file: string, model: string): ResponseLog {
    const responses = new Map<string, string>();
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      for (const row of parseRecordText(text, file, { format: 'jsonl' })) {
        if (!row.ok) continue; // a torn line of a killed run: regenerated
        const parsed = lineSchema.safeParse(row.value);
        if (parsed.success && parsed.data.model === model) responses.set(parsed.data.id, parsed.data.text);
      }
      if (text.length > 0 && !text.endsWith('\n')) appendFileSync(file, '\n');
    } else {
      mkdirSync(dirname(file), { recursive: true });
    }
    return new ResponseLog(file, responses);
  }

  /** Appends a batch of responses (one write call). */
  append(model: string, batch: readonly { id: string; text: string }[]): void {
    if (batch.length === 0) return;
    appendFileSync(this.file, batch.map((b) => JSON.stringify({ id: b.id, model, text: b.text })).join('\n') + '\n');
    for (const b of batch) this.responses.set(b.id, b.text);
  }
}
