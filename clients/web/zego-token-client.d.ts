// Types of zego-token-client.mjs. See docs/clients.md for the flow and the error table.

/** The answer of `POST /v1/token` (see the service's OpenAPI document). */
export interface TokenResponse {
  /** The token04 for `loginRoom` / ZIM `login`. */
  token: string;
  app_id: number;
  user_id: string;
  /** Expiry, Unix seconds. */
  expire: number;
  /** Seconds until expiry when it was made. */
  expires_in: number;
  /**
   * Unix seconds after which to fetch a new token, before ZEGO's 30-second warning;
   * null when the lifetime is too short for that (30 s or less).
   */
  renew_after: number | null;
  /** Rules of ZEGO's SDKs the token breaks without being refused (e.g. ZIM's 32-byte userID). */
  warnings?: { rule: string; product: string; code: number | null; blocking: boolean; message: string }[];
  /** The UIKit kit token, when the request asked for `kit`. */
  kit_token?: string;
  claims: { ctime: number; expire: number; mode: 'gcm' | 'cbc'; payload: string };
}

/** The body of `POST /v1/token`. JWT callers may leave out `user_id`. */
export interface TokenRequest {
  user_id?: string;
  room_id?: string;
  privileges?: { login?: boolean; publish?: boolean };
  stream_ids?: string[];
  ttl_seconds?: number;
  app_id?: number;
  mode?: 'gcm' | 'cbc';
  kit?: { user_name: string };
}

/** An API key (trusted backends only) or the app's login JWT; a function is asked each time. */
export type Credential = string | (() => string | Promise<string>);

export interface FetchTokenOptions {
  /** The service's token endpoint, e.g. `https://tokens.example.com/v1/token`. */
  url: string;
  credential: Credential;
  request?: TokenRequest;
  /** Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** A refusal of the service, or a network failure (`status` 0, `code` "network"). */
export class ZegoTokenError extends Error {
  readonly name: 'ZegoTokenError';
  /** HTTP status; 0 when no answer arrived. */
  readonly status: number;
  /** The service's error code (`unauthorized`, `rate_limited`, `ttl_too_long`, ...). */
  readonly code: string;
  /** What Retry-After asked for, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** True for network errors, 408, 429 and 5xx: asking again later can succeed. */
  readonly retryable: boolean;
}

/** One `POST /v1/token`. Rejects with ZegoTokenError. */
export function fetchToken(options: FetchTokenOptions): Promise<TokenResponse>;

/** The part of ZEGO's Express SDK (`zego-express-engine-webrtc`) the keeper uses. */
export interface ExpressLike {
  // `any`: the SDK's own declarations (3.12.0) name only the older `tokenWillExpire`,
  // although the engine emits `roomTokenWillExpire` too, the event the keeper uses.
  on(event: any, callback: (roomID: string) => void): unknown;
  off?(event: any, callback?: (roomID: string) => void): unknown;
  renewToken(token: string, roomID?: string): boolean;
  loginRoom(roomID: string, token: string, user: { userID: string; userName?: string }, config?: object): Promise<boolean>;
}

/** The part of ZEGO's ZIM SDK (`zego-zim-web`) the keeper uses. */
export interface ZIMLike {
  on(event: 'tokenWillExpire', listener: (zim: unknown, data: { second: number }) => void): void;
  off?(event: 'tokenWillExpire'): void;
  renewToken(token: string): Promise<unknown>;
  login(userID: string, config: { token: string; userName?: string; isOfflineLogin?: boolean }): Promise<void>;
}

export interface RenewResult {
  sdk: 'express' | 'zim';
  roomID?: string;
  ok: boolean;
  error?: unknown;
}

export interface KeeperOptions extends Omit<FetchTokenOptions, 'signal'> {
  /**
   * `"renew_after"` (default): renew at the service's `renew_after` as well as on the
   * SDKs' warnings, whichever comes first. `"will-expire"`: only on the warnings.
   */
  renewAt?: 'renew_after' | 'will-expire';
  /** Backoff for retryable failures without Retry-After. Default 1000 ms doubling to 30000 ms, with jitter. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Each new token, with why it was fetched (`login`, `roomTokenWillExpire`, `tokenWillExpire`, `renew_after`). */
  onToken?(token: TokenResponse, reason: string): void;
  /** An SDK warned that the token will expire. */
  onWillExpire?(sdk: 'express' | 'zim', roomID?: string): void;
  /** A new token was handed to one attached SDK (called once per SDK). */
  onRenewed?(token: TokenResponse, result: RenewResult, reason: string): void;
  /** A failure; `retryInMs` is undefined when the keeper gives up (the error is final). */
  onError?(error: unknown, info: { attempt: number; retryInMs: number | undefined; reason: string }): void;
}

/** Keeps one user's token fresh for the SDKs attached to it; one fetch serves them all. */
export class ZegoTokenKeeper {
  constructor(options: KeeperOptions);
  /** The last answer, or null before the first fetch. */
  readonly current: TokenResponse | null;
  /** The token in use, or null. */
  readonly token: string | null;
  /** Fetches a token now (joining a fetch in progress), retrying what is retryable. */
  fetch(reason?: string): Promise<TokenResponse>;
  /** Fetches a fresh token and calls `renewToken` on every attached SDK. */
  renew(reason?: string): Promise<TokenResponse>;
  /**
   * Renews for this engine and room when it fires `roomTokenWillExpire`. `token`: the
   * one it logged in with (default: the current one). A warning about a token the
   * keeper has already replaced gets the current token without a fetch.
   */
  attachExpress(engine: ExpressLike, roomID: string, token?: string): void;
  /** The same for ZIM's `tokenWillExpire` (this replaces ZIM's one listener for it). */
  attachZIM(zim: ZIMLike, token?: string): void;
  /** Fetches a token if needed, `engine.loginRoom(roomID, token, user, config)`, attaches. */
  loginRoom(engine: ExpressLike, roomID: string, user: { userID: string; userName?: string }, config?: object): Promise<boolean>;
  /** Fetches a token if needed, `zim.login(userID, {...config, token})`, attaches. */
  loginZIM(zim: ZIMLike, userID: string, config?: { userName?: string; isOfflineLogin?: boolean }): Promise<void>;
  /** Detaches from every SDK and cancels timers, fetches and retries. */
  stop(): void;
}
