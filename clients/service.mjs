// Starts a real `zego-token serve` for the client tests: a config written here, a fresh
// ServerSecret file, API keys stored as SHA-256, an HS256 login-JWT issuer and CORS for
// a browser origin. Port 0: the banner's `listening addr=` line names the port.
//
//   const svc = await startService({ bin, corsOrigins: [...], rateLimit: {...} });
//   ... svc.url, svc.keys.backend, svc.jwt({ sub: 'alice' }), svc.verify(token, {...})
//   await svc.stop();

import { spawn, execFileSync } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const APP_ID = 987654321;
export const ISSUER = 'https://id.example.test/';
export const AUDIENCE = 'zego-token';

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const b64url = (b) => Buffer.from(b).toString('base64url');

/**
 * @param {{bin: string, corsOrigins?: string[], rateLimit?: {perSecond: number, burst: number}, keys?: Record<string, object>}} options
 */
export async function startService({ bin, corsOrigins = [], rateLimit, keys = { backend: {} } }) {
  const dir = mkdtempSync(join(tmpdir(), 'zego-token-clients-'));
  const secretFile = join(dir, 'server-secret');
  // 32 characters, as ZEGO's console gives them.
  writeFileSync(secretFile, randomBytes(16).toString('hex'), { mode: 0o600 });
  const jwtSecret = randomBytes(32).toString('hex');
  const plainKeys = {};
  let config = `listen = "127.0.0.1:0"\n\n[[apps]]\napp_id = ${APP_ID}\nsecret_file = "${secretFile}"\n`;
  for (const [name, policy] of Object.entries(keys)) {
    plainKeys[name] = `ztk_${name}_${randomBytes(12).toString('hex')}`;
    config += `\n[[api_keys]]\nname = "${name}"\nsha256 = "${sha256(plainKeys[name])}"\n`;
    for (const [k, v] of Object.entries(policy)) config += `${k} = ${JSON.stringify(v)}\n`;
  }
  config += `\n[[jwt_issuers]]\nissuer = "${ISSUER}"\naudiences = ["${AUDIENCE}"]\nhs256_secret_env = "CLIENTS_TEST_JWT_SECRET"\nallow_publish = true\n`;
  config += `\n[cors]\nallowed_origins = ${JSON.stringify(corsOrigins)}\n`;
  if (rateLimit) {
    config += `\n[rate_limit]\nper_caller_per_second = ${rateLimit.perSecond.toFixed(3)}\nper_caller_burst = ${rateLimit.burst}\n`;
  }
  const configFile = join(dir, 'config.toml');
  writeFileSync(configFile, config);

  const env = { ...process.env, CLIENTS_TEST_JWT_SECRET: jwtSecret, NO_COLOR: '1' };
  // Only this config: every ZEGO_TOKEN_* variable is a config key to the service.
  for (const k of Object.keys(env)) {
    if (k.startsWith('ZEGO_TOKEN_') || ['ZEGO_APP_ID', 'ZEGO_SERVER_SECRET', 'ZEGO_SERVER_SECRET_FILE'].includes(k)) delete env[k];
  }
  const child = spawn(bin, ['serve', '--config', configFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within 15 s:\n${log}`)), 15_000);
    const onData = (d) => {
      log += d;
      const m = /listening addr=(127\.0\.0\.1:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`zego-token serve exited with ${code}:\n${log}`));
    });
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not yet
    }
    if (i > 100) throw new Error(`${url}/readyz never answered 200:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    keys: plainKeys,
    secretFile,
    log: () => log,
    /** An HS256 login JWT of the configured issuer (expires in `ttl` seconds). */
    jwt(claims, ttl = 600) {
      const now = Math.floor(Date.now() / 1000);
      const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
      const body = b64url(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + ttl, ...claims }));
      const sig = createHmac('sha256', jwtSecret).update(`${head}.${body}`).digest('base64url');
      return `${head}.${body}.${sig}`;
    },
    /** `zego-token verify` with the service's secret: the parsed --json verdict and exit code. */
    verify(token, { userId, roomId } = {}) {
      const args = ['verify', '--json', '--app-id', String(APP_ID), '--secret-file', secretFile];
      if (userId !== undefined) args.push('--user-id', userId);
      if (roomId !== undefined) args.push('--room', roomId);
      args.push(token);
      try {
        return { status: 0, verdict: JSON.parse(execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) };
      } catch (err) {
        return { status: err.status, verdict: err.stdout ? JSON.parse(err.stdout) : null, stderr: String(err.stderr) };
      }
    },
    /** `zego-token inspect --json` with the service's secret. */
    inspect(token) {
      return JSON.parse(
        execFileSync(bin, ['inspect', '--json', '--secret-file', secretFile, token], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      );
    },
    async stop() {
      if (child.exitCode === null) {
        child.removeAllListeners('exit');
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
