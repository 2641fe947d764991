'use strict';
// A worker for workers.test.js: builds its own ServerSecret from the string it is given,
// verifies the main thread's token, and mints tokens for the main thread to verify.

const { parentPort, workerData } = require('node:worker_threads');
const { ServerSecret, generate, verify, generateToken04 } = require('zego-token');

if (workerData.probe !== undefined) {
  // What a structured-cloned ServerSecret is on this side.
  const p = workerData.probe;
  let usable = true;
  let error = null;
  try {
    generate(p, { appId: 1, userId: 'u', ttl: 60 });
  } catch (e) {
    usable = false;
    error = e.constructor.name;
  }
  parentPort.postMessage({ probe: { keys: Object.keys(p), usable, error } });
} else {
  const { secret: text, appId, userId, count, check } = workerData;
  const secret = new ServerSecret(text);
  const checkedMain = verify(check, secret, { appId, leeway: 5 }).claims.userId;
  const tokens = [];
  for (let i = 0; i < count; i++) {
    tokens.push(
      i % 2
        ? generateToken04(appId, userId, text, 600)
        : generate(secret, { appId, userId, ttl: 600, room: { id: 'r' } }).token,
    );
  }
  parentPort.postMessage({ checkedMain, tokens });
}
