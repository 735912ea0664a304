import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { DEFAULT_MAX_IMAGE_PIXELS } from '@smart/core';
import { DEFAULT_SAMPLING, type GenerationResult, type Generator, type SamplingParams } from '@smart/types';
import { BodyTooLargeError, ClientDisconnectedError, QueueFullError, RequestTimeoutError, UnsupportedChatRequestError } from '../errors';
import { BatchQueue } from './batch-queue';
import { toGenerationRequest } from './chat-request';
import { readBody } from './http-body';
import { chatCompletionRequestSchema, type OpenAIErrorBody } from '../openai/openai-schemas';

/** Options of {@link serve}. */
export interface ServeOptions {
  /** Any backend; `serve` does not close it. */
  generator: Generator;
  /** Default 127.0.0.1: loopback only. */
  host?: string;
  /** Default 0: an ephemeral port (read it from the handle). */
  port?: number;
  /** Name listed by /v1/models and echoed as `model`. Default generator.modelId. */
  modelName?: string;
  /** Largest request body, bytes; beyond it 413 before the rest is read. Default 16 MiB (images arrive as base64). */
  maxBodyBytes?: number;
  /** Largest max_tokens / max_completion_tokens; beyond it 400. Default 4096. */
  maxTokens?: number;
  /** Largest prompt in characters over all messages; beyond it 400. Default 200 000. */
  maxPromptChars?: number;
  /** Largest image (width × height from its header, checked before decoding); beyond it 400. Default 89 478 485 (PIL's). */
  maxImagePixels?: number;
  /**
   * generate() calls running at once. Default 8: each HTTP request is its own call, and a local
   * generator shares its batch slots among calls, so one long request does not hold up the others.
   */
  maxConcurrent?: number;
  /** Requests per generate() call. Default 1 (the local generator batches across calls itself). */
  maxBatch?: number;
  /** Requests allowed to wait; beyond that clients get 429 with Retry-After. Default 64. */
  maxQueue?: number;
  /** Wall time a request may take from arrival to answer; beyond it 504 and its work is cancelled. Default 120 000 ms. */
  requestTimeoutMs?: number;
  /** Retry-After (seconds) sent with 429 and 503. Default 1. */
  retryAfterSeconds?: number;
  /** Open connections at most (each may be buffering a body up to maxBodyBytes); more are dropped. Default 256. */
  maxConnections?: number;
  /** Accept `file://` URLs and absolute paths as image_url. Default false. */
  allowLocalImagePaths?: boolean;
  /** Sampling used for fields a request leaves out. Default: the paper's (temperature 0.7, top-p 0.9). */
  defaultSampling?: SamplingParams;
  /** Folder for decoded images. Default os.tmpdir(). */
  tmpDir?: string;
  /** Clock for `created`, seconds. Default Date.now()/1000. */
  nowSeconds?: () => number;
}

/** A running server. */
export interface ServeHandle {
  /** e.g. `http://127.0.0.1:41234` (append `/v1` for clients). */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections, lets running requests finish, then resolves. */
  close(): Promise<void>;
}

