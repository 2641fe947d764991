// zego-token-client: fetch ZEGO token04 credentials from a `zego-token serve` service,
// hand them to ZEGO's Express SDK (`loginRoom`) and ZIM (`login`), and renew them when
// the SDKs warn that they will expire (`roomTokenWillExpire`, `tokenWillExpire`).
//
// Dependency-free ES module for browsers (and Node 18+, which has fetch). Types are in
// zego-token-client.d.ts; the flow and the error table are in docs/clients.md.

/** An answer of the token service that is not a token, or a network failure. */
export class ZegoTokenError extends Error {
  /**
   * @param {string} message
   * @param {{status?: number, code?: string, retryAfterMs?: number, retryable?: boolean, cause?: unknown}} info
   */
  constructor(message, info = {}) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.name = 'ZegoTokenError';
    /** HTTP status, or 0 when no answer arrived (network error, timeout). */
    this.status = info.status ?? 0;
    /** The service's error code (`unauthorized`, `rate_limited`, ...), or `network`. */
    this.code = info.code ?? 'network';
    /** Milliseconds the service asked to wait (Retry-After), if it did. */
    this.retryAfterMs = info.retryAfterMs;
    /** Whether asking again later can succeed. */
    this.retryable = info.retryable ?? false;
  }
}

// Statuses worth another attempt: a timeout, a rate limit, a server that is starting,
// draining or failing. Every other refusal is final until the request changes.
const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

