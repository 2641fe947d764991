// Ask a zego-token service for a ZEGO token04, as an app's backend does before handing
// the token to its client. Node 18+ only (global fetch), no packages.
//
//   TOKEN_SERVICE_URL=http://127.0.0.1:8080 TOKEN_SERVICE_API_KEY=... node token-client.mjs USER_ID [ROOM_ID]
//
// Prints the service's JSON answer on stdout. 429 is retried after Retry-After, 408,
// 5xx and network errors after a short backoff (3 attempts in all); any other refusal
// is final: exit 1 with the service's status, code and message on stderr.

import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

/** A refusal of the service. */
export class ServiceError extends Error {
  constructor(status, code, message, retryAfterSeconds) {
    super(`token service refused: ${status} ${code}: ${message}`);
    this.name = 'ServiceError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get retryable() {
    return RETRYABLE.has(this.status);
  }
}

async function once(baseUrl, apiKey, body) {
  const resp = await fetch(new URL('/v1/token', baseUrl), {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const answer = await resp.json().catch(() => null);
  if (resp.ok && typeof answer?.token === 'string') return answer;
  const retry = resp.headers.get('retry-after');
  throw new ServiceError(
    resp.status,
    answer?.error?.code ?? `http_${resp.status}`,
    answer?.error?.message ?? resp.statusText,
    retry && /^\d+$/.test(retry) ? Number(retry) : undefined,
  );
}

/**
 * POST /v1/token for `userId` (a privilege token when `roomId` is given).
 * @returns {Promise<{token: string, app_id: number, user_id: string, expire: number, expires_in: number, renew_after: number}>}
 */
export async function fetchToken(baseUrl, apiKey, userId, roomId, { attempts = 3, backoffMs = 1000, log } = {}) {
  const body = roomId === undefined ? { user_id: userId } : { user_id: userId, room_id: roomId };
  for (let attempt = 1; ; attempt++) {
    let waitMs = backoffMs;
    try {
      return await once(baseUrl, apiKey, body);
    } catch (err) {
      // fetch itself throws a TypeError for network failures, a DOMException on timeout.
      const retryable = err instanceof ServiceError ? err.retryable : err.name === 'TypeError' || err.name === 'TimeoutError';
      if (!retryable || attempt >= attempts) throw err;
      if (err instanceof ServiceError && err.retryAfterSeconds !== undefined) waitMs = err.retryAfterSeconds * 1000;
      log?.(`retrying in ${waitMs / 1000} s: ${err.message}`);
    }
    await sleep(waitMs);
    backoffMs *= 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [userId, roomId, extra] = process.argv.slice(2);
  const { TOKEN_SERVICE_URL: url, TOKEN_SERVICE_API_KEY: key } = process.env;
  if (!userId || extra !== undefined) {
    console.error('usage: token-client.mjs USER_ID [ROOM_ID]  (env: TOKEN_SERVICE_URL, TOKEN_SERVICE_API_KEY)');
    process.exit(2);
  }
  if (!url || !key) {
    console.error('token-client: set TOKEN_SERVICE_URL and TOKEN_SERVICE_API_KEY');
    process.exit(2);
  }
  try {
    const answer = await fetchToken(url, key, userId, roomId, { log: (m) => console.error(m) });
    console.log(JSON.stringify(answer));
  } catch (err) {
    console.error(`token-client: ${err.message}`);
    process.exit(1);
  }
}
