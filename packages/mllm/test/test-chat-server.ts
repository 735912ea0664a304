import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the test server received in one chat-completions call (the JSON body as sent). */
export interface ReceivedCall {
  model: string;
  messages: { role: string; content: string | { type: string; text?: string }[] }[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
  n?: number;
}

/** A scripted failure: the HTTP status, optional headers, and a body (default an OpenAI error object). */
export interface ScriptedFailure {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A minimal OpenAI-compatible server on a real loopback socket: scripted answers (an answer function that
 * throws makes that request fail with HTTP 500), a queue of scripted failures served first, an optional
 * per-request delay, a call log and the peak number of requests in flight.
 */
export class TestChatServer {
  readonly calls: ReceivedCall[] = [];
  /** Served, in order, before any scripted answer. */
  readonly failures: ScriptedFailure[] = [];
  /** Milliseconds each request is held before it is answered. */
  delayMs = 0;
  peakInFlight = 0;
  /** The `/v1` base URL, set by `start`. */
  baseUrl = '';
  private inFlight = 0;
  private server: Server | undefined;

  constructor(private readonly answer: (call: ReceivedCall) => string) {}

  /** A server for the enclosing `describe` block: started before its tests, stopped after them. */
  static forSuite(answer: (call: ReceivedCall) => string): TestChatServer {
    const server = new TestChatServer(answer);
    beforeAll(() => server.start());
    afterAll(() => server.stop());
    return server;
  }

  /** Clears the log, the failure queue, the delay and the peak. */
  reset(): void {
    this.calls.length = 0;
    this.failures.length = 0;
    this.delayMs = 0;
    this.peakInFlight = 0;
  }

  /** Resolves once no request is in flight (a client's abort reaches the server a moment after the client gave up). */
  async idle(): Promise<void> {
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
  }

  /** Starts listening on 127.0.0.1 and returns the `/v1` base URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const call = JSON.parse(body) as ReceivedCall;
        this.calls.push(call);
        this.inFlight++;
        this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
        // A request stops counting when it is answered or when the client gives up on it (timeout, abort).
        let counted = true;
        const settle = (): void => {
          if (counted) this.inFlight--;
          counted = false;
        };
        res.on('close', settle);
        setTimeout(() => {
          settle();
          if (res.destroyed) return;
          const failure = this.failures.shift();
          if (req.url !== '/v1/chat/completions') {
            res.writeHead(404).end('not found');
          } else if (failure) {
            res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
            res.end(failure.body ?? JSON.stringify({ error: { message: `scripted ${failure.status}` } }));
          } else {
            let content: string;
            try {
              content = this.answer(call);
            } catch (e) {
              res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: (e as Error).message } }));
              return;
            }
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(
              JSON.stringify({
                id: `c${this.calls.length}`,
                object: 'chat.completion',
                model: call.model,
                choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
                usage: { prompt_tokens: 5, completion_tokens: 1 },
              }),
            );
          }
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server?.close((e) => (e ? reject(e) : resolve())) ?? resolve());
  }
}

/** The text of the last user message of a call. */
export function userText(call: ReceivedCall): string {
  const content = call.messages.at(-1)!.content;
  return typeof content === 'string' ? content : content.map((p) => p.text ?? '').join('');
}
