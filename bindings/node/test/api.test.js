'use strict';
// The idiomatic API: round trips, verify's refusals with their codes, input errors,
// kit tokens, and the secret kept out of every error and inspection.

const test = require('node:test');
const assert = require('node:assert/strict');
const util = require('node:util');
const zt = require('zego-token');
const { ServerSecret, TokenError, generate, decode, verify, inspect, kitToken, parseKitToken } = zt;
const { APP_ID, SECRET } = require('./helpers');

const secret = new ServerSecret(SECRET);
const NOW = 1_750_000_000;

function rejects(fn, want) {
  let thrown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown instanceof TokenError, `a TokenError, got ${thrown}`);
  assert.ok(thrown instanceof Error);
  assert.equal(thrown.name, 'TokenError');
  for (const [k, v] of Object.entries(want)) {
    if (v instanceof RegExp) assert.match(thrown[k], v, k);
    else assert.equal(thrown[k], v, k);
  }
  assert.equal(typeof thrown.advice, 'string');
  assert.ok(thrown.advice.length > 10);
  return thrown;
}

test('basic token: generate, decode and verify round trip', () => {
  const g = generate(secret, { appId: APP_ID, userId: 'user-42', ttl: 3600, now: NOW });
  assert.equal(g.mode, 'gcm');
  assert.equal(g.ctime, NOW);
  assert.equal(g.expire, NOW + 3600);
  assert.ok(Number.isInteger(g.nonce) && g.nonce >= -(2 ** 31) && g.nonce < 2 ** 31);
  const d = decode(g.token, secret);
  assert.deepEqual(d.claims, { appId: APP_ID, userId: 'user-42', nonce: g.nonce, ctime: NOW, expire: NOW + 3600, payload: '' });
  assert.equal(d.room, null);
  assert.equal(d.headerExpire, NOW + 3600);
  const v = verify(g.token, secret, { appId: APP_ID, userId: 'user-42', now: NOW + 10 });
  assert.deepEqual(v, d);
});

test('privilege token: the room builder round trips through the payload', () => {
  const g = generate(secret, {
    appId: APP_ID,
    userId: 'u1',
    ttl: 600,
    now: NOW,
    room: { id: 'room-1', publish: true, streamIds: ['s1', 's-2'] },
  });
  const d = verify(g.token, secret, { appId: APP_ID, userId: 'u1', roomId: 'room-1', streamId: 's-2', now: NOW });
  assert.deepEqual(d.room, { id: 'room-1', login: true, publish: true, streamIds: ['s1', 's-2'] });
  assert.equal(d.claims.payload, '{"room_id":"room-1","privilege":{"1":1,"2":1},"stream_id_list":["s1","s-2"]}');
  const def = decode(generate(secret, { appId: APP_ID, userId: 'u1', ttl: 60, room: { id: 'r' } }).token, secret);
  assert.deepEqual(def.room, { id: 'r', login: true, publish: false, streamIds: null });
});

test('raw payloads, unicode and NUL pass through unchanged', () => {
  for (const [userId, payload] of [
    ['用户_中文', ''],
    ['u', 'q"uote \\ / <b>&amp; é 中文 € \u2028 😀 \n\t \u0001 \u007f end'],
    ['nul\u0000inside', '\u0000'],
  ]) {
    const g = generate(secret, { appId: APP_ID, userId, ttl: 60, payload });
    const d = decode(g.token, secret);
    assert.equal(d.claims.userId, userId);
    assert.equal(d.claims.payload, payload);
  }
});

test('CBC on request', () => {
  const g = generate(secret, { appId: APP_ID, userId: 'u', ttl: 60, mode: 'cbc', now: NOW });
  assert.equal(g.mode, 'cbc');
  const h = inspect(g.token);
  assert.equal(h.mode, 'cbc');
  assert.equal(h.ivHex.length, 32);
  assert.equal(h.hasModeByte, false);
  assert.equal(decode(g.token, secret).claims.userId, 'u');
});

