'use strict';
// zego-token for Node.js: ZEGO token04 on the zego-token Rust core.
//
// This file is the whole JavaScript side. It checks argument types (napi's own
// conversion errors may print the offending value, which could be a secret), calls the
// native addon, and turns the addon's returned `Failure` into the exception each API
// promises. All token logic (validation, encryption, parsing, verification) is the
// core's.

const path = require('node:path');
const util = require('node:util');

const ADDON = path.join(__dirname, 'zego-token.node');

function loadAddon() {
  try {
    return require(ADDON);
  } catch (e) {
    if (e && e.code === 'MODULE_NOT_FOUND') {
      throw new Error(
        `zego-token: the native addon ${ADDON} has not been built. ` +
          `Build it in the package folder first: npm --prefix ${__dirname} ci && ` +
          `npm --prefix ${__dirname} run build (needs Rust and Cargo), then install again.`,
        { cause: e },
      );
    }
    throw e;
  }
}

const native = loadAddon();
const { Failure } = native;

const REDACTED = 'ServerSecret(<redacted>)';
const U32_MAX = 0xffffffff;

// `String.prototype.isWellFormed` arrived in Node 20; Node 18 gets the same test from a
// Unicode regex (in `u` mode a valid surrogate pair is one code point, so only lone
// surrogates match `\p{Cs}`).
const LONE_SURROGATE = /\p{Cs}/u;
const wellFormed =
  typeof String.prototype.isWellFormed === 'function'
    ? (s) => s.isWellFormed()
    : (s) => !LONE_SURROGATE.test(s);

/** The official generator's error codes, as its `ErrorCode` enum names them. */
const ErrorCode = Object.freeze({
  success: 0,
  appIDInvalid: 1,
  userIDInvalid: 3,
  secretInvalid: 5,
  effectiveTimeInSecondsInvalid: 6,
});

// The official messages, kept as the start of ours so that code matching them still does.
const OFFICIAL_MESSAGE = {
  1: 'appID invalid',
  3: 'userId invalid',
  5: 'secret must be a 32 byte string',
  6: 'effectiveTimeInSeconds invalid',
};

// A value's type for a message: never the value of a string or object (it might be a
// secret).
function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (Number.isNaN(v)) return 'NaN';
  const t = typeof v;
  // Numbers are never secrets: show them.
  if (t === 'number') return `the number ${v}`;
  if (t === 'object') return `an object (${(v.constructor && v.constructor.name) || 'Object'})`;
  return t === 'undefined' ? 'undefined' : `a ${t}`;
}

const isU32 = (v) => Number.isInteger(v) && v >= 0 && v <= U32_MAX;

/**
 * The error every API but the drop-in throws: a token refused, or an input that breaks
 * a rule. `kind` is stable; the codes are those ZEGO's SDKs and official generators use.
 */
class TokenError extends Error {
  constructor(message, info = {}) {
    super(message);
    this.name = 'TokenError';
    this.kind = info.kind ?? 'invalid_input';
    this.field = info.field ?? null;
    this.officialCode = info.officialCode ?? null;
    this.zegoCode = info.zegoCode ?? null;
    this.zimCode = info.zimCode ?? null;
    this.advice = info.advice ?? 'Correct the named input and try again.';
  }
}

function fromFailure(f) {
  return new TokenError(f.message, {
    kind: f.kind,
    field: f.field,
    officialCode: f.officialCode,
    zegoCode: f.zegoCode,
    zimCode: f.zimCode,
    advice: f.advice,
  });
}

// An input error found while converting an argument (same shape as the core's).
function inputError(field, officialCode, detail) {
  return new TokenError(`invalid ${field}: ${detail}`, {
    kind: 'invalid_input',
    field,
    officialCode,
    advice: 'Correct the named input and generate again.',
  });
}

function unwrap(r) {
  if (r instanceof Failure) throw fromFailure(r);
  return r;
}

// ---------------------------------------------------------------------------------
// The drop-in: ZEGO's zegoServerAssistant.js generateToken04.

function dropInError(errorCode, detail) {
  const head = OFFICIAL_MESSAGE[errorCode] ?? 'payload invalid';
  // The official generator throws a plain object of exactly these two members.
  return { errorCode, errorMessage: `${head}: ${detail}` };
}

/**
 * ZEGO's `generateToken04(appId, userId, secret, effectiveTimeInSeconds, payload?)`:
 * returns an AES-GCM token04; throws `{ errorCode, errorMessage }` (1 appID, 3 userID,
 * 5 secret, 6 effective time; `null` for a payload the official generator would have
 * turned into a corrupt token).
 */
