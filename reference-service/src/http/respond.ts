import type { IncomingMessage, ServerResponse } from 'node:http';
import { DependencyUnavailableError } from '../resilience';

/** Answers `status` with `body` as JSON (and `headers`). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** 503 with Retry-After: the answer whenever the service sheds load or a dependency refuses work. */
export function sendUnavailable(res: ServerResponse, retryAfterSeconds: number, body: Record<string, unknown>): void {
  sendJson(res, 503, body, { 'retry-after': String(retryAfterSeconds) });
}

/** Dependency errors become 503 + Retry-After (true); anything else is the caller's to rethrow (a 500). */
export function sentUnavailable(res: ServerResponse, e: unknown): boolean {
  if (!(e instanceof DependencyUnavailableError)) return false;
  sendUnavailable(res, e.retryAfterSeconds, { error: `${e.dependency} unavailable`, reason: e.reason });
  return true;
}

/** The first value of a header that may repeat. */
export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Resolves after `ms` milliseconds (at once for 0 or less). */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** The request body as text; rejects (and destroys the request) past `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
