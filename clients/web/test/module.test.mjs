// The module's error handling in Node (it needs only fetch) against a real
// `zego-token serve`: Retry-After, the one retry after a 401 with a credential
// function, final refusals, backoff on network errors, and stop().
//
//   ZT_BIN=target/debug/zego-token node --test clients/web/test/module.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startService } from '../../service.mjs';
import { fetchToken, ZegoTokenError, ZegoTokenKeeper } from '../zego-token-client.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = resolve(process.env.ZT_BIN ?? join(repoRoot, 'target', 'debug', 'zego-token'));

let svc;
let limited;

before(async () => {
  svc = await startService({ bin: BIN, keys: { backend: {}, lobby: { rooms: ['lobby-*'] } } });
  limited = await startService({ bin: BIN, rateLimit: { perSecond: 0.5, burst: 1 } });
});

after(async () => {
  await svc?.stop();
  await limited?.stop();
});

test('fetchToken: a token for the JWT user; refusals as ZegoTokenError with status and code', async () => {
  const answer = await fetchToken({ url: `${svc.url}/v1/token`, credential: svc.jwt({ sub: 'dana' }), request: { room_id: 'r1' } });
  assert.equal(answer.user_id, 'dana');
  assert.equal(svc.verify(answer.token, { userId: 'dana', roomId: 'r1' }).status, 0);

  const refused = await fetchToken({ url: `${svc.url}/v1/token`, credential: svc.keys.lobby, request: { user_id: 'u', room_id: 'vip' } }).catch((e) => e);
  assert.ok(refused instanceof ZegoTokenError);
  assert.equal(refused.status, 403);
  assert.equal(refused.code, 'room_not_allowed');
  assert.equal(refused.retryable, false);

  const invalid = await fetchToken({ url: `${svc.url}/v1/token`, credential: svc.keys.backend, request: { user_id: 'alice smith' } }).catch((e) => e);
  assert.equal(invalid.status, 422);
  assert.match(invalid.code, /user_id/);
  assert.equal(invalid.retryable, false);
});

test('keeper: 429 waits Retry-After, then succeeds', async () => {
  const url = `${limited.url}/v1/token`;
  const credential = limited.keys.backend;
  await fetchToken({ url, credential, request: { user_id: 'drain' } }); // empties the bucket
  const errors = [];
  const keeper = new ZegoTokenKeeper({ url, credential, request: { user_id: 'erin' }, onError: (e, info) => errors.push({ code: e.code, ...info }) });
  const started = Date.now();
  const answer = await keeper.fetch();
  keeper.stop();
  assert.equal(answer.user_id, 'erin');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0].code, 'rate_limited');
  assert.ok(errors[0].retryInMs >= 1000 && errors[0].retryInMs <= 2000, `Retry-After: ${errors[0].retryInMs} ms`);
  assert.ok(Date.now() - started >= errors[0].retryInMs, 'it waited');
});

test('keeper: a 401 asks the credential function once more (a fresh JWT), a second 401 is final', async () => {
  const jwts = [svc.jwt({ sub: 'fay' }, -120), svc.jwt({ sub: 'fay' })]; // expired, then fresh
  const errors = [];
  const keeper = new ZegoTokenKeeper({ url: `${svc.url}/v1/token`, credential: () => jwts.shift(), onError: (e, info) => errors.push({ status: e.status, ...info }) });
  assert.equal((await keeper.fetch()).user_id, 'fay');
  keeper.stop(); // cancels its renew_after timer
  assert.deepEqual(errors.map((e) => [e.status, e.retryInMs]), [[401, 0]]);

  const always = new ZegoTokenKeeper({ url: `${svc.url}/v1/token`, credential: () => 'not-a-jwt', onError: (e, info) => errors.push({ status: e.status, ...info }) });
  const err = await always.fetch().catch((e) => e);
  always.stop();
  assert.equal(err.status, 401);
  assert.deepEqual(errors.slice(1).map((e) => [e.status, e.retryInMs]), [[401, 0], [401, undefined]]);
});

test('keeper: network errors back off (doubling), stop() ends the retries', async () => {
  // A port with nothing listening: bind, note it, close.
  const port = await new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = s.address();
      s.close(() => ok(free));
    });
  });
  const errors = [];
  const keeper = new ZegoTokenKeeper({
    url: `http://127.0.0.1:${port}/v1/token`,
    credential: 'k',
    backoff: { initialMs: 100, maxMs: 400 },
    onError: (e, info) => errors.push({ code: e.code, ...info }),
  });
  const pending = keeper.fetch().catch((e) => e);
  while (errors.length < 4) await new Promise((ok) => setTimeout(ok, 20));
  keeper.stop();
  const err = await pending;
  assert.equal(err.code, 'stopped');
  assert.ok(errors.every((e) => e.code === 'network'));
  const waits = errors.slice(0, 4).map((e) => e.retryInMs);
  // 100, 200, 400, 400 ms plus up to 50 % jitter.
  for (const [i, base] of [100, 200, 400, 400].entries()) assert.ok(waits[i] >= base && waits[i] < base * 1.5, `wait ${i}: ${waits[i]}`);
});
