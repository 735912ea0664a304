import type { IncomingMessage } from 'node:http';
import { BodyTooLargeError } from '../errors';

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
