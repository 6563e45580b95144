import type { Catalog } from '../catalog';
import type { FlagState } from '../flags';
import { FLAGS_OFF, killSwitchKey } from '../flags';
import { firstHeader, readBody, sendJson, sendUnavailable, sentUnavailable } from './respond';
import type { Route } from './route';

const ITEM_ID = /^[A-Za-z0-9_-]{1,64}$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;
const MAX_ORDER_BODY_BYTES = 4096;
const MAX_ORDER_QUANTITY = 100;
const DEFAULT_POPULAR_LIMIT = 10;
const MAX_POPULAR_LIMIT = 100;
/** Retry-After of a write refused in read-only mode (an operator's switch: minutes, not a blip). */
const READ_ONLY_RETRY_AFTER_SECONDS = 30;

/** The sample API route, served without a database: `GET /api/items/:id` answers a made-up item. */
export function sampleRoute(): Route {
  return {
    method: 'GET', template: '/api/items/:id', pattern: /^\/api\/items\/([^/]+)$/, instrumented: true,
    handle: ({ res, params }) => {
      const id = decodeURIComponent(params[0]);
      if (!ITEM_ID.test(id)) {
        sendJson(res, 400, { error: 'id must be 1 to 64 letters, digits, _ or -' });
        return;
      }
      sendJson(res, 200, { id, name: `item ${id}` });
    },
  };
}

/**
 * The data path's API: `GET /items/:id` and `GET /items?popular` read through the tiered cache (`x-cache` says which
 * tier answered), `POST /orders` writes with an `Idempotency-Key`. A dependency that refuses work answers 503 + Retry-After.
 * The flags: the popular list's kill switch answers an empty list (`x-feature-disabled`) without touching the cache or
 * the database; read-only mode answers a valid write 503 + Retry-After.
 */
export function catalogRoutes(catalog: Catalog, flags: () => FlagState = () => FLAGS_OFF): Route[] {
  return [
    {
      method: 'GET', template: '/items/:id', pattern: /^\/items\/([^/]+)$/, instrumented: true,
      handle: async ({ res, params }) => {
        const id = decodeURIComponent(params[0]);
        if (!ITEM_ID.test(id)) {
          sendJson(res, 400, { error: 'id must be 1 to 64 letters, digits, _ or -' });
          return;
        }
        try {
          const { value, source } = await catalog.getItem(id);
          if (value === undefined) sendJson(res, 404, { error: `item ${id} not found` }, { 'x-cache': source });
          else sendJson(res, 200, value, { 'x-cache': source });
        } catch (e) {
          if (!sentUnavailable(res, e)) throw e;
        }
      },
    },
    {
      method: 'GET', template: '/items', pattern: /^\/items$/, instrumented: true,
      handle: async ({ res, query }) => {
        if (!query.has('popular')) {
          sendJson(res, 400, { error: 'list items with ?popular (and optionally &limit=1..100)' });
          return;
        }
        const limit = query.has('limit') ? Number(query.get('limit')) : DEFAULT_POPULAR_LIMIT;
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_POPULAR_LIMIT) {
          sendJson(res, 400, { error: `limit must be an integer between 1 and ${MAX_POPULAR_LIMIT}` });
          return;
        }
        if (flags().killed.has('popular')) {
          sendJson(res, 200, { items: [], disabled: killSwitchKey('popular') }, { 'x-feature-disabled': killSwitchKey('popular') });
          return;
        }
        try {
          const { value, source } = await catalog.popular(limit);
          sendJson(res, 200, { items: value }, { 'x-cache': source });
        } catch (e) {
          if (!sentUnavailable(res, e)) throw e;
        }
      },
    },
    {
      method: 'POST', template: '/orders', pattern: /^\/orders$/, instrumented: true,
      handle: async ({ req, res }) => {
        const key = firstHeader(req.headers['idempotency-key']);
        if (key === undefined || !IDEMPOTENCY_KEY.test(key)) {
          sendJson(res, 400, { error: 'an Idempotency-Key header of 1 to 128 letters, digits, ., _, : or - is required' });
          return;
        }
        let body: { itemId?: unknown; quantity?: unknown };
        try {
          body = JSON.parse(await readBody(req, MAX_ORDER_BODY_BYTES)) as typeof body;
        } catch (e) {
          sendJson(res, 400, { error: `invalid JSON body: ${(e as Error).message}` });
          return;
        }
        const { itemId, quantity } = body ?? {};
        if (typeof itemId !== 'string' || !ITEM_ID.test(itemId)) {
          sendJson(res, 400, { error: 'itemId must be 1 to 64 letters, digits, _ or -' });
          return;
        }
        if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_ORDER_QUANTITY) {
          sendJson(res, 400, { error: `quantity must be an integer between 1 and ${MAX_ORDER_QUANTITY}` });
          return;
        }
        if (flags().readOnly) {
          sendUnavailable(res, READ_ONLY_RETRY_AFTER_SECONDS, { error: 'read-only mode: writes are paused', reason: 'read-only' });
          return;
        }
        try {
          const outcome = await catalog.placeOrder(key, itemId, quantity);
          switch (outcome.kind) {
            case 'created': sendJson(res, 201, outcome.order); break;
            case 'replayed': sendJson(res, 200, outcome.order, { 'idempotent-replayed': 'true' }); break;
            case 'key_reused': sendJson(res, 422, { error: 'this Idempotency-Key was used for a different order', order: outcome.order }); break;
            case 'not_found': sendJson(res, 404, { error: `item ${itemId} not found` }); break;
            case 'out_of_stock': sendJson(res, 409, { error: `item ${itemId} has fewer than ${quantity} in stock` }); break;
          }
        } catch (e) {
          if (!sentUnavailable(res, e)) throw e;
        }
      },
    },
  ];
}
