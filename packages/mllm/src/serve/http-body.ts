import type { IncomingMessage } from 'node:http';

/** The body was larger than allowed. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

/** Reads a request body, rejecting with BodyTooLargeError as soon as it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return reject(new BodyTooLargeError(limit));
    const parts: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (part: Buffer) => {
      if (failed) return;
      size += part.length;
      if (size > limit) {
        failed = true;
        // Stop buffering; the caller answers 413 and closes the connection.
        parts.length = 0;
        reject(new BodyTooLargeError(limit));
        return;
      }
      parts.push(part);
    });
    req.on('end', () => !failed && resolve(Buffer.concat(parts)));
    req.on('error', (err) => !failed && reject(err));
  });
}