function generateToken04(appId, userId, secret, effectiveTimeInSeconds, payload) {
  // The official order of checks: appID, userID, secret, effective time.
  if (!isU32(appId)) {
    throw dropInError(1, `appId must be an integer from 1 to ${U32_MAX}, got ${typeName(appId)}`);
  }
  if (typeof userId !== 'string') {
    throw dropInError(3, `userId must be a string, got ${typeName(userId)}`);
  }
  if (!wellFormed(userId)) {
    throw dropInError(3, 'userId contains an unpaired UTF-16 surrogate, which UTF-8 cannot carry');
  }
  if (typeof secret !== 'string') {
    throw dropInError(5, `the secret must be the 32-character ServerSecret string, got ${typeName(secret)}`);
  }
  if (!wellFormed(secret)) {
    throw dropInError(5, 'the secret contains an unpaired UTF-16 surrogate; it must be 32 ASCII characters');
  }
  if (!Number.isSafeInteger(effectiveTimeInSeconds)) {
    throw dropInError(
      6,
      `effectiveTimeInSeconds must be a whole number of seconds, got ${typeName(effectiveTimeInSeconds)}`,
    );
  }
  if (payload === undefined || payload === null) {
    payload = '';
  } else if (typeof payload !== 'string') {
    throw dropInError(
      null,
      `payload must be a string (JSON.stringify a privilege object first), got ${typeName(payload)}`,
    );
  } else if (!wellFormed(payload)) {
    throw dropInError(null, 'payload contains an unpaired UTF-16 surrogate, which UTF-8 cannot carry');
  }
  const r = native.generateToken04(appId, userId, secret, effectiveTimeInSeconds, payload);
  if (typeof r === 'string') return r;
  throw dropInError(r.officialCode ?? null, r.detail ?? r.message);
}

// ---------------------------------------------------------------------------------
// The idiomatic API.

let handleOf;

/**
 * A validated ZEGO ServerSecret with its AES keys prepared once. Prints, inspects and
 * serialises as `ServerSecret(<redacted>)`. Bound to the thread that built it.
 */
class ServerSecret {
  #native;

