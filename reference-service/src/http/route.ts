import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TraceContext } from '../trace';

/** Where the server is in its life: probes report it, the handler closes connections while `draining`. */
export type ServerState = 'starting' | 'ready' | 'draining' | 'stopped';

/** Writes one JSON log line at `level`, with `fields` besides the request context. */
export type LogWriter = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

/** What a route handler gets: the request, the response, the path's captured parameters, the query and the trace. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly trace: TraceContext;
}

/** One method on one path template. */
export interface Route {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  /** Recorded in the request-duration histogram (API traffic; probes, scrapes and admin calls are not). */
  readonly instrumented: boolean;
  readonly handle: (ctx: RequestContext) => Promise<void> | void;
}

/** Admin routes (`/admin/...`): fault injection; they exist only with fault injection enabled and need the admin token. */
export function isAdminRoute(route: Route): boolean {
  return route.template.startsWith('/admin/');
}
