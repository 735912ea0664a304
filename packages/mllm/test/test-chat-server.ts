import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the test server received in one chat-completions call. */
export interface ReceivedCall {
  model: string;
  messages: { role: string; content: string }[];
  temperature: number;
  max_tokens: number;
}

/**
 * A minimal OpenAI-compatible server on loopback: scripted answers (an answer function that throws
 * makes that request fail with HTTP 500), injectable failures, a call log.
 */
export class TestChatServer {
  readonly calls: ReceivedCall[] = [];
  /** The next N requests answer HTTP `failStatus` (default 503). */
  failNext = 0;
  failStatus = 503;
  /** The next N requests are answered with a body that is not a chat completion. */
  garbageNext = 0;
  /** The `/v1` base URL, set by `start`. */
  baseUrl = '';
  private server: Server | undefined;

  constructor(private readonly answer: (call: ReceivedCall) => string) {}

  /** A server for the enclosing `describe` block: started before its tests, stopped after them. */
  static forSuite(answer: (call: ReceivedCall) => string): TestChatServer {
    const server = new TestChatServer(answer);
    beforeAll(() => server.start());
    afterAll(() => server.stop());
    return server;
  }

  /** Starts listening on 127.0.0.1 and returns the `/v1` base URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const call = JSON.parse(body) as ReceivedCall;
        this.calls.push(call);
        if (req.url !== '/v1/chat/completions') {
          res.writeHead(404).end('not found');
        } else if (this.failNext > 0) {
          this.failNext--;
          res.writeHead(this.failStatus, { 'content-type': 'application/json' }).end('{"error":"scripted failure"}');
        } else if (this.garbageNext > 0) {
          this.garbageNext--;
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices":[]}');
        } else {
          let content: string;
          try {
            content = this.answer(call);
          } catch (e) {
            res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (e as Error).message }));
            return;
          }
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: `c${this.calls.length}`, object: 'chat.completion', model: call.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
        }
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
