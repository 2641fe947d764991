// The ESM entry point: the same API as require('zego-token'), the same objects.

import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import zt, { generateToken04, ServerSecret, TokenError, generate, decode, verify, inspect, kitToken, parseKitToken, ErrorCode, dangerous } from 'zego-token';

const require = createRequire(import.meta.url);

test('named and default ESM exports are the CommonJS ones', () => {
  const cjs = require('zego-token');
  assert.equal(zt, cjs);
  assert.deepEqual(Object.keys(zt).sort(), Object.keys(cjs).sort());
  for (const [name, value] of Object.entries({ generateToken04, ServerSecret, TokenError, generate, decode, verify, inspect, kitToken, parseKitToken, ErrorCode, dangerous })) {
    assert.equal(value, cjs[name], name);
  }
});

test('an ESM round trip', () => {
  const secret = new ServerSecret('fa94dd0f974cf2e293728a526b028271');
  const token = generateToken04(1234567890, 'esm', 'fa94dd0f974cf2e293728a526b028271', 60);
  assert.equal(verify(token, secret, { appId: 1234567890, userId: 'esm' }).claims.userId, 'esm');
  assert.throws(() => verify(token, secret, { appId: 1 }), TokenError);
});
