// Type definitions for zego-token (hand-written to match index.js; the addon's own
// generated typings are native.d.ts, which index.js hides). They need no @types/node.

/** The official generator's error codes (`ErrorCode` of zegoServerAssistant.js). */
export declare const ErrorCode: Readonly<{
  success: 0;
  appIDInvalid: 1;
  userIDInvalid: 3;
  secretInvalid: 5;
  effectiveTimeInSecondsInvalid: 6;
}>;

/** The official numeric codes; `null` for a payload the official generator does not check. */
export type ErrorCodeValue = 0 | 1 | 3 | 5 | 6;

/** What the drop-in throws (a plain object, as the official generator does). */
export interface ErrorInfo {
  errorCode: ErrorCodeValue | null;
  errorMessage: string;
}

/**
 * ZEGO's `generateToken04`: an AES-GCM token04 for `userId`, valid for
 * `effectiveTimeInSeconds`. `payload` is `''` (basic token) or the JSON text of a room
 * privilege object.
 *
 * @throws {ErrorInfo} 1 appID, 3 userID, 5 secret, 6 effective time, `null` payload.
 */
export declare function generateToken04(
  appId: number,
  userId: string,
  secret: string,
  effectiveTimeInSeconds: number,
  payload?: string,
): string;

/** The stable reasons of a `TokenError`. */
export type TokenErrorKind =
  | 'invalid_input'
  | 'wrong_version'
  | 'malformed'
  | 'decrypt'
  | 'invalid_claims'
  | 'invalid_payload'
  | 'expired'
  | 'not_yet_valid'
  | 'app_id_mismatch'
  | 'user_id_mismatch'
  | 'room_mismatch'
  | 'privilege_missing'
  | 'stream_not_allowed'
  | 'out_of_range';

/** A token refused, or an input that breaks a rule. Never carries the secret. */
export declare class TokenError extends Error {
  readonly name: 'TokenError';
  /** Stable machine-readable reason. */
  readonly kind: TokenErrorKind;
  /** For `invalid_input`: the field, as the official generators name it (`app_id`, …). */
  readonly field: string | null;
  /** For `invalid_input`: the official generators' code (1, 3, 5, 6), where one exists. */
  readonly officialCode: number | null;
  /** The code ZEGO's RTC SDKs report for this reason (e.g. 1002078 expired). */
  readonly zegoCode: number | null;
  /** The code ZEGO's ZIM SDKs report for this reason (e.g. 6000106 expired). */
  readonly zimCode: number | null;
  /** What to do about it. */
  readonly advice: string;
}

/**
 * A validated ServerSecret, AES keys prepared once. Redacted in `util.inspect`,
 * `toString` and `JSON.stringify`. Bound to the thread (worker) that built it.
 */
export declare class ServerSecret {
  /**
   * @param secret the 32-character ServerSecret of ZEGO's console, or its 32 bytes.
   * @throws {TokenError} `invalid_input`, field `secret`, officialCode 5.
   */
  constructor(secret: string | Uint8Array);
  /** Constant-time comparison with another secret. */
  equals(other: ServerSecret): boolean;
  toString(): 'ServerSecret(<redacted>)';
  toJSON(): 'ServerSecret(<redacted>)';
  // util.inspect shows the same (a `util.inspect.custom` method, untyped here so that
  // these typings need no @types/node).
}

export type CipherMode = 'gcm' | 'cbc';

/** The room privileges of a privilege token. */
export interface RoomOptions {
  /** The only room the token may log in to (1..127 bytes). */
  id: string;
  /** Login privilege. Default: true. */
  login?: boolean;
  /** Publish privilege. Default: false. */
  publish?: boolean;
  /** The only stream IDs the user may publish; `null` or absent: any. */
  streamIds?: readonly string[] | null;
}

export interface GenerateOptions {
  appId: number;
  userId: string;
  /** Lifetime in whole seconds, > 0. */
  ttl: number;
  /** A privilege token for this room (not with `payload`). */
  room?: RoomOptions | null;
  /** A raw payload text (not with `room`). Default: `''`. */
  payload?: string | null;
  /** Default: `'gcm'`. `'cbc'` only for peers that cannot take GCM. */
  mode?: CipherMode;
  /** Creation time, Unix seconds. Default: the system clock. */
  now?: number | null;
}

