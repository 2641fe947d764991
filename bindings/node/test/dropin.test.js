'use strict';
// The drop-in: ZEGO's generateToken04, its samples run unchanged, its error shape and
// codes, and no console output (the official generator logs every plaintext).

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { generateToken04, ErrorCode, ServerSecret, verify, decode } = require('zego-token');
const { APP_ID, SECRET } = require('./helpers');

// Runs an official-style sample in its own process: what it prints is all there is.
function runSample(file) {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'samples', file)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const m = /^token: (04\S+)\n$/.exec(out);
  assert.ok(m, `the sample prints exactly one line "token: 04…", and the library nothing: ${JSON.stringify(out)}`);
  return m[1];
}

test('sample-base.js runs unchanged and mints a basic token the core verifies', () => {
  const before = Math.floor(Date.now() / 1000);
  const token = runSample('sample-base.js');
  const d = verify(token, new ServerSecret(SECRET), { appId: APP_ID, userId: 'user1', leeway: 5 });
  assert.equal(d.mode, 'gcm');
  assert.equal(d.claims.payload, '');
  assert.equal(d.room, null);
  assert.ok(d.claims.ctime >= before && d.claims.ctime <= before + 60);
  assert.equal(d.claims.expire - d.claims.ctime, 3600);
});

test('sample-rtc-room.js runs unchanged and mints a room token the core verifies', () => {
  const token = runSample('sample-rtc-room.js');
  const secret = new ServerSecret(SECRET);
  const d = verify(token, secret, { appId: APP_ID, userId: 'user1', roomId: 'room1', leeway: 5 });
  assert.deepEqual(d.room, { id: 'room1', login: true, publish: false, streamIds: null });
  assert.equal(
    d.claims.payload,
    JSON.stringify({ room_id: 'room1', privilege: { 1: 1, 2: 0 }, stream_id_list: null }),
  );
  assert.throws(
    () => verify(token, secret, { appId: APP_ID, roomId: 'room1', requirePublish: true }),
    (e) => e.kind === 'privilege_missing' && e.zegoCode === 1003072,
  );
});

test('payload is optional, as in the official signature', () => {
  const token = generateToken04(APP_ID, 'demo', SECRET, 60);
  assert.equal(decode(token, new ServerSecret(SECRET)).claims.payload, '');
  const withNull = generateToken04(APP_ID, 'demo', SECRET, 60, null);
  assert.equal(decode(withNull, new ServerSecret(SECRET)).claims.payload, '');
});

test('ErrorCode is the official enum', () => {
  assert.deepEqual(ErrorCode, {
    success: 0,
    appIDInvalid: 1,
    userIDInvalid: 3,
    secretInvalid: 5,
    effectiveTimeInSecondsInvalid: 6,
  });
  assert.ok(Object.isFrozen(ErrorCode));
});

// Each refusal: the official code, a plain { errorCode, errorMessage } object whose
// message starts with the official text and then says what is wrong.
const refusals = [
  ['app id 0', [0, 'u', SECRET, 60], 1, /^appID invalid: app_id is 0/],
  ['app id as a string', ['1234567890', 'u', SECRET, 60], 1, /^appID invalid: appId must be an integer .* got a string$/],
  ['app id above u32', [2 ** 32, 'u', SECRET, 60], 1, /^appID invalid: /],
  ['negative app id', [-1, 'u', SECRET, 60], 1, /^appID invalid: /],
  ['fractional app id', [1.5, 'u', SECRET, 60], 1, /^appID invalid: .*got the number 1.5$/],
  ['empty user id', [APP_ID, '', SECRET, 60], 3, /^userId invalid: user_id is empty$/],
  ['user id not a string', [APP_ID, 42, SECRET, 60], 3, /^userId invalid: userId must be a string, got the number 42$/],
  ['user id of 64 bytes', [APP_ID, 'x'.repeat(64), SECRET, 60], 3, /64 bytes long/],
  ['user id with a lone surrogate', [APP_ID, 'a\ud800b', SECRET, 60], 3, /unpaired UTF-16 surrogate/],
  ['short secret', [APP_ID, 'u', 'tooshort', 60], 5, /^secret must be a 32 byte string: the ServerSecret is 8 bytes long/],
  ['secret of 32 non-ASCII characters', [APP_ID, 'u', 'é'.repeat(32), 60], 5, /64 bytes long/],
  ['secret not a string', [APP_ID, 'u', Buffer.from(SECRET), 60], 5, /got an object \(Buffer\)/],
  ['zero lifetime', [APP_ID, 'u', SECRET, 0], 6, /^effectiveTimeInSeconds invalid: the lifetime is 0 s/],
  ['negative lifetime', [APP_ID, 'u', SECRET, -5], 6, /the lifetime is -5 s/],
  ['fractional lifetime', [APP_ID, 'u', SECRET, 1.5], 6, /whole number of seconds, got the number 1.5/],
  ['lifetime as a string', [APP_ID, 'u', SECRET, '3600'], 6, /got a string/],
  ['payload object not stringified', [APP_ID, 'u', SECRET, 60, { room_id: 'r' }], null, /^payload invalid: payload must be a string/],
  ['payload too large for the length field', [APP_ID, 'u', SECRET, 60, 'p'.repeat(70000)], null, /16-bit length field/],
];

for (const [what, args, code, message] of refusals) {
  test(`refuses ${what} with code ${code}`, () => {
    let thrown;
    try {
      generateToken04(...args);
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown, 'it throws');
    assert.deepEqual(Object.keys(thrown), ['errorCode', 'errorMessage']);
    assert.equal(Object.getPrototypeOf(thrown), Object.prototype);
    assert.equal(thrown.errorCode, code);
    assert.match(thrown.errorMessage, message);
    assert.ok(!thrown.errorMessage.includes(SECRET));
  });
}

test('the checks run in the official order: appID, userID, secret, time', () => {
  const code = (...args) => {
    try {
      generateToken04(...args);
    } catch (e) {
      return e.errorCode;
    }
    return 'none';
  };
  assert.equal(code(0, '', 'short', 0), 1);
  assert.equal(code(APP_ID, '', 'short', 0), 3);
  assert.equal(code(APP_ID, 'u', 'short', 0), 5);
  assert.equal(code(APP_ID, 'u', SECRET, 0), 6);
});

test('tokens are GCM, and every token gets a fresh nonce and IV', () => {
  const secret = new ServerSecret(SECRET);
  const seen = new Set();
  for (let i = 0; i < 200; i++) {
    const d = decode(generateToken04(APP_ID, 'u', SECRET, 60), secret);
    assert.equal(d.mode, 'gcm');
    assert.equal(d.ivHex.length, 24);
    seen.add(d.ivHex);
  }
  assert.equal(seen.size, 200);
});