test('generate and decode report the SDK rules a token breaks', () => {
  assert.deepEqual(generate(secret, { appId: APP_ID, userId: 'user-42', ttl: 3600 }).warnings, []);
  const g = generate(secret, { appId: APP_ID, userId: 'user 42', ttl: 30, now: NOW, room: { id: 'room#1' } });
  const rules = g.warnings.map((w) => w.rule);
  assert.deepEqual(rules, ['user_id_charset', 'ttl_too_short']);
  const charset = g.warnings[0];
  assert.equal(charset.product, 'rtc');
  assert.equal(charset.code, 1002006);
  assert.equal(charset.blocking, true);
  assert.match(charset.message, /U\+0020/);
  assert.equal(g.warnings[1].code, 6000108);
  // The token is still made (the generators mint what fits the format), and decoding it
  // reports the same rules, and that the app is ZEGO's public demo app.
  const [demo, ...rest] = decode(g.token, secret).warnings;
  assert.deepEqual([demo.rule, demo.product, demo.code, demo.blocking], ['demo_app', 'token', null, false]);
  assert.deepEqual(rest, g.warnings);
  const other = generate(secret, { appId: 7, userId: 'u', ttl: 3600 });
  assert.deepEqual(other.warnings, []);
  assert.deepEqual(verify(other.token, secret, { appId: 7 }).warnings, []);
  assert.deepEqual(inspect(other.token).warnings, []);
  const cbc = generate(secret, { appId: 7, userId: 'u', ttl: 3600, mode: 'cbc' });
  assert.deepEqual(inspect(cbc.token).warnings.map((w) => w.rule), ['legacy_cbc']);
  const w = generate(secret, { appId: APP_ID, userId: 'u', ttl: 3600, room: { id: 'room 1' } }).warnings;
  assert.deepEqual(w.map((x) => [x.rule, x.code]), [['room_id_charset', 1002012]]);
});

test('pasted tokens: quotes, whitespace and line wraps are harmless', () => {
  const g = generate(secret, { appId: APP_ID, userId: 'u', ttl: 60, now: NOW });
  const wrapped = `"${g.token.slice(0, 40)}\r\n${g.token.slice(40)}"\n`;
  assert.equal(verify(wrapped, secret, { appId: APP_ID, now: NOW }).claims.userId, 'u');
  rejects(() => verify(g.token.replace('+', ' '), secret, { appId: APP_ID, now: NOW }), { kind: 'malformed' });
});

test('inspect reads the header without the secret', () => {
  const g = generate(secret, { appId: APP_ID, userId: 'u', ttl: 60, now: NOW });
  const h = inspect(g.token);
  assert.deepEqual(Object.keys(h).sort(), ['ciphertextLength', 'hasModeByte', 'ivHex', 'kit', 'mode', 'untrustedExpire', 'version', 'warnings']);
  assert.equal(h.kit, null);
  assert.equal(h.version, '04');
  assert.equal(h.untrustedExpire, NOW + 60);
  assert.equal(h.hasModeByte, true);
  assert.equal(h.ivHex, decode(g.token, secret).ivHex);
});

