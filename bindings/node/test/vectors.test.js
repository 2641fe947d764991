'use strict';
// Every official vector (crates/zego-token/tests/vectors/token04.json), through the
// installed package: decode to every field, verify at its creation time, re-derive its
// exact bytes from its plaintext, and (for the Node generators, whose JSON the core
// writes byte for byte) re-derive it from its inputs.

const test = require('node:test');
const assert = require('node:assert/strict');
const { ServerSecret, decode, verify, inspect, dangerous, TokenError } = require('zego-token');
const { loadVectors } = require('./helpers');

const vectors = loadVectors();

// The SDK rules each case's claims break (zego_token::sdk), whichever generator made it.
const CASE_WARNINGS = {
  basic: [],
  rtc_room: [],
  rtc_streams: [],
  unicode_user: ['user_id_charset'], // non-ASCII: the SDKs refuse it (1002006)
  special_payload: ['payload_not_room'], // free text where RTC servers read a room document
  block_aligned: [],
  long_user: ['user_id_length'], // 64 bytes: the SDKs take fewer than 64
  large_effective: ['ttl_over_zim_limit', 'expire_past_2038'],
  huge_expire: ['ttl_over_zim_limit', 'expire_past_2038'],
  negative_nonce: [],
  app_id_max: [],
};

// Everything decode reports for a vector: the notes on its header (legacy CBC; a GCM
// nonce of letters and digits, as the Python and PHP generators write it), on ZEGO's
// public demo app, and the case's rules.
function expectedWarnings(v) {
  const header = [];
  if (v.mode === 'cbc') header.push('legacy_cbc');
  if (v.mode === 'gcm' && /^(?:3[0-9]|[46][1-9a-f]|[57][0-9a])+$/.test(v.iv_hex)) header.push('weak_nonce');
  return {
    header,
    all: [...header, ...(v.app_id === 1234567890 ? ['demo_app'] : []), ...CASE_WARNINGS[v.case]].sort(),
  };
}

test('the vector file holds the 71 official vectors', () => {
  assert.equal(vectors.length, 71);
});

for (const v of vectors) {
  const name = `${v.source}/${v.case}`;

  test(`${name}: decodes to every field`, () => {
    const secret = new ServerSecret(v.secret);
    const d = decode(v.token, secret);
    assert.deepEqual(d.claims, {
      appId: v.app_id,
      userId: v.user_id,
      nonce: v.nonce,
      ctime: v.ctime,
      expire: v.expire,
      payload: v.payload,
    });
    assert.equal(d.mode, v.mode);
    assert.equal(d.ivHex, v.iv_hex);
    assert.equal(d.headerExpire, v.expire);
    assert.deepEqual(d.warnings.map((w) => w.rule).sort(), expectedWarnings(v).all);
    assert.equal(v.expire, v.ctime + v.effective_time_in_seconds);
    // The plaintext the generator encrypted says the same (any member order, escaping).
    const pt = JSON.parse(v.plaintext);
    assert.equal(pt.user_id, d.claims.userId);
    assert.equal(pt.payload ?? '', d.claims.payload);
    if (v.payload === '') {
      assert.equal(d.room, null);
    } else {
      // Privilege payloads: the room as the payload's JSON states it.
      let p = null;
      try {
        p = JSON.parse(v.payload);
      } catch {
        // special_payload: free text, not a room document.
      }
      if (p === null) {
        assert.equal(d.room, null);
      } else {
        assert.equal(d.room.id, p.room_id);
        assert.equal(d.room.login, p.privilege['1'] === 1);
        assert.equal(d.room.publish, p.privilege['2'] === 1);
        assert.deepEqual(d.room.streamIds, p.stream_id_list);
      }
    }
  });

  test(`${name}: the header reads without the secret`, () => {
    const h = inspect(v.token);
    assert.equal(h.version, '04');
    assert.equal(h.mode, v.mode);
    assert.equal(h.untrustedExpire, v.expire);
    assert.equal(h.ivHex, v.iv_hex);
    assert.equal(h.hasModeByte, v.mode === 'gcm');
    assert.equal(h.kit, null);
    assert.deepEqual(h.warnings.map((w) => w.rule), expectedWarnings(v).header);
    const tagLen = v.mode === 'gcm' ? 16 : 0;
    const ptLen = Buffer.byteLength(v.plaintext, 'utf8');
    const ctLen = v.mode === 'gcm' ? ptLen + tagLen : (Math.floor(ptLen / 16) + 1) * 16;
    assert.equal(h.ciphertextLength, ctLen);
  });

  test(`${name}: verifies at its creation time, and is refused once expired`, () => {
    const secret = new ServerSecret(v.secret);
    const ok = verify(v.token, secret, { appId: v.app_id, userId: v.user_id, now: v.ctime });
    assert.equal(ok.claims.nonce, v.nonce);
    // The default leeway (5 s) still takes it at its expiry; none does not.
    assert.equal(verify(v.token, secret, { appId: v.app_id, now: v.expire }).claims.expire, v.expire);
    assert.throws(
      () => verify(v.token, secret, { appId: v.app_id, now: v.expire, leeway: 0 }),
      (e) => e instanceof TokenError && e.kind === 'expired' && e.zegoCode === 1002078 && e.zimCode === 6000106,
    );
  });

  test(`${name}: its exact bytes re-derive from its plaintext and IV`, () => {
    const secret = new ServerSecret(v.secret);
    const token = dangerous.sealPlaintext(secret, {
      mode: v.mode,
      expire: v.expire,
      ivHex: v.iv_hex,
      plaintext: v.plaintext,
    });
    assert.equal(token, v.token);
  });

  if (v.source.startsWith('node-')) {
    test(`${name}: the core mints the same bytes from the generator's inputs`, () => {
      const secret = new ServerSecret(v.secret);
      const inputs = {
        appId: v.app_id,
        userId: v.user_id,
        ttl: v.effective_time_in_seconds,
        payload: v.payload,
        mode: v.mode,
        ctime: v.ctime,
        nonce: v.nonce,
        ivHex: v.iv_hex,
      };
      if (Buffer.byteLength(v.user_id, 'utf8') >= 64) {
        // The official Node generators take a 64-character user ID; ZEGO's SDKs refuse
        // 64 bytes and more, so the core does too, with the official code.
        assert.throws(
          () => dangerous.generateWithIv(secret, inputs),
          (e) => e.kind === 'invalid_input' && e.field === 'user_id' && e.officialCode === 3,
        );
        return;
      }
      const g = dangerous.generateWithIv(secret, inputs);
      assert.deepEqual(g, { token: v.token, mode: v.mode, ctime: v.ctime, expire: v.expire, nonce: v.nonce });
    });
  }
}
