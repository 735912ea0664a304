import type { Generator } from '@smart/types';
import { JudgeError } from '../errors';
import type { Judge, JudgeRequest } from './judge';

/** Uses any `Generator` (local model, HTTP backend) as a judge; generation errors become JudgeError. */
export class GeneratorJudge implements Judge {
  private counter = 0;

  constructor(private readonly generator: Generator) {}

  get model(): string {
    return this.generator.modelId;
  }

  async complete(request: JudgeRequest): Promise<string> {
    const id = `judge-${this.counter++}`;
    const [result] = await this.generator.generate([
      {
        id,
        prompt: request.prompt,
        ...(request.system === undefined ? {} : { system: request.system }),
        sampling: { temperature: request.temperature, topP: 1, maxNewTokens: request.maxTokens },
      },
    ]);
    if (!result || result.finishReason === 'error') {
      throw new JudgeError(this.model, 1, result?.error ?? 'generator returned no result');
    }
    return result.text;
  }
}