// verify's refusals, each with the codes ZEGO's SDKs report.
test('verify refuses with the reason and ZEGO codes', async (t) => {
  const basic = generate(secret, { appId: APP_ID, userId: 'u1', ttl: 100, now: NOW }).token;
  const room = generate(secret, { appId: APP_ID, userId: 'u1', ttl: 100, now: NOW, room: { id: 'r1', streamIds: ['s1'] } }).token;
  const pub = generate(secret, { appId: APP_ID, userId: 'u1', ttl: 100, now: NOW, room: { id: 'r1', publish: true, streamIds: ['s1'] } }).token;
  const noLogin = generate(secret, { appId: APP_ID, userId: 'u1', ttl: 100, now: NOW, room: { id: 'r1', login: false } }).token;
  const other = new ServerSecret('0123456789abcdef0123456789abcdef');
  const cases = [
    ['another app', () => verify(basic, secret, { appId: 1, now: NOW }), { kind: 'app_id_mismatch', zegoCode: 1002076, zimCode: 6000103 }],
    ['another user', () => verify(basic, secret, { appId: APP_ID, userId: 'u2', now: NOW }), { kind: 'user_id_mismatch', zegoCode: 1002077, zimCode: 6000103 }],
    ['expired', () => verify(basic, secret, { appId: APP_ID, now: NOW + 100, leeway: 0 }), { kind: 'expired', zegoCode: 1002078, zimCode: 6000106, message: /expired at 1750000100/ }],
    ['from the future', () => verify(basic, secret, { appId: APP_ID, now: NOW - 10, leeway: 0 }), { kind: 'not_yet_valid', zegoCode: null, zimCode: null }],
    ['wrong secret', () => verify(basic, other, { appId: APP_ID, now: NOW }), { kind: 'decrypt', zegoCode: 1002033, zimCode: 6000103 }],
    ['basic token for a room', () => verify(basic, secret, { appId: APP_ID, roomId: 'r1', now: NOW }), { kind: 'room_mismatch', zegoCode: 1002033 }],
    ['another room', () => verify(room, secret, { appId: APP_ID, roomId: 'r2', now: NOW }), { kind: 'room_mismatch', zegoCode: 1002033 }],
    ['no login', () => verify(noLogin, secret, { appId: APP_ID, roomId: 'r1', now: NOW }), { kind: 'privilege_missing', zegoCode: 1002033 }],
    ['no publish', () => verify(room, secret, { appId: APP_ID, requirePublish: true, now: NOW }), { kind: 'privilege_missing', zegoCode: 1003072, zimCode: null }],
    ['stream not listed', () => verify(pub, secret, { appId: APP_ID, streamId: 's2', now: NOW }), { kind: 'stream_not_allowed', zegoCode: 1003072 }],
    ['version 03', () => verify('03AAAA', secret, { appId: APP_ID }), { kind: 'wrong_version', zegoCode: 1002079, zimCode: 6000107 }],
    ['not base64', () => verify('04!!!!', secret, { appId: APP_ID }), { kind: 'malformed', zegoCode: 1002075 }],
    ['empty', () => verify('', secret, { appId: APP_ID }), { kind: 'malformed', zegoCode: 1002075 }],
  ];
  for (const [what, fn, want] of cases) {
    await t.test(what, () => rejects(fn, want));
  }
  // Leeway lets a just-expired token through: 5 s by default, or as configured.
  assert.equal(verify(basic, secret, { appId: APP_ID, now: NOW + 104 }).claims.userId, 'u1');
  rejects(() => verify(basic, secret, { appId: APP_ID, now: NOW + 105 }), { kind: 'expired' });
  assert.equal(verify(basic, secret, { appId: APP_ID, now: NOW + 110, leeway: 20 }).claims.userId, 'u1');
  // An empty expectation is a usage error, not a match.
  rejects(() => verify(basic, secret, { appId: APP_ID, userId: '', now: NOW }), { kind: 'invalid_input', field: 'user_id' });
});

test('a changed byte is refused, never accepted', () => {
  const g = generate(secret, { appId: APP_ID, userId: 'u', ttl: 60, now: NOW });
  const body = Buffer.from(g.token.slice(2), 'base64');
  for (let i = 0; i < body.length; i++) {
    const b = Buffer.from(body);
    b[i] ^= 0x01;
    const t = '04' + b.toString('base64');
    assert.throws(() => verify(t, secret, { appId: APP_ID, now: NOW }), TokenError, `byte ${i}`);
  }
});

