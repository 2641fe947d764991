// Tokens per second of zego-token's drop-in generateToken04, of its reusable-secret
// generate(), and of a plain-Node implementation of the official GCM algorithm
// (node:crypto, JSON.stringify per call, as zegoServerAssistant.ts does it, without its
// two console.log calls), in the same run, interleaved round by round so that machine
// noise hits all three alike. Prints each one's median and the ratios to the baseline.
//
//   node bench.mjs            # 7 rounds of ~1 s per implementation
//   node bench.mjs --quick    # 5 rounds of ~0.2 s (CI)

import { createCipheriv, randomBytes } from 'node:crypto';
import { ServerSecret, generate, generateToken04, verify } from 'zego-token';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 5 : 7;
const ROUND_MS = quick ? 200 : 1000;

const APP_ID = 1234567890;
const USER_ID = 'user1';
const SECRET = 'fa94dd0f974cf2e293728a526b028271';
const TTL = 3600;

// The official algorithm, written plainly: the official checks, a Math.random() claims
// nonce, a 12-byte random GCM nonce, JSON per call, big-endian packing, base64.
function officialGcm(appId, userId, secret, effectiveTimeInSeconds, payload) {
  if (!appId || typeof appId !== 'number') throw { errorCode: 1, errorMessage: 'appID invalid' };
  if (!userId || typeof userId !== 'string' || userId.length > 64) throw { errorCode: 3, errorMessage: 'userId invalid' };
  if (!secret || typeof secret !== 'string' || secret.length !== 32) {
    throw { errorCode: 5, errorMessage: 'secret must be a 32 byte string' };
  }
  if (!(effectiveTimeInSeconds > 0)) throw { errorCode: 6, errorMessage: 'effectiveTimeInSeconds invalid' };
  const ctime = Math.floor(Date.now() / 1000);
  const claims = {
    app_id: appId,
    user_id: userId,
    nonce: Math.floor(Math.random() * 0x100000000) - 0x80000000,
    ctime,
    expire: ctime + effectiveTimeInSeconds,
    payload: payload || '',
  };
  const plaintext = JSON.stringify(claims);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, nonce);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  const body = Buffer.alloc(8 + 2 + nonce.length + 2 + ct.length + 1);
  body.writeBigInt64BE(BigInt(claims.expire), 0);
  body.writeUInt16BE(nonce.length, 8);
  nonce.copy(body, 10);
  body.writeUInt16BE(ct.length, 10 + nonce.length);
  ct.copy(body, 12 + nonce.length);
  body[body.length - 1] = 1;
  return '04' + body.toString('base64');
}

const secret = new ServerSecret(SECRET);
const impls = {
  'plain node:crypto (official algorithm)': () => officialGcm(APP_ID, USER_ID, SECRET, TTL, ''),
  'zego-token generateToken04 (drop-in)': () => generateToken04(APP_ID, USER_ID, SECRET, TTL, ''),
  'zego-token generate (reusable ServerSecret)': () => generate(secret, { appId: APP_ID, userId: USER_ID, ttl: TTL }).token,
};

// Every implementation must make tokens the core accepts, or its speed means nothing.
for (const [name, fn] of Object.entries(impls)) {
  const d = verify(fn(), secret, { appId: APP_ID, userId: USER_ID, leeway: 5 });
  if (d.mode !== 'gcm' || d.claims.expire - d.claims.ctime !== TTL) throw new Error(`${name}: wrong token`);
}

function timed(fn) {
  const end = process.hrtime.bigint() + BigInt(ROUND_MS) * 1_000_000n;
  let n = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  let now = start;
  while (now < end) {
    for (let i = 0; i < 256; i++) sink += fn().length;
    n += 256;
    now = process.hrtime.bigint();
  }
  if (sink === 0) throw new Error('no tokens');
  return n / (Number(now - start) / 1e9);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Warm-up (JIT, CSPRNG, allocator), then interleaved rounds.
for (const fn of Object.values(impls)) timed(fn);
const rates = Object.fromEntries(Object.keys(impls).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, fn] of Object.entries(impls)) rates[name].push(timed(fn));
}

const names = Object.keys(impls);
const base = median(rates[names[0]]);
console.log(`node ${process.version}, ${ROUNDS} rounds of ${ROUND_MS} ms, median tokens/s:`);
for (const name of names) {
  const m = median(rates[name]);
  console.log(`  ${name.padEnd(46)} ${Math.round(m).toString().padStart(9)} tokens/s  ${(m / base).toFixed(2)}x`);
}
const dropIn = median(rates[names[1]]) / base;
const reusable = median(rates[names[2]]) / base;
console.log(`ratio drop-in/plain ${dropIn.toFixed(2)}x (target >= 2), reusable/plain ${reusable.toFixed(2)}x (target >= 5)`);
if (process.argv.includes('--check') && (dropIn < 2 || reusable < 5)) {
  console.error('bench: below target');
  process.exitCode = 1;
}
