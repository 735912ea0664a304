import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat request the stub received: its text (system + user parts joined) and how many images it carried. */
export interface StubRequest {
  text: string;
  images: number;
}

/** What the stub answers: reply text, or an HTTP status to fail with (400 is not retried by mllm's client). */
export type StubReply = string | { status: number };

/**
 * A loopback OpenAI-compatible chat server that takes any number of images per message (as vLLM does),
 * records every request and answers through `reply`.
 */
export async function startOpenAIStub(reply: (r: StubRequest) => StubReply): Promise<{ baseUrl: string; requests: StubRequest[]; reply: typeof reply; close(): Promise<void> }> {
  const state = { reply, requests: [] as StubRequest[] };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { messages: { content: string | { type: string; text?: string }[] }[] };
      const parts = parsed.messages.flatMap((m) => (typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content));
      const r: StubRequest = { text: parts.map((p) => p.text ?? '').join('\n'), images: parts.filter((p) => p.type === 'image_url').length };
      state.requests.push(r);
      const answer = state.reply(r);
      if (typeof answer !== 'string') {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'refused by the stub', type: 'invalid_request_error', param: null, code: null } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', model: 'stub', choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1 } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests: state.requests,
    get reply() {
      return state.reply;
    },
    set reply(fn) {
      state.reply = fn;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
