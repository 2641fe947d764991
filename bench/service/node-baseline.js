// Minimal Node.js token server on the official token04 algorithm (AES-256-GCM), the
// baseline of the load benchmark. Written from shared/FORMAT.md: claims JSON, then
// "04" + base64(expire i64 BE | iv_len u16 | 12-byte nonce | ct_len u16 | ct+tag | 1).
// Same API shape as the Rust service: POST /v1/token, Bearer key, JSON body.
'use strict';
const http = require('node:http');
const crypto = require('node:crypto');

const APP_ID = Number(process.env.ZEGO_APP_ID || 1234567890);
const SECRET = Buffer.from(process.env.ZEGO_SERVER_SECRET || 'fa94dd0f974cf2e293728a526b028271', 'latin1');
const API_KEY = process.env.BENCH_API_KEY || 'bench-key';
const PORT = Number(process.env.PORT || 8091);

function token04(userId, ttl, payload) {
  const ctime = Math.floor(Date.now() / 1000);
  const expire = ctime + ttl;
  const claims = JSON.stringify({
    app_id: APP_ID, user_id: userId, nonce: crypto.randomInt(-2147483648, 2147483647),
    ctime, expire, payload,
  });
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', SECRET, nonce);
  const ct = Buffer.concat([cipher.update(claims, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  const head = Buffer.alloc(8 + 2);
  head.writeBigInt64BE(BigInt(expire), 0);
  head.writeUInt16BE(nonce.length, 8);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(ct.length, 0);
  const body = Buffer.concat([head, nonce, len, ct, Buffer.from([1])]);
  return { token: '04' + body.toString('base64'), ctime, expire };
}

function fail(res, status, code) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message: code } }));
}

http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/v1/token') return fail(res, 404, 'not_found');
  if (req.headers.authorization !== `Bearer ${API_KEY}`) return fail(res, 401, 'unauthorized');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let b;
    try { b = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { return fail(res, 400, 'invalid_json'); }
    if (typeof b.user_id !== 'string' || !b.user_id || Buffer.byteLength(b.user_id) >= 64) return fail(res, 422, 'invalid_user_id');
    const ttl = b.ttl_seconds ?? 3600;
    const t = token04(b.user_id, ttl, '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      token: t.token, app_id: APP_ID, user_id: b.user_id, expire: t.expire,
      expires_in: ttl, renew_after: t.expire - 60,
    }));
  });
}).listen(PORT, '127.0.0.1');
