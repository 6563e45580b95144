import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { propagation, ROOT_CONTEXT, SpanStatusCode } from '@opentelemetry/api';
import { requestContext } from '../logger';
import { SpanKind, tracer } from '../telemetry';
import type { TraceContext } from '../trace';
import { traceContextFrom } from '../trace';
import type { HttpMetrics } from './request-metrics';
import { firstHeader, sendJson } from './respond';
import type { LogWriter, RequestContext, Route, ServerState } from './route';
import { isAdminRoute } from './route';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What {@link createRequestHandler} dispatches to and reports through. */
export interface RequestHandlerOptions {
  /** Every route, in match order (the first route on a path names its template). */
  readonly routes: readonly Route[];
  /** The server's state now (`draining` closes connections after their request). */
  readonly state: () => ServerState;
  /** Serves an instrumented (API) route: admission control and injected faults first. */
  readonly serveApi: (route: Route, ctx: RequestContext) => Promise<void>;
  /** Whether `req` may call the admin routes. */
  readonly adminAllowed: (req: IncomingMessage) => boolean;
  /** The request-duration histogram. */
  readonly duration: HttpMetrics['duration'];
  readonly writeLog: LogWriter;
  /** Closes the server's idle keep-alive connections (while draining, after each request). */
  readonly closeIdleConnections: () => void;
}

/**
 * The HTTP request handler: request id and W3C trace context (a server span that continues the caller's trace), routing
 * (404, 405 with `Allow`), the admin check, API routes through admission, and per request one duration sample (API
 * routes and unmatched paths only) and one JSON log line.
 */
export function createRequestHandler(options: RequestHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { routes, state, serveApi, duration, writeLog } = options;
  return (req, res) => {
    const started = process.hrtime.bigint();
    const incoming = traceContextFrom(req.headers.traceparent);
    const givenRequestId = firstHeader(req.headers['x-request-id']);
    const requestId = givenRequestId !== undefined && REQUEST_ID.test(givenRequestId) ? givenRequestId : randomUUID();
    const method = (req.method ?? 'GET').toUpperCase();
    const [path, queryString] = (req.url ?? '/').split('?', 2);
    const onPath = routes.filter((r) => r.pattern.test(path));
    const route = onPath.find((r) => r.method === method);
    const template = onPath[0]?.template;
    if (state() === 'draining') res.setHeader('connection', 'close');

    // The server span continues the caller's trace (W3C traceparent) when the SDK is on; otherwise the ids are ours.
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const attributes = { 'http.request.method': method, 'url.path': path, ...(template ? { 'http.route': template } : {}) };
    tracer.startActiveSpan(template ? `${method} ${template}` : method, { kind: SpanKind.SERVER, attributes }, parent, (span) => {
      const recording = span.isRecording();
      const trace: TraceContext = recording
        ? {
          traceId: span.spanContext().traceId, spanId: span.spanContext().spanId,
          ...(incoming.parentSpanId ? { parentSpanId: incoming.parentSpanId } : {}),
        }
        : incoming;
      res.setHeader('x-request-id', requestId);
      res.setHeader('traceparent', `00-${trace.traceId}-${trace.spanId}-${recording ? '01' : '00'}`);

      res.once('close', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const status = res.statusCode;
        // API routes and unmatched paths (404) count; probes, scrapes and admin calls do not dilute the SLIs.
        if (onPath.length === 0 || onPath[0].instrumented) {
          // OTel: http.route is absent when no route matched (keeps cardinality bounded).
          duration.observe(template === undefined
            ? { http_request_method: method, http_response_status_code: String(status) }
            : { http_request_method: method, http_route: template, http_response_status_code: String(status) }, seconds);
        }
        const fields: Record<string, unknown> = {
          'http.request.method': method,
          'url.path': path,
          'http.response.status_code': status,
          duration_ms: Math.round(seconds * 1e6) / 1e3,
          request_id: requestId,
          trace_id: trace.traceId,
          span_id: trace.spanId,
        };
        if (template !== undefined) fields['http.route'] = template;
        if (trace.parentSpanId !== undefined) fields.parent_span_id = trace.parentSpanId;
        if (!res.writableFinished) fields.aborted = true;
        writeLog(status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info', 'request', fields);
        span.setAttribute('http.response.status_code', status);
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
        // While shutting down, a keep-alive connection that just finished its request is closed at once.
        if (state() === 'draining') setImmediate(() => options.closeIdleConnections());
      });

      const serve = async (): Promise<void> => {
        try {
          if (!route) {
            if (onPath.length > 0) {
              res.setHeader('allow', onPath.map((r) => r.method).join(', '));
              sendJson(res, 405, { error: `method ${method} not allowed` });
            } else {
              sendJson(res, 404, { error: 'not found' });
            }
            return;
          }
          if (isAdminRoute(route) && !options.adminAllowed(req)) {
            sendJson(res, 403, { error: 'admin endpoints need the admin bearer token (or a loopback caller when none is configured)' });
            return;
          }
          const m = route.pattern.exec(path);
          const ctx: RequestContext = { req, res, params: m ? m.slice(1) : [], query: new URLSearchParams(queryString ?? ''), trace };
          if (route.instrumented) await serveApi(route, ctx);
          else await route.handle(ctx);
        } catch (e) {
          writeLog('error', 'unhandled error', { error: (e as Error).message });
          if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
          else res.destroy();
        }
      };
      requestContext.run({ request_id: requestId, trace_id: trace.traceId, span_id: trace.spanId }, () => { void serve(); });
    });
  };
}