/** A rule of ZEGO's clients (SDKs, UIKits) that a token breaks. */
export interface SdkWarning {
  /** Stable rule name, e.g. `user_id_charset`, `ttl_too_short`, `expire_past_2038`. */
  rule: string;
  /** Which client: `'rtc'`, `'zim'`, `'kit'` or `'token'`. */
  product: string;
  /** The error code that client reports, where one is known. */
  code: number | null;
  /** Whether that client refuses the token (as opposed to a caveat). */
  blocking: boolean;
  message: string;
}

export interface Generated {
  token: string;
  mode: CipherMode;
  ctime: number;
  expire: number;
  nonce: number;
  /** The SDK rules this token breaks (empty when it breaks none). */
  warnings: SdkWarning[];
}

export interface Claims {
  appId: number;
  userId: string;
  nonce: number;
  ctime: number;
  expire: number;
  payload: string;
}

export interface Room {
  id: string;
  login: boolean;
  publish: boolean;
  streamIds: string[] | null;
}

export interface Decoded {
  claims: Claims;
  /** `null` for a basic token, or a payload that is not a room document. */
  room: Room | null;
  mode: CipherMode;
  ivHex: string;
  /** The header's unauthenticated copy of `expire`. */
  headerExpire: number;
  /** The SDK rules the claims break, and notes on cipher, nonce and claims (e.g. `demo_app`). */
  warnings: SdkWarning[];
}

export interface VerifyOptions {
  /** The app the token must be for. */
  appId: number;
  userId?: string | null;
  /** A privilege token for this room, with login granted. */
  roomId?: string | null;
  /** The token must let the user publish this stream (implies requirePublish). */
  streamId?: string | null;
  requirePublish?: boolean;
  /** Clock tolerance in seconds. Default: 5. */
  leeway?: number | null;
  /** Verification time, Unix seconds. Default: the system clock. */
  now?: number | null;
}

export interface Envelope {
  version: '04';
  mode: CipherMode;
  /** The header's copy of `expire`: anyone can forge it. */
  untrustedExpire: number;
  ivHex: string;
  ciphertextLength: number;
  hasModeByte: boolean;
  /** The kit info, when the text is a UIKit kit token (`token04#info`). */
  kit: KitInfo | null;
  /** What the header (and kit info) say: e.g. `legacy_cbc`, `weak_nonce`. */
  warnings: SdkWarning[];
}

export interface KitTokenOptions {
  /** A token04 made for `userId` (a privilege token for `roomId` if rooms are enforced). */
  token: string;
  appId: number;
  userId: string;
  roomId: string;
  userName: string;
}

/** A kit token's info; a member is `null` when absent or of the wrong type. */
export interface KitInfo {
  appId: number | null;
  userId: string | null;
  roomId: string | null;
  /** The user name, URI-decoded as the kits decode it. */
  userName: string | null;
  /** The JSON text of the info. */
  json: string;
}

/** @throws {TokenError} `invalid_input` with `field` and `officialCode`. */
export declare function generate(secret: ServerSecret, options: GenerateOptions): Generated;
/** @throws {TokenError} `malformed`, `wrong_version`, `decrypt`, `invalid_claims`. */
export declare function decode(token: string, secret: ServerSecret): Decoded;
/** @throws {TokenError} any refusal, with `zegoCode` / `zimCode` and `advice`. */
export declare function verify(token: string, secret: ServerSecret, options: VerifyOptions): Decoded;
/** Header (and a kit token's info) only, no secret. @throws {TokenError} `malformed`, `wrong_version`. */
export declare function inspect(token: string): Envelope;
/** `info` is `null` for a plain token04. @throws {TokenError} `malformed`. */
export declare function parseKitToken(kit: string): { token: string; info: KitInfo | null };
/** @throws {TokenError} `invalid_input` for IDs the UIKits cannot carry. */
export declare function kitToken(options: KitTokenOptions): string;

/** Fixed IVs and times, for known-answer tests only: never in production. */
export declare const dangerous: Readonly<{
  generateWithIv(
    secret: ServerSecret,
    options: {
      appId: number;
      userId: string;
      ttl: number;
      payload?: string | null;
      mode?: CipherMode;
      ctime: number;
      nonce: number;
      ivHex: string;
    },
  ): Generated;
  sealPlaintext(
    secret: ServerSecret,
    options: { mode?: CipherMode; expire: number; ivHex: string; plaintext: string | Uint8Array },
  ): string;
}>;
