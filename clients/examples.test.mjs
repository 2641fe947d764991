// Runs each backend example (Go, Java, Node, Python, PHP) as a process against a real
// `zego-token serve` started here, and checks what it prints with the CLI's own
// `zego-token verify` and the service's secret.
//
//   ZT_BIN=target/debug/zego-token node --test clients/examples.test.mjs
//
// Each language's runtime must be on PATH (go, java 17+, node, python3, php).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startService, APP_ID } from './service.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = resolve(process.env.ZT_BIN ?? join(here, '..', 'target', 'debug', 'zego-token'));

const build = mkdtempSync(join(tmpdir(), 'zego-token-clients-build-'));
const goBinary = join(build, 'token-client');
const LANGUAGES = {
  go: { cmd: goBinary, args: [], cwd: join(here, 'go') },
  // Compiled once here: the source launcher (`java TokenClient.java`, as the README
  // runs it) compiles on every start, seconds per run on a busy machine.
  java: { cmd: 'java', args: ['-cp', build, 'TokenClient'], cwd: join(here, 'java') },
  node: { cmd: process.execPath, args: ['token-client.mjs'], cwd: join(here, 'node') },
  python: { cmd: 'python3', args: ['token_client.py'], cwd: join(here, 'python') },
  php: { cmd: 'php', args: ['token_client.php'], cwd: join(here, 'php') },
};

let svc;
let limited;

before(async () => {
  execFileSync('go', ['build', '-o', goBinary, '.'], { cwd: join(here, 'go'), stdio: 'inherit' });
  execFileSync('javac', ['-Xlint:all', '-Werror', '-d', build, 'TokenClient.java'], { cwd: join(here, 'java'), stdio: 'inherit' });
  svc = await startService({
    bin: BIN,
    keys: { backend: {}, lobby: { rooms: ['lobby-*'] } },
  });
  // One key per language, so the rate-limit tests do not share a bucket.
  limited = await startService({
    bin: BIN,
    rateLimit: { perSecond: 0.1, burst: 1 },
    keys: Object.fromEntries(Object.keys(LANGUAGES).map((l) => [l, {}])),
  });
});

after(async () => {
  await svc?.stop();
  await limited?.stop();
});

/** Runs one example; resolves with its exit status, stdout, stderr and wall time. */
function run(lang, args, { url = svc.url, key = svc.keys.backend } = {}) {
  const { cmd, args: base, cwd } = LANGUAGES[lang];
  const started = Date.now();
  return new Promise((done) => {
    execFile(
      cmd,
      [...base, ...args],
      { cwd, env: { ...process.env, TOKEN_SERVICE_URL: url, TOKEN_SERVICE_API_KEY: key }, timeout: 60_000 },
      (err, stdout, stderr) =>
        done({ status: err ? (err.code ?? 1) : 0, stdout, stderr, ms: Date.now() - started }),
    );
  });
}

for (const lang of Object.keys(LANGUAGES)) {
  test(`${lang}: a privilege token that verifies for its user and room`, async () => {
    const r = await run(lang, ['alice-42', 'room-7']);
    assert.equal(r.status, 0, r.stderr);
    const answer = JSON.parse(r.stdout);
    assert.equal(answer.app_id, APP_ID);
    assert.equal(answer.user_id, 'alice-42');
    assert.equal(answer.expires_in, 3600);
    assert.ok(answer.renew_after < answer.expire - 30, 'renew_after falls before the 30-s warning');
    const v = svc.verify(answer.token, { userId: 'alice-42', roomId: 'room-7' });
    assert.equal(v.status, 0, JSON.stringify(v));
    assert.equal(v.verdict.valid, true);
    assert.equal(v.verdict.privileges.room_id, 'room-7');
    assert.equal(v.verdict.expire, answer.expire);
    // And not for someone else.
    assert.equal(svc.verify(answer.token, { userId: 'mallory' }).status, 1);
  });

  test(`${lang}: a basic token without a room`, async () => {
    const r = await run(lang, ['bob']);
    assert.equal(r.status, 0, r.stderr);
    const answer = JSON.parse(r.stdout);
    const d = svc.inspect(answer.token);
    assert.equal(d.decrypted, true);
    assert.equal(d.claims.user_id, 'bob');
    assert.equal(d.claims.payload, '');
  });

  test(`${lang}: 401 is final, named, and the key is not echoed`, async () => {
    const wrong = 'ztk_wrong_0123456789abcdef';
    const r = await run(lang, ['alice'], { key: wrong });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /401 unauthorized/);
    assert.doesNotMatch(r.stderr, /retrying/);
    assert.ok(!r.stderr.includes(wrong) && !r.stdout.includes(wrong));
    assert.equal(r.stdout, '');
  });

  test(`${lang}: 403 from the key's policy is final`, async () => {
    const r = await run(lang, ['alice', 'vip-room'], { key: svc.keys.lobby });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /403 room_not_allowed/);
    assert.doesNotMatch(r.stderr, /retrying/);
    const ok = await run(lang, ['alice', 'lobby-1'], { key: svc.keys.lobby });
    assert.equal(ok.status, 0, ok.stderr);
  });

  test(`${lang}: 422 names the field and is not retried`, async () => {
    const r = await run(lang, ['u'.repeat(64)]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /422 invalid_user_id/);
    assert.doesNotMatch(r.stderr, /retrying/);
  });
}

// All languages at once (one key each): every example waits as long as it is told to.
test('429 is retried after Retry-After (every language)', async () => {
  const results = await Promise.all(
    Object.keys(LANGUAGES).map(async (lang) => {
      const key = limited.keys[lang];
      // Empty this key's bucket (burst 1) so the example's first attempt is refused.
      const drain = await fetch(`${limited.url}/v1/token`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: '{"user_id":"drain"}',
      });
      assert.equal(drain.status, 200);
      return [lang, await run(lang, ['carol'], { url: limited.url, key })];
    }),
  );
  for (const [lang, r] of results) {
    assert.equal(r.status, 0, `${lang}: ${r.stderr}`);
    // Retry-After counts down to the next free slot: 10 s, or less for a slow start.
    const m = /retrying in (\d+)(\.0)?\s?s: .*429 rate_limited/.exec(r.stderr);
    assert.ok(m, `${lang}: ${r.stderr}`);
    assert.ok(Number(m[1]) >= 1 && Number(m[1]) <= 10, `${lang}: ${m[0]}`);
    assert.ok(r.ms >= Number(m[1]) * 1000, `${lang} waited only ${r.ms} ms`);
    assert.equal(limited.verify(JSON.parse(r.stdout).token, { userId: 'carol' }).status, 0, lang);
  }
});
