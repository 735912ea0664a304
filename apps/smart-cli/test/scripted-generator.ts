import type { GenerationRequest, GenerationResult, Generator } from '@smart/types';

/**
 * A stand-in model that follows instructions the way an instruction-tuned MLLM would: told an answer
 * in an AoT prompt, it writes two steps concluding that answer; asked a question, it answers with the
 * letter `answerFor` picks. Deterministic, so resumed and uninterrupted runs can be compared.
 */
export class ScriptedGenerator implements Generator {
  readonly modelId = 'scripted';
  /** Requests answered so far (every generate call, every row). */
  requests = 0;
  /** Called after each generate call with the running request count (tests trigger Ctrl-C from here). */
  onBatch: ((requests: number) => void) | undefined;

  constructor(
    private readonly answerFor: (prompt: string) => string = () => 'A',
    /** Samples whose rationales forget to state the answer (the conclusion filter drops them). */
    private readonly forgets: (sampleId: string) => boolean = () => false,
  ) {}

  /** Replies to prompts it recognizes (e.g. a judge's grading prompt); undefined falls back to the script. */
  reply: ((prompt: string) => string | undefined) | undefined;

  /** Wall time each generate call takes (so a test can kill a client mid-run). */
  delayMs = 0;

  async generate(requests: GenerationRequest[]): Promise<GenerationResult[]> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const out = requests.map((r): GenerationResult => {
      const told = /The correct answer to the question is "\(([A-H])\) ([^"]*)"/.exec(r.prompt);
      const sampleId = r.id.split(':')[0]!;
      const text = this.reply?.(r.prompt) ?? (told
        ? `Step 1, I look at the image for ${sampleId}. Step 2, ${this.forgets(sampleId) ? 'it is hard to tell' : `so the answer is (${told[1]}) ${told[2]}`}.`
        : `The answer is (${this.answerFor(r.prompt)}).`);
      return { id: r.id, text, finishReason: 'stop', promptTokens: r.prompt.length, completionTokens: text.length, latencyMs: 1 };
    });
    this.requests += requests.length;
    this.onBatch?.(this.requests);
    return out;
  }

  async close(): Promise<void> {
    // nothing to release
  }
}