/** Parses Retry-After (seconds, or an HTTP date) into milliseconds. */
function retryAfterMs(value, now) {
  if (value == null || value === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Asks the service for one token: `POST {url}` with `Authorization: Bearer <credential>`.
 *
 * @param {import('./zego-token-client').FetchTokenOptions} options
 * @returns {Promise<import('./zego-token-client').TokenResponse>}
 */
export async function fetchToken(options) {
  const { url, credential, request = {}, signal } = options;
  const doFetch = options.fetch ?? globalThis.fetch;
  const secret = typeof credential === 'function' ? await credential() : credential;
  if (typeof secret !== 'string' || secret === '') {
    throw new ZegoTokenError('no credential: give an API key (backends) or the login JWT', {
      code: 'no_credential',
    });
  }
  let resp;
  try {
    resp = await doFetch(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
      // The credential goes in the header only; no cookies for a cross-origin service.
      credentials: 'omit',
      cache: 'no-store',
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ZegoTokenError(`token service unreachable: ${err?.message ?? err}`, {
      retryable: true,
      cause: err,
    });
  }
  let body = null;
  try {
    body = await resp.json();
  } catch {
    // Not JSON: a proxy's page, say. Judged by the status below.
  }
  if (resp.ok && body && typeof body.token === 'string') return body;
  const code = body?.error?.code ?? (resp.ok ? 'bad_answer' : `http_${resp.status}`);
  const message = body?.error?.message ?? (resp.ok ? 'the answer holds no token' : resp.statusText);
  throw new ZegoTokenError(`token service: ${resp.status} ${code}: ${message}`, {
    status: resp.status,
    code,
    retryAfterMs: retryAfterMs(resp.headers.get('Retry-After'), Date.now()),
    retryable: RETRYABLE.has(resp.status),
  });
}

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * Keeps one user's token fresh for the SDKs attached to it.
 *
 * One fetch serves every attached SDK: when the Express SDK and ZIM warn together, the
 * service is asked once and both get the new token.
 */
export class ZegoTokenKeeper {
  /** @param {import('./zego-token-client').KeeperOptions} options */
  constructor(options) {
    if (!options?.url) throw new TypeError('ZegoTokenKeeper: options.url is required');
    if (!options.credential) throw new TypeError('ZegoTokenKeeper: options.credential is required');
    this.options = options;
    this.backoff = { initialMs: 1000, maxMs: 30_000, ...options.backoff };
    /** @type {import('./zego-token-client').TokenResponse | null} */
    this.current = null;
    this._express = []; // {engine, roomID, token, listener}: token = what the engine holds
    this._zim = []; // {zim, token}
    this._inflight = null;
    this._renewing = null;
    this._renewTimer = null;
    this._abort = new AbortController();
    this._unauthorizedOnce = false;
  }

  /** The token in use, or null before the first fetch. */
  get token() {
    return this.current?.token ?? null;
  }

  /**
   * Fetches a token now (sharing a fetch already running), retrying what is retryable.
   * @param {string} [reason]
   */
  fetch(reason = 'fetch') {
    if (!this._inflight) {
      this._inflight = this._fetchWithRetry(reason).finally(() => {
        this._inflight = null;
      });
    }
    return this._inflight;
  }

  async _fetchWithRetry(reason) {
    let delay = this.backoff.initialMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await fetchToken({
          url: this.options.url,
          credential: this.options.credential,
          request: this.options.request,
          fetch: this.options.fetch,
          signal: this._abort.signal,
        });
        this._unauthorizedOnce = false;
        this.current = answer;
        this._scheduleRenewAfter(answer);
        this.options.onToken?.(answer, reason);
        return answer;
      } catch (err) {
        if (this._abort.signal.aborted) throw err;
        let wait;
        if (err instanceof ZegoTokenError && err.status === 401 && !this._unauthorizedOnce) {
          // A login JWT may have expired: ask the credential function for a fresh one, once.
          this._unauthorizedOnce = typeof this.options.credential === 'function';
          wait = this._unauthorizedOnce ? 0 : undefined;
        } else if (err instanceof ZegoTokenError && err.retryable) {
          wait = err.retryAfterMs ?? delay + Math.floor(Math.random() * (delay / 2));
          delay = Math.min(delay * 2, this.backoff.maxMs);
        }
        this.options.onError?.(err, { attempt, retryInMs: wait, reason });
        if (wait === undefined) throw err;
        await sleep(wait, this._abort.signal);
      }
    }
  }

  // Renew at the service's renew_after, which falls before ZEGO's 30-second warning;
  // the SDKs' warnings stay the safety net (an SDK that reconnected, a late timer).
  // renew_after is null for lifetimes too short to renew before the warning.
  _scheduleRenewAfter(answer) {
    clearTimeout(this._renewTimer);
    if (this.options.renewAt === 'will-expire' || answer.renew_after == null) return;
    const inMs = answer.renew_after * 1000 - Date.now();
    this._renewTimer = setTimeout(
      () => this.renew('renew_after').catch(() => {}),
      Math.max(0, Math.min(inMs, 2_147_483_647)),
    );
  }

  /**
   * Fetches a fresh token and gives it to every attached SDK (`renewToken`).
   * @param {string} [reason]
   */
  renew(reason = 'renew') {
    // Both SDKs warn at about the same moment: one renewal serves both warnings.
    if (!this._renewing) {
      this._renewing = this._renew(reason).finally(() => {
        this._renewing = null;
      });
    }
    return this._renewing;
  }

  async _renew(reason) {
    const answer = await this.fetch(reason);
    await Promise.all([...this._express, ...this._zim].map((entry) => this._give(entry, answer, reason)));
    return answer;
  }

  // Hands `answer` to one attached SDK and records what that SDK now holds.
  async _give(entry, answer, reason) {
    const report = (result) => this.options.onRenewed?.(answer, result, reason);
    if (entry.engine) {
      const { engine, roomID } = entry;
      try {
        // false: the engine refused it (not logged in to that room, or not a token).
        const ok = engine.renewToken(answer.token, roomID) !== false;
        if (ok) entry.token = answer.token;
        report({ sdk: 'express', roomID, ok });
      } catch (error) {
        report({ sdk: 'express', roomID, ok: false, error });
      }
      return;
    }
    // ZIM answers once its server confirmed; a failure (e.g. a timeout while it
    // reconnects) is reported, not retried: ZIM logs in again with `keeper.token`.
    try {
      await entry.zim.renewToken(answer.token);
      entry.token = answer.token;
      report({ sdk: 'zim', ok: true });
    } catch (error) {
      report({ sdk: 'zim', ok: false, error });
    }
  }

  // An SDK warned. If the keeper already holds a newer token that is not itself about
  // to expire (the other SDK warned a moment earlier), that SDK gets it without a
  // fetch; otherwise a renewal for everyone.
  _warned(entry, reason) {
    const current = this.current;
    if (current && entry.token !== current.token && current.expire * 1000 - Date.now() > 30_000) {
      this._give(entry, current, reason);
    } else {
      this.renew(reason).catch(() => {});
    }
  }

  /**
   * Renews for this Express engine when it warns (`roomTokenWillExpire`).
   * @param {import('./zego-token-client').ExpressLike} engine
   * @param {string} roomID
   * @param {string} [token] the token the engine logged in with (default: the current one)
   */
  attachExpress(engine, roomID, token = this.token) {
    const entry = { engine, roomID, token };
    entry.listener = (warnedRoom) => {
      if (warnedRoom !== undefined && warnedRoom !== roomID) return;
      this.options.onWillExpire?.('express', roomID);
      this._warned(entry, 'roomTokenWillExpire');
    };
    engine.on('roomTokenWillExpire', entry.listener);
    this._express.push(entry);
  }

  /**
   * Renews for this ZIM instance when it warns (`tokenWillExpire`). ZIM keeps one
   * listener per event, so this replaces the app's own `tokenWillExpire` listener: use
   * the `onWillExpire` option instead.
   * @param {import('./zego-token-client').ZIMLike} zim
   * @param {string} [token] the token ZIM logged in with (default: the current one)
   */
  attachZIM(zim, token = this.token) {
    const entry = { zim, token };
    zim.on('tokenWillExpire', () => {
      this.options.onWillExpire?.('zim');
      this._warned(entry, 'tokenWillExpire');
    });
    this._zim.push(entry);
  }

  /**
   * Fetches a token (if none yet), logs the engine in to the room with it and attaches.
   * @param {import('./zego-token-client').ExpressLike} engine
   * @param {string} roomID
   * @param {{userID: string, userName?: string}} user
   * @param {object} [config] the SDK's ZegoRoomConfig
   */
  async loginRoom(engine, roomID, user, config) {
    const { token } = this.current ?? (await this.fetch('login'));
    this.attachExpress(engine, roomID, token);
    return engine.loginRoom(roomID, token, user, config);
  }

  /**
   * Fetches a token (if none yet), logs ZIM in with it and attaches.
   * @param {import('./zego-token-client').ZIMLike} zim
   * @param {string} userID
   * @param {object} [config] the SDK's ZIMLoginConfig, without `token`
   */
  async loginZIM(zim, userID, config = {}) {
    const { token } = this.current ?? (await this.fetch('login'));
    this.attachZIM(zim, token);
    return zim.login(userID, { ...config, token });
  }

  /** Detaches from every SDK, cancels the timer and any fetch or retry in progress. */
  stop() {
    clearTimeout(this._renewTimer);
    this._abort.abort(new ZegoTokenError('keeper stopped', { code: 'stopped' }));
    for (const { engine, listener } of this._express) engine.off?.('roomTokenWillExpire', listener);
    for (const { zim } of this._zim) zim.off?.('tokenWillExpire');
    this._express = [];
    this._zim = [];
  }
}