/** Starts an OpenAI-compatible HTTP server (chat completions, models, health) over a Generator. */
export async function serve(options: ServeOptions): Promise<ServeHandle> {
  const host = options.host ?? '127.0.0.1';
  const modelName = options.modelName ?? options.generator.modelId;
  const maxBodyBytes = options.maxBodyBytes ?? 16 << 20;
  const defaults = options.defaultSampling ?? DEFAULT_SAMPLING;
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const intake = { allowLocalPaths: options.allowLocalImagePaths ?? false, tmpDir: options.tmpDir ?? tmpdir(), maxImagePixels: options.maxImagePixels ?? DEFAULT_MAX_IMAGE_PIXELS };
  const limits = { maxTokens: options.maxTokens ?? 4096, maxPromptChars: options.maxPromptChars ?? 200_000 };
  const timeoutMs = options.requestTimeoutMs ?? 120_000;
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const queue = new BatchQueue(options.generator, {
    maxConcurrent: options.maxConcurrent ?? 8,
    maxBatch: options.maxBatch ?? 1,
    maxQueue: options.maxQueue ?? 64,
  });
  let closing = false;

  async function chatCompletions(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // One signal per request: the client hanging up or the timeout cancels its work wherever it is.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new RequestTimeoutError(timeoutMs)), timeoutMs);
    res.on('close', () => {
      clearTimeout(timer);
      if (!res.writableEnded) abort.abort(new ClientDisconnectedError());
    });
    const type = String(req.headers['content-type'] ?? '');
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      return sendError(res, 400, `content-type must be application/json, got ${JSON.stringify(type || '(none)')}`, 'invalid_request_error', null, true);
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return sendError(res, 413, err.message, 'invalid_request_error', null, true);
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      return sendError(res, 400, `malformed JSON body: ${(err as Error).message}`, 'invalid_request_error');
    }
    const parsed = chatCompletionRequestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const param = issue.path.join('.') || null;
      return sendError(res, 400, `${param ?? 'body'}: ${issue.message}`, 'invalid_request_error', param);
    }
    if (parsed.data.model !== undefined && parsed.data.model !== modelName) {
      return sendError(res, 404, `model ${JSON.stringify(parsed.data.model)} is not served here (serving ${JSON.stringify(modelName)})`, 'invalid_request_error', 'model', false, 'model_not_found');
    }
    const headerId = req.headers['x-request-id'];
    const id = typeof headerId === 'string' && headerId.length > 0 && headerId.length <= 200 ? headerId : randomUUID();
    let prepared;
    try {
      prepared = await toGenerationRequest(parsed.data, id, defaults, intake, limits);
    } catch (err) {
      if (err instanceof UnsupportedChatRequestError) return sendError(res, 400, err.message, 'invalid_request_error', err.param);
      throw err;
    }
    let result: GenerationResult;
    try {
      result = await queue.submit(prepared.request, abort.signal);
    } catch (err) {
      if (err instanceof QueueFullError) return sendError(res, 429, err.message, 'rate_limit_error', null, false, null, retryAfter);
      const reason: unknown = abort.signal.reason;
      if (reason instanceof RequestTimeoutError) return sendError(res, 504, reason.message, 'timeout_error');
      if (reason instanceof ClientDisconnectedError) return;
      return sendError(res, 500, `generation failed: ${(err as Error).message}`, 'server_error');
    } finally {
      await prepared.cleanup();
    }
    if (result.finishReason === 'error') return sendError(res, 500, `generation failed: ${result.error ?? 'unknown error'}`, 'server_error');
    const samples = result.samples ?? [{ text: result.text, finishReason: result.finishReason, completionTokens: result.completionTokens }];
    sendJson(res, 200, {
      id: `chatcmpl-${id}`,
      object: 'chat.completion',
      created: nowSeconds(),
      model: modelName,
      choices: samples.map((s, index) => ({
        index,
        message: { role: 'assistant', content: s.text },
        finish_reason: s.finishReason,
        logprobs: null,
        // Not in OpenAI's schema (clients ignore it): per-choice token counts for n > 1.
        completion_tokens: s.completionTokens,
      })),
      usage: { prompt_tokens: result.promptTokens, completion_tokens: result.completionTokens, total_tokens: result.promptTokens + result.completionTokens },
      ...(result.seed !== undefined ? { system_fingerprint: `seed-${result.seed}` } : {}),
    });
  }

  const routes: Record<string, Partial<Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void> | void>>> = {
    '/v1/chat/completions': { POST: chatCompletions },
    '/v1/models': {
      GET: (_req, res) => sendJson(res, 200, { object: 'list', data: [{ id: modelName, object: 'model', created: 0, owned_by: 'smart' }] }),
    },
    '/health': { GET: (_req, res) => sendJson(res, 200, { status: closing ? 'closing' : 'ok', ...queue.load }) },
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = routes[path];
    const handler = route?.[req.method ?? ''];
    const answer = async () => {
      if (!route) return sendError(res, 404, `no route ${req.method} ${path}`, 'invalid_request_error', null, false, 'not_found');
      if (!handler) {
        res.setHeader('allow', Object.keys(route).join(', '));
        return sendError(res, 405, `method ${req.method} not allowed on ${path}`, 'invalid_request_error', null, false, 'method_not_allowed');
      }
      if (closing) return sendError(res, 503, 'server is shutting down', 'server_error', null, true, null, retryAfter);
      await handler(req, res);
    };
    answer().catch((err: unknown) => {
      // Last line of defence: the server outlives any single bad request.
      if (!res.headersSent) sendError(res, 500, `internal error: ${(err as Error)?.message ?? String(err)}`, 'server_error');
      else res.destroy();
    });
  });

  server.maxConnections = options.maxConnections ?? 256;
  // A client that sends its request slowly (slowloris) is cut off at the same timeout.
  server.requestTimeout = timeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    async close() {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await queue.drain();
      server.closeIdleConnections();
      await stopped;
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, closeConnection = false, headers: Record<string, string> = {}): void {
  // The client may already be gone (timeout raced a disconnect): nothing to answer.
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(closeConnection ? { connection: 'close' } : {}),
    ...headers,
  });
  res.end(text);
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  param: string | null = null,
  closeConnection = false,
  code: string | null = null,
  retryAfter?: string,
): void {
  const body: OpenAIErrorBody = { error: { message, type, param, code } };
  sendJson(res, status, body, closeConnection, retryAfter ? { 'retry-after': retryAfter } : {});
}
