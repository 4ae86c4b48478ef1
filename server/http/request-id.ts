import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

// Honour a caller's X-Request-Id when it is a sane token (proxies set one), so a
// request can be followed across services; otherwise make one.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}
