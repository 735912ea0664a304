import type { GenerationRequest, Generator } from '@smart/types';

/** Options of `collectResponses`. */
export interface CollectResponsesOptions {
  generator: Generator;
  requests: GenerationRequest[];
  /** Responses already known by request id (e.g. from `readScoredItems`): these are not regenerated. */
  existing?: ReadonlyMap<string, string>;
  /** Requests per `generate` call. Default 16. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/** A response per request id, or the generation error for requests that failed. */
export interface CollectedResponses {
  responses: Map<string, string>;
  errors: Map<string, string>;
}

/** Generates only the missing responses, in batches, so an interrupted run resumes where it stopped. */
export async function collectResponses(opts: CollectResponsesOptions): Promise<CollectedResponses> {
  const responses = new Map<string, string>();
  const errors = new Map<string, string>();
  const todo: GenerationRequest[] = [];
  for (const r of opts.requests) {
    const known = opts.existing?.get(r.id);
    if (known !== undefined) responses.set(r.id, known);
    else todo.push(r);
  }
  const batch = opts.batchSize ?? 16;
  for (let i = 0; i < todo.length; i += batch) {
    const results = await opts.generator.generate(todo.slice(i, i + batch));
    for (const res of results) {
      if (res.finishReason === 'error') errors.set(res.id, res.error ?? 'generation failed');
      else responses.set(res.id, res.text);
    }
    opts.onProgress?.(responses.size + errors.size, opts.requests.length);
  }
  return { responses, errors };
}
