import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Faults } from '../faults';
import { NO_FAULTS, parseFaults } from '../faults';
import { readBody, sendJson } from './respond';
import type { LogWriter, Route } from './route';

const MAX_ADMIN_BODY_BYTES = 4096;

/** The faults the service injects now, and how to change them. */
export interface FaultSwitch {
  readonly current: () => Faults;
  readonly set: (faults: Faults) => void;
}

/** `GET`, `POST` (merge and validate) and `DELETE` (clear) on `/admin/faults`: fault injection for drills and tests. */
export function faultRoutes(faults: FaultSwitch, writeLog: LogWriter): Route[] {
  return [
    {
      method: 'GET', template: '/admin/faults', pattern: /^\/admin\/faults$/, instrumented: false,
      handle: ({ res }) => sendJson(res, 200, faults.current()),
    },
    {
      method: 'POST', template: '/admin/faults', pattern: /^\/admin\/faults$/, instrumented: false,
      handle: async ({ req, res, trace }) => {
        let body: unknown;
        try {
          body = JSON.parse(await readBody(req, MAX_ADMIN_BODY_BYTES));
        } catch (e) {
          sendJson(res, 400, { error: `invalid JSON body: ${(e as Error).message}` });
          return;
        }
        const parsed = parseFaults(body, faults.current());
        if (typeof parsed === 'string') {
          sendJson(res, 400, { error: parsed });
          return;
        }
        faults.set(parsed);
        writeLog('warn', 'faults injected', { ...parsed, trace_id: trace.traceId });
        sendJson(res, 200, faults.current());
      },
    },
    {
      method: 'DELETE', template: '/admin/faults', pattern: /^\/admin\/faults$/, instrumented: false,
      handle: ({ res, trace }) => {
        faults.set(NO_FAULTS);
        writeLog('info', 'faults cleared', { trace_id: trace.traceId });
        sendJson(res, 200, faults.current());
      },
    },
  ];
}

/** `DELETE /admin/cache/l1`: drops this instance's L1 entries (after a data fix; the game day's cache flush). */
export function cacheAdminRoutes(clearL1: () => number, writeLog: LogWriter): Route[] {
  return [{
    method: 'DELETE', template: '/admin/cache/l1', pattern: /^\/admin\/cache\/l1$/, instrumented: false,
    handle: ({ res, trace }) => {
      const dropped = clearL1();
      writeLog('warn', 'l1 cache cleared', { dropped, trace_id: trace.traceId });
      sendJson(res, 200, { dropped });
    },
  }];
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = header === undefined ? null : /^Bearer (.+)$/.exec(header);
  if (!m) return false;
  const given = Buffer.from(m[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Who may call the admin endpoints: with an admin token, a request bearing it; without one, loopback callers only
 * (a sidecar, `kubectl exec`, ECS Exec, or a test in the same process).
 */
export function adminAllowed(adminToken: string | undefined, req: IncomingMessage): boolean {
  return adminToken !== undefined && adminToken !== ''
    ? tokenMatches(req.headers.authorization, adminToken)
    : isLoopback(req.socket.remoteAddress);
}
