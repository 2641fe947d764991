'use strict';
// Worker threads and one secret. A ServerSecret lives in the thread (V8 isolate) that
// built it: structured cloning drops its private native handle, so posting one to a
// worker carries no key and gives no usable secret. Sharing a secret between workers
// means each worker builds its own ServerSecret from the same string (from workerData,
// as here, or from the environment); the tokens of all of them verify under each other.

const test = require('node:test');
const assert = require('node:assert/strict');
const { Worker } = require('node:worker_threads');
const path = require('node:path');
const { ServerSecret, generate, verify, generateToken04 } = require('zego-token');
const { APP_ID, SECRET } = require('./helpers');

const WORKER = path.join(__dirname, 'workers', 'mint.js');

function run(workerData) {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { workerData });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
  });
}

test('workers that build the same secret mint tokens the main thread verifies, and verify its tokens', async () => {
  const secret = new ServerSecret(SECRET);
  const fromMain = generate(secret, { appId: APP_ID, userId: 'main', ttl: 600 }).token;
  const N = 4;
  const PER = 250;
  const results = await Promise.all(
    Array.from({ length: N }, (_, i) => run({ secret: SECRET, appId: APP_ID, userId: `w${i}`, count: PER, check: fromMain })),
  );
  const ivs = new Set();
  for (const [i, r] of results.entries()) {
    assert.equal(r.checkedMain, 'main', 'the worker verified the main thread token');
    assert.equal(r.tokens.length, PER);
    for (const [j, token] of r.tokens.entries()) {
      const d = verify(token, secret, { appId: APP_ID, userId: `w${i}`, leeway: 5 });
      // Half the tokens came from the drop-in, half from the worker's ServerSecret.
      assert.equal(d.mode, 'gcm');
      assert.equal(d.claims.payload, j % 2 ? '' : '{"room_id":"r","privilege":{"1":1,"2":0},"stream_id_list":null}');
      ivs.add(d.ivHex);
    }
  }
  // The CSPRNG of each thread is seeded on its own: no IV repeats across threads.
  assert.equal(ivs.size, N * PER);
});

test('a ServerSecret posted to a worker arrives without its key', async () => {
  const r = await run({ probe: new ServerSecret(SECRET) });
  assert.deepEqual(r.probe, { keys: [], usable: false, error: 'TypeError' });
});

test('the drop-in works in workers with the secret string', async () => {
  const r = await run({ secret: SECRET, appId: APP_ID, userId: 'd', count: 2, check: generateToken04(APP_ID, 'main', SECRET, 60) });
  assert.equal(r.checkedMain, 'main');
});