test('generate names the input at fault, with the official code', () => {
  const base = { appId: APP_ID, userId: 'u', ttl: 60 };
  rejects(() => generate(secret, { ...base, appId: 0 }), { kind: 'invalid_input', field: 'app_id', officialCode: 1 });
  rejects(() => generate(secret, { ...base, appId: '1' }), { field: 'app_id', officialCode: 1, message: /got a string/ });
  rejects(() => generate(secret, { ...base, userId: '' }), { field: 'user_id', officialCode: 3 });
  rejects(() => generate(secret, { ...base, userId: 'x'.repeat(64) }), { field: 'user_id', officialCode: 3, message: /64 bytes/ });
  rejects(() => generate(secret, { ...base, ttl: 0 }), { field: 'effective_time_in_seconds', officialCode: 6 });
  rejects(() => generate(secret, { ...base, ttl: -1 }), { field: 'effective_time_in_seconds', officialCode: 6, message: /-1 s/ });
  rejects(() => generate(secret, { ...base, ttl: 2.5 }), { field: 'effective_time_in_seconds', officialCode: 6 });
  rejects(() => generate(secret, { ...base, ttl: Number.MAX_SAFE_INTEGER }), { field: 'effective_time_in_seconds', officialCode: 6 });
  rejects(() => generate(secret, { ...base, mode: 'ecb' }), { field: 'mode', message: /'gcm'.*'cbc'.*"ecb"/ });
  rejects(() => generate(secret, { ...base, room: { id: '' } }), { field: 'room_id', officialCode: null });
  rejects(() => generate(secret, { ...base, room: { id: 'r'.repeat(128) } }), { field: 'room_id', message: /128 bytes/ });
  rejects(() => generate(secret, { ...base, room: { id: 'r', streamIds: ['ok', 'b/d'] } }), { field: 'stream_id', message: /stream ID #2/ });
  rejects(() => generate(secret, { ...base, room: { id: 'r', streamIds: 's1' } }), { field: 'stream_id', message: /array of strings/ });
  rejects(() => generate(secret, { ...base, room: { id: 'r', publish: 1 } }), { message: /room.publish must be true or false/ });
  rejects(() => generate(secret, { ...base, payload: 'p'.repeat(70000) }), { field: 'payload', message: /16-bit length field/ });
  assert.throws(() => generate(secret, { ...base, room: { id: 'r' }, payload: '' }), TypeError);
  assert.throws(() => generate(SECRET, base), /secret must be a ServerSecret/);
  assert.throws(() => generate({}, base), TypeError);
  assert.throws(() => generate(secret), /options object/);
});

test('kit tokens carry the token and the user, encoded as the kits expect', () => {
  const token = generate(secret, { appId: APP_ID, userId: 'u1', ttl: 60, room: { id: 'room1' } }).token;
  const kit = kitToken({ token, appId: APP_ID, userId: 'u1', roomId: 'room1', userName: 'Zoë D' });
  assert.ok(kit.startsWith(token + '#'));
  const parsed = parseKitToken(kit);
  assert.equal(parsed.token, token);
  assert.deepEqual(parsed.info, {
    appId: APP_ID,
    userId: 'u1',
    roomId: 'room1',
    userName: 'Zoë D',
    json: '{"userID":"u1","roomID":"room1","userName":"Zo%C3%AB%20D","appID":1234567890}',
  });
  assert.deepEqual(parseKitToken(token), { token, info: null });
  rejects(() => parseKitToken(token + '#bm90IGpzb24='), { kind: 'malformed', message: /kit token/ });
  // inspect reads a kit token's info, and notes where it disagrees with nothing here.
  const hk = inspect(kit);
  assert.equal(hk.untrustedExpire, inspect(token).untrustedExpire);
  assert.deepEqual(hk.kit, parsed.info);
  // A kit token where a token04 is expected is named as such.
  rejects(() => decode(kit, secret), { kind: 'malformed', message: /kit token/ });
  // IDs the kits cannot carry are refused.
  rejects(() => kitToken({ token, appId: APP_ID, userId: 'Zoë', roomId: 'room1', userName: 'x' }), {
    kind: 'invalid_input',
    field: 'user_id',
  });
  rejects(() => kitToken({ token, appId: APP_ID, userId: 'u1', roomId: 'room 1', userName: 'x' }), {
    kind: 'invalid_input',
    field: 'room_id',
  });
});

test('ServerSecret: validated, compared in constant time, built from bytes too', () => {
  rejects(() => new ServerSecret('short'), { kind: 'invalid_input', field: 'secret', officialCode: 5, message: /5 bytes long/ });
  rejects(() => new ServerSecret('x'.repeat(31) + '\ud800'), { field: 'secret', officialCode: 5, message: /surrogate/ });
  assert.throws(() => new ServerSecret(42), TypeError);
  const fromBytes = new ServerSecret(Buffer.from(SECRET, 'latin1'));
  assert.ok(fromBytes.equals(secret));
  assert.ok(!secret.equals(new ServerSecret('0123456789abcdef0123456789abcdef')));
  rejects(() => new ServerSecret(Buffer.from(SECRET + '\n')), { field: 'secret', message: /33 bytes/ });
  // Tokens made with a secret built from bytes decode with one built from the string.
  const g = generate(fromBytes, { appId: APP_ID, userId: 'u', ttl: 60 });
  assert.equal(decode(g.token, secret).claims.userId, 'u');
});

test('the secret never shows: inspect, toString, JSON, errors', () => {
  const shown = [
    util.inspect(secret),
    util.inspect(secret, { showHidden: true, depth: 10 }),
    util.inspect({ nested: { secret } }, { depth: 10 }),
    String(secret),
    `${secret}`,
    JSON.stringify(secret),
    JSON.stringify({ secret }),
    Object.prototype.toString.call(secret),
    util.format('%o %O %j %s', secret, secret, secret, secret),
    // Even without the custom inspector, nothing readable is there.
    util.inspect(secret, { customInspect: false, showHidden: true, depth: 10 }),
  ];
  for (const s of shown) {
    assert.ok(!s.includes(SECRET), s);
    assert.ok(!s.includes(SECRET.slice(0, 8)), s);
  }
  assert.equal(util.inspect(secret), 'ServerSecret(<redacted>)');
  assert.equal(JSON.stringify({ secret }), '{"secret":"ServerSecret(<redacted>)"}');
  assert.deepEqual(Object.keys(secret), []);
  assert.deepEqual(Reflect.ownKeys(secret), []);

  // Every error that saw the secret, in every form it can be shown.
  const errors = [];
  const collect = (fn) => {
    try {
      fn();
    } catch (e) {
      errors.push(e);
    }
  };
  const near = SECRET.slice(0, 31);
  collect(() => new ServerSecret(near));
  collect(() => new ServerSecret(SECRET + 'x'));
  collect(() => zt.generateToken04(APP_ID, 'u', near, 60));
  collect(() => zt.generateToken04(APP_ID, 'u', SECRET, 0));
  collect(() => zt.generateToken04(APP_ID, SECRET, SECRET + SECRET, 60));
  collect(() => verify(generate(secret, { appId: APP_ID, userId: 'u', ttl: 60 }).token, new ServerSecret(SECRET.split('').reverse().join('')), { appId: APP_ID }));
  collect(() => generate(secret, { appId: APP_ID, userId: 'u', ttl: 0 }));
  assert.equal(errors.length, 7);
  for (const e of errors) {
    for (const s of [String(e.errorMessage ?? e.message), util.inspect(e), JSON.stringify(e), e.stack ?? '']) {
      assert.ok(!s.includes(near), s);
      assert.ok(!s.includes(SECRET.split('').reverse().join('')), s);
    }
  }
});

test('a ServerSecret cannot be forged from a lookalike object', () => {
  const fake = Object.create(ServerSecret.prototype);
  assert.throws(() => generate(fake, { appId: APP_ID, userId: 'u', ttl: 60 }), TypeError);
  assert.throws(() => secret.equals(fake), TypeError);
});
