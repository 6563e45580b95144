import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import pino from 'pino';

export type { Logger } from 'pino';

/** What every log line written while serving a request carries (request id and W3C trace context). */
export interface RequestLogContext {
  readonly request_id: string;
  readonly trace_id: string;
  readonly span_id: string;
}

/** The request being served, for log lines written deep in the data path (cache, database, retries). */
export const requestContext = new AsyncLocalStorage<RequestLogContext>();

/**
 * JSON logs with pino: one line per event, `timestamp` (ISO 8601), `level` as a word, `msg`, `service.name`, and
 * the request id and trace ids of the request being served. `write` receives each line without its newline
 * (default: stdout).
 */
export function createLogger(serviceName: string, write?: (line: string) => void): Logger {
  const options: pino.LoggerOptions = {
    base: { 'service.name': serviceName },
    messageKey: 'msg',
    timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    // A fresh object each time: pino merges the line's own fields into it.
    mixin: () => {
      const ctx = requestContext.getStore();
      return ctx ? { ...ctx } : {};
    },
  };
  if (!write) return pino(options);
  return pino(options, { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) });
}