  constructor(secret) {
    let r;
    if (typeof secret === 'string') {
      if (!wellFormed(secret)) {
        throw inputError('secret', 5, 'the ServerSecret contains an unpaired UTF-16 surrogate; it must be 32 ASCII characters');
      }
      r = native.newSecret(secret);
    } else if (secret instanceof Uint8Array) {
      r = native.newSecretFromBytes(Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength));
    } else {
      throw new TypeError(
        `ServerSecret: expected the 32-character ServerSecret as a string or its bytes as a Uint8Array, got ${typeName(secret)}`,
      );
    }
    this.#native = unwrap(r);
  }

  static {
    handleOf = (s, what = 'secret') => {
      if (typeof s !== 'object' || s === null || !(#native in s)) {
        throw new TypeError(`${what} must be a ServerSecret (new ServerSecret(string)), got ${typeName(s)}`);
      }
      return s.#native;
    };
  }

  /** Whether `other` is the same secret (constant-time comparison). */
  equals(other) {
    return native.secretsEqual(this.#native, handleOf(other, 'other'));
  }

  toString() {
    return REDACTED;
  }

  toJSON() {
    return REDACTED;
  }

  [util.inspect.custom]() {
    return REDACTED;
  }

  get [Symbol.toStringTag]() {
    return 'ServerSecret';
  }
}

function optionsObject(options, what) {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${what} must be an options object, got ${typeName(options)}`);
  }
  return options;
}

function checkAppId(appId) {
  if (!isU32(appId)) {
    throw inputError('app_id', 1, `appId must be an integer from 1 to ${U32_MAX}, got ${typeName(appId)}`);
  }
}

function checkString(value, field, name, officialCode = null) {
  if (typeof value !== 'string') {
    throw inputError(field, officialCode, `${name} must be a string, got ${typeName(value)}`);
  }
  if (!wellFormed(value)) {
    throw inputError(field, officialCode, `${name} contains an unpaired UTF-16 surrogate, which UTF-8 cannot carry`);
  }
}

function optionalString(value, field, name) {
  if (value === undefined || value === null) return null;
  checkString(value, field, name);
  return value;
}

function checkBoolean(value, name, dflt) {
  if (value === undefined) return dflt;
  if (typeof value !== 'boolean') {
    throw inputError('payload', null, `${name} must be true or false, got ${typeName(value)}`);
  }
  return value;
}

function modeIsCbc(mode) {
  if (mode === undefined || mode === 'gcm') return false;
  if (mode === 'cbc') return true;
  throw inputError('mode', null, `mode must be 'gcm' (the default) or 'cbc', got ${typeof mode === 'string' ? JSON.stringify(mode) : typeName(mode)}`);
}

function optionalTime(value, name) {
  if (value === undefined || value === null) return null;
  if (!Number.isSafeInteger(value)) {
    throw new TypeError(`${name} must be a Unix time in whole seconds, got ${typeName(value)}`);
  }
  return value;
}

// Where native.generate writes ctime, expire and nonce (one per module instance, so one
// per thread; calls are synchronous, so one is enough).
const generated = new Float64Array(3);

/**
 * Generates a token with a reusable secret.
 *
 * options: { appId, userId, ttl (seconds), room?: { id, login = true, publish = false,
 * streamIds = null }, payload? (raw text; not with room), mode = 'gcm' | 'cbc', now? }
 * returns { token, mode, ctime, expire, nonce, warnings }: `warnings` lists the rules of
 * ZEGO's SDKs the token breaks ({ rule, product, code, blocking, message }).
 */
function generate(secret, options) {
  const h = handleOf(secret);
  const o = optionsObject(options, 'generate options');
  checkAppId(o.appId);
  checkString(o.userId, 'user_id', 'userId', 3);
  if (!Number.isSafeInteger(o.ttl)) {
    throw inputError('effective_time_in_seconds', 6, `ttl must be a whole number of seconds, got ${typeName(o.ttl)}`);
  }
  const cbc = modeIsCbc(o.mode);
  const now = optionalTime(o.now, 'now');
  let payload = null;
  let roomId = null;
  let login = true;
  let publish = false;
  let streamIds = null;
  if (o.room !== undefined && o.room !== null) {
    if (o.payload !== undefined && o.payload !== null) {
      throw new TypeError('generate options: give either room or payload, not both');
    }
    const room = optionsObject(o.room, 'room');
    checkString(room.id, 'room_id', 'room.id');
    login = checkBoolean(room.login, 'room.login', true);
    publish = checkBoolean(room.publish, 'room.publish', false);
    if (room.streamIds !== undefined && room.streamIds !== null) {
      if (!Array.isArray(room.streamIds)) {
        throw inputError('stream_id', null, `room.streamIds must be an array of strings, got ${typeName(room.streamIds)}`);
      }
      room.streamIds.forEach((s, i) => checkString(s, 'stream_id', `room.streamIds[${i}]`));
      streamIds = room.streamIds;
    }
    roomId = room.id;
  } else {
    payload = optionalString(o.payload, 'payload', 'payload');
  }
  const r =
    roomId === null && payload === null && !cbc && now === null
      ? native.generateBasic(h, o.appId, o.userId, o.ttl, generated)
      : native.generate(h, o.appId, o.userId, o.ttl, payload, roomId, login, publish, streamIds, cbc, now, generated);
  let token;
  let warnings;
  if (typeof r === 'string') {
    token = r;
    warnings = [];
  } else if (r instanceof Failure) {
    throw fromFailure(r);
  } else {
    ({ token, warnings } = r);
  }
  return { token, mode: cbc ? 'cbc' : 'gcm', ctime: generated[0], expire: generated[1], nonce: generated[2], warnings };
}

function checkToken(token) {
  if (typeof token !== 'string') {
    throw new TypeError(`token must be a string, got ${typeName(token)}`);
  }
}

/** Decrypts a token with its secret, without judging the claims. */
function decode(token, secret) {
  checkToken(token);
  return unwrap(native.decode(token, handleOf(secret)));
}

/**
 * Decrypts a token and checks it as ZEGO's server would.
 *
 * options: { appId, userId?, roomId?, streamId?, requirePublish = false,
 * leeway? (seconds; default the core's 5 s), now? (Unix seconds; default the clock) }
 */
function verify(token, secret, options) {
  checkToken(token);
  const h = handleOf(secret);
  const o = optionsObject(options, 'verify options');
  if (!isU32(o.appId)) {
    throw new TypeError(`verify options: appId must be an integer from 0 to ${U32_MAX}, got ${typeName(o.appId)}`);
  }
  const userId = optionalString(o.userId, 'user_id', 'userId');
  const roomId = optionalString(o.roomId, 'room_id', 'roomId');
  const streamId = optionalString(o.streamId, 'stream_id', 'streamId');
  if (o.requirePublish !== undefined && typeof o.requirePublish !== 'boolean') {
    throw new TypeError(`verify options: requirePublish must be true or false, got ${typeName(o.requirePublish)}`);
  }
  let leeway = null;
  if (o.leeway !== undefined && o.leeway !== null) {
    if (!isU32(o.leeway)) {
      throw new TypeError(`verify options: leeway must be a whole number of seconds from 0, got ${typeName(o.leeway)}`);
    }
    leeway = o.leeway;
  }
  const now = optionalTime(o.now, 'verify options: now');
  return unwrap(native.verify(token, h, o.appId, userId, roomId, streamId, o.requirePublish === true, leeway, now));
}

/** Reads a token's header without the secret. Nothing in it is authenticated. */
function inspect(token) {
  checkToken(token);
  return unwrap(native.inspect(token));
}

/**
 * A production kit token for ZEGO's prebuilt UIKits: `token + "#" + base64(JSON)`.
 *
 * options: { token (a token04 made for userId, a privilege token for roomId if the app
 * enforces rooms), appId, userId, roomId, userName }
 */
function kitToken(options) {
  const o = optionsObject(options, 'kitToken options');
  checkToken(o.token);
  checkAppId(o.appId);
  checkString(o.userId, 'user_id', 'userId', 3);
  checkString(o.roomId, 'room_id', 'roomId');
  checkString(o.userName, 'user_name', 'userName');
  return unwrap(native.kitToken(o.token, o.appId, o.userId, o.roomId, o.userName));
}

/**
 * Splits a kit token into its token04 and its kit info ({ appId, userId, roomId,
 * userName (URI-decoded), json }); `info` is null for a plain token04.
 */
function parseKitToken(kit) {
  checkToken(kit);
  return unwrap(native.parseKitToken(kit));
}

function ivBuffer(ivHex) {
  if (typeof ivHex !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(ivHex)) {
    throw new TypeError('ivHex must be a string of hex digit pairs');
  }
  return Buffer.from(ivHex, 'hex');
}

/**
 * Operations that bypass the safeguards: fixed IVs and times, for known-answer tests
 * only. Reusing an IV under one ServerSecret breaks AES-GCM; production code never
 * needs these.
 */
const dangerous = Object.freeze({
  /** A token with a fixed creation time, claims nonce and IV. */
  generateWithIv(secret, options) {
    const h = handleOf(secret);
    const o = optionsObject(options, 'generateWithIv options');
    checkAppId(o.appId);
    checkString(o.userId, 'user_id', 'userId', 3);
    if (!Number.isSafeInteger(o.ttl)) throw new TypeError('ttl must be a whole number of seconds');
    const payload = optionalString(o.payload, 'payload', 'payload') ?? '';
    if (!Number.isSafeInteger(o.ctime)) throw new TypeError('ctime must be a Unix time in whole seconds');
    if (!Number.isInteger(o.nonce) || o.nonce < -0x80000000 || o.nonce > 0x7fffffff) {
      throw new TypeError('nonce must be a signed 32-bit integer');
    }
    return unwrap(
      native.dangerousGenerateWithIv(h, o.appId, o.userId, o.ttl, payload, modeIsCbc(o.mode), o.ctime, o.nonce, ivBuffer(o.ivHex)),
    );
  },
  /** Encrypts any plaintext into a token04 envelope with a given IV and header expire. */
  sealPlaintext(secret, options) {
    const h = handleOf(secret);
    const o = optionsObject(options, 'sealPlaintext options');
    if (!Number.isSafeInteger(o.expire)) throw new TypeError('expire must be a Unix time in whole seconds');
    const pt = typeof o.plaintext === 'string' ? Buffer.from(o.plaintext, 'utf8') : o.plaintext;
    if (!(pt instanceof Uint8Array)) throw new TypeError('plaintext must be a string or a Uint8Array');
    return unwrap(
      native.dangerousSealPlaintext(h, modeIsCbc(o.mode), o.expire, ivBuffer(o.ivHex), Buffer.from(pt.buffer, pt.byteOffset, pt.byteLength)),
    );
  },
});

module.exports = {
  generateToken04,
  ErrorCode,
  ServerSecret,
  TokenError,
  generate,
  decode,
  verify,
  inspect,
  kitToken,
  parseKitToken,
  dangerous,
};
