// End-to-end test of the debug console (GET /console) in Debian's headless Chromium,
// driven by playwright-core (no browser download: the system's /usr/bin/chromium).
//
// e2e/run.sh starts `zego-token serve --dev` and passes, in the environment:
//   ZT_BASE_URL   the service, e.g. http://127.0.0.1:41234
//   ZT_API_KEY    the API key the service was started with (ZEGO_TOKEN_API_KEY)
//   ZT_BIN        the zego-token binary, used to decode the tokens the page shows
//                 independently (`zego-token inspect --demo --json`) and to make
//                 expired and wrong-app tokens
//   ZT_ARTIFACTS  where the screenshots go
//   CHROMIUM      the browser (default /usr/bin/chromium)
//
// The last tests start a second server of their own, `zego-token serve --config` with
// several apps and keys of different policies (capped TTL, rooms only, GCM only), on a
// free loopback port; its log goes to ZT_ARTIFACTS/console-multi-server.log.
//
// Every check looks at what a person sees (labels, buttons, the #token element, the
// verdict) and then verifies the token itself outside the browser.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.ZT_BASE_URL;
const KEY = process.env.ZT_API_KEY;
const BIN = process.env.ZT_BIN;
const ARTIFACTS = process.env.ZT_ARTIFACTS || 'artifacts';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const DEMO_APP = 1234567890;

if (!BASE || !KEY || !BIN) {
  throw new Error('set ZT_BASE_URL, ZT_API_KEY and ZT_BIN (e2e/run.sh does)');
}
mkdirSync(ARTIFACTS, { recursive: true });

let browser;
// Requests to anything but the service, and console errors (CSP violations show up
// there), collected over every page; both must stay empty.
const foreignRequests = [];
const pageErrors = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright adds --no-sandbox (no chromiumSandbox) and a fresh --user-data-dir.
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
});

/** A fresh context (no shared state) on the console, with network and error guards. */
async function openConsole(options = {}, base = BASE) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    ...options,
  });
  context.setDefaultTimeout(10_000);
  const origin = new URL(base).origin;
  // Only the service's origin is reachable; anything else is recorded and refused.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    foreignRequests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource: the server responded with a status of (401|422)/.test(msg.text())) pageErrors.push(msg.text());
  });
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  const resp = await page.goto(`${base}/console`);
  assert.equal(resp.status(), 200);
  return { context, page };
}

/** Types the API key into its field and submits it with the "Use key" button. */
async function useKey(page, key = KEY) {
  await page.getByLabel('API key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Use key' }).click();
}

/** Decodes a token outside the browser: `zego-token inspect --demo --json`. */
function decode(token) {
  const out = execFileSync(BIN, ['inspect', '--demo', '--json', token], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out);
}

/** Decodes a token with the given ServerSecret: `zego-token inspect --secret-stdin --json`. */
function decodeWith(token, secret) {
  const out = execFileSync(BIN, ['inspect', '--secret-stdin', '--json', token], {
    encoding: 'utf8',
    input: `${secret}\n`,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  return JSON.parse(out);
}

/** Makes a token with the CLI (extra flags such as --now or --room). */
function cliToken(args, input) {
  return execFileSync(BIN, ['generate', ...args], {
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'ignore'],
  }).trim();
}

/** Presses Tab until `selector` has the focus (bounded), like a keyboard user. */
async function tabTo(page, selector, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  assert.fail(`${selector} never got the focus with Tab`);
}

/** Waits until #token shows a new token (different from `previous`) and returns it. */
async function waitForToken(page, previous = '') {
  await page.waitForFunction(
    (prev) => {
      const t = document.getElementById('token')?.textContent ?? '';
      return t.startsWith('04') && t !== prev;
    },
    previous,
  );
  return page.locator('#token').textContent();
}

test('labels, roles and the key kept out of storage; a wrong key shows the 401 message', async () => {
  const { context, page } = await openConsole();
  // Visible labels on the inputs the issue names, and a button named Generate.
  await assert.doesNotReject(page.getByLabel('User ID', { exact: true }).waitFor());
  await assert.doesNotReject(page.getByLabel('Room ID', { exact: true }).waitFor());
  assert.equal(await page.getByLabel('API key', { exact: true }).getAttribute('type'), 'password');
  assert.equal(await page.getByRole('button', { name: 'Generate', exact: true }).count(), 1);
  // Every form control has a <label>.
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.labels.length === 0)
      .map((el) => el.id || el.name),
  );
  assert.deepEqual(unlabelled, []);
  // The token type and privileges are fieldsets with legends.
  assert.equal(await page.getByRole('group', { name: 'Token type' }).count(), 1);
  assert.equal(await page.getByRole('group', { name: 'Cipher mode' }).count(), 1);
  // Result regions announce politely.
  assert.equal(await page.locator('#gen-result').getAttribute('aria-live'), 'polite');

  // A pasted key with a space is refused in the page, before any request.
  await useKey(page, 'two words');
  await page.locator('#key-error').getByText('printable ASCII').waitFor();

  await useKey(page, 'not-the-key');
  const alert = page.locator('#key-error');
  await alert.getByText('the credentials in the Authorization header are not accepted').waitFor();
  assert.match(await alert.textContent(), /401/);
  assert.equal(await alert.getAttribute('role'), 'alert');

  await useKey(page);
  await page.locator('#key-status').getByText('Key accepted').waitFor();
  assert.equal(await alert.textContent(), '');
  // The key is in no field, storage, cookie or URL.
  const leaks = await page.evaluate((key) => {
    const where = [];
    const scan = (name, s) => { for (let i = 0; i < s.length; i++) if (s.getItem(s.key(i)).includes(key)) where.push(name); };
    scan('localStorage', localStorage);
    scan('sessionStorage', sessionStorage);
    if (document.cookie.includes(key)) where.push('cookie');
    if (location.href.includes(key)) where.push('url');
    if (document.getElementById('api-key').value !== '') where.push('field');
    return where;
  }, KEY);
  assert.deepEqual(leaks, []);
  assert.deepEqual((await context.cookies()).map((c) => c.name), []);
  // The app list came from GET /v1/apps.
  assert.equal(await page.getByLabel('App', { exact: true }).inputValue(), String(DEMO_APP));
  await context.close();
});

test('keyboard only: Tab to the fields, Enter on the key, Space on Generate', async () => {
  const { context, page } = await openConsole();
  await tabTo(page, '#api-key');
  await page.keyboard.type(KEY);
  await page.keyboard.press('Enter');
  await page.locator('#key-status').getByText('Key accepted').waitFor();
  await tabTo(page, '#gen-user');
  await page.keyboard.type('kb-user');
  await tabTo(page, '#generate');
  await page.keyboard.press('Space');
  const token = await waitForToken(page);
  // The focus stays where the user was.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'generate');
  const d = decode(token);
  assert.equal(d.decrypted, true);
  assert.equal(d.claims.app_id, DEMO_APP);
  assert.equal(d.claims.user_id, 'kb-user');
  assert.equal(d.claims.payload, '', 'a basic token has an empty payload');
  assert.equal(d.mode, 'gcm');
  assert.equal(d.claims.expire - d.claims.ctime, 3600, 'default TTL');
  // Enter on a field submits the form too, and makes a new token.
  await page.locator('#gen-user').focus();
  await page.keyboard.press('Enter');
  const again = await waitForToken(page, token);
  assert.equal(decode(again).claims.user_id, 'kb-user');
  await context.close();
});

test('privilege token with CBC: the shown token decodes to what was asked; copy and countdown', async () => {
  // ZEGO's home time zone, so local time and UTC differ on the page.
  const { context, page } = await openConsole({ timezoneId: 'Asia/Shanghai' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(BASE).origin });
  await useKey(page);
  await page.locator('#key-status').getByText('Key accepted').waitFor();
  await page.getByLabel('User ID', { exact: true }).fill('alice');
  await page.getByLabel('TTL (seconds)').fill('600');
  await page.getByRole('radio', { name: /Privilege/ }).check();
  await page.getByLabel('Room ID', { exact: true }).fill('room-42');
  await page.getByRole('checkbox', { name: /Publish/ }).check();
  await page.getByLabel('Stream IDs').fill('cam-1, screen_2');
  await page.getByRole('radio', { name: /AES-CBC/ }).check();
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const token = await waitForToken(page);

  const d = decode(token);
  assert.equal(d.decrypted, true);
  assert.equal(d.mode, 'cbc');
  assert.equal(d.claims.user_id, 'alice');
  assert.equal(d.claims.expire - d.claims.ctime, 600);
  assert.deepEqual(
    { room: d.privileges.room_id, login: d.privileges.login, publish: d.privileges.publish, streams: d.privileges.stream_ids },
    { room: 'room-42', login: true, publish: true, streams: ['cam-1', 'screen_2'] },
  );

  // The countdown runs (10 minutes or just under) ...
  const first = await page.locator('#countdown').textContent();
  assert.match(first, /^00:(10:00|09:[0-5]\d)$/);
  await page.waitForFunction((t) => document.getElementById('countdown').textContent !== t, first, { timeout: 3000 });
  // ... and the expiry is shown in local time (UTC+8 here) and in UTC.
  const local = (unix) => new Date((unix + 8 * 3600) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  const utc = (unix) => new Date(unix * 1000).toISOString().slice(0, 19).replace('T', ' ');
  const times = await page.locator('#gen-times').textContent();
  assert.ok(times.includes(`${local(d.claims.expire)} (local, UTC+08:00)`), times);
  assert.ok(times.includes(`${utc(d.claims.expire)} UTC`), times);
  // The page shows the claims the server decrypted, room and streams included.
  await page.locator('#gen-claims-source').getByText('decrypted on the server').waitFor();
  const claims = await page.locator('#gen-claims').textContent();
  for (const s of ['alice', 'room-42', 'cam-1, screen_2', String(d.claims.nonce)]) assert.ok(claims.includes(s), s);

  // Copy: the button says Copied and the clipboard holds the token.
  await page.getByRole('button', { name: 'Copy token' }).click();
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  assert.equal(await page.locator('#copy-status').textContent(), 'Copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);

  await page.screenshot({ path: join(ARTIFACTS, 'console-generate.png'), fullPage: true });

  // A 422 from the server is shown, next to the field it is about.
  await page.getByLabel('Stream IDs').fill('bad stream!');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const alert = page.locator('#gen-error');
  await alert.getByText('422').waitFor();
  assert.match(await alert.textContent(), /invalid_stream_id/);
  assert.equal(await page.getByLabel('Stream IDs').getAttribute('aria-invalid'), 'true');
  await context.close();
});

test('UIKit kit token: token04#info whose info decodes to the user name', async () => {
  const { context, page } = await openConsole();
  await useKey(page);
  await page.locator('#key-status').getByText('Key accepted').waitFor();
  await page.getByLabel('User ID', { exact: true }).fill('bob');
  await page.getByRole('radio', { name: /UIKit kit token/ }).check();
  await page.getByLabel('Room ID', { exact: true }).fill('kit-room');
  await page.getByLabel('User name').fill('Bob Ä 李');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const token = await waitForToken(page);
  const kit = await page.locator('#kit-token').textContent();
  assert.ok(kit.startsWith(`${token}#`), 'the kit token is the token04, "#", then the info');

  const d = decode(kit);
  assert.equal(d.kind, 'kit');
  assert.equal(d.claims.user_id, 'bob');
  assert.equal(d.kit.userID, 'bob');
  assert.equal(d.kit.roomID, 'kit-room');
  assert.equal(d.kit.appID, DEMO_APP);
  assert.equal(decodeURIComponent(d.kit.userName), 'Bob Ä 李');

  // "Inspect this token" sends the kit token to the inspect panel, which shows its info.
  await page.getByRole('button', { name: 'Inspect this token' }).click();
  await page.locator('#verdict-title').getByText('Valid', { exact: true }).waitFor();
  assert.ok((await page.locator('#ins-kit').textContent()).includes('Bob Ä 李'));
  await context.close();
});

test('client rules: an ID the SDKs refuse is a 422 naming the rule; caveats are listed; pasted tokens read', async () => {
  const { context, page } = await openConsole();
  await useKey(page);
  await page.locator('#key-status').getByText('Key accepted').waitFor();
  await page.getByLabel('User ID', { exact: true }).fill('alice smith');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const alert = page.locator('#gen-error');
  await alert.getByText('422').waitFor();
  assert.match(await alert.textContent(), /user_id_charset/);
  assert.match(await alert.textContent(), /1002006/);

  // A user ID past ZIM's 32 bytes is fine for RTC: minted, with the caveat listed.
  await page.getByLabel('User ID', { exact: true }).fill('u'.repeat(40));
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const token = await waitForToken(page);
  await page.locator('#gen-warnings-wrap').waitFor({ state: 'visible' });
  assert.match(await page.locator('#gen-warnings').textContent(), /ZIM .*accepts at most 32/);

  // A token pasted with its JSON quotes and a line break still inspects as valid.
  await page.getByLabel('Token', { exact: true }).fill(`"${token.slice(0, 20)}\n${token.slice(20)}"`);
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  await page.locator('#verdict-title').getByText('Valid', { exact: true }).waitFor();
  assert.match(await page.locator('#ins-warnings').textContent(), /zim_user_id_length/);
  await context.close();
});

test('inspect: valid for a fresh token; verdict and ZEGO code for expired and wrong-app tokens', async () => {
  const { context, page } = await openConsole();
  await useKey(page);
  await page.locator('#key-status').getByText('Key accepted').waitFor();
  const tokenField = page.getByLabel('Token', { exact: true });
  const inspectButton = page.getByRole('button', { name: 'Inspect', exact: true });
  const verdict = page.locator('#verdict');

  // A fresh privilege token, checked for its user and room.
  const fresh = cliToken(['--demo', '--user-id', 'carol', '--room', 'r9', '--ttl', '1h']);
  await tokenField.fill(fresh);
  await page.getByLabel('Expected User ID').fill('carol');
  await page.getByLabel('Expected Room ID').fill('r9');
  await inspectButton.click();
  await page.locator('#verdict-title').getByText('Valid', { exact: true }).waitFor();
  assert.match(await verdict.textContent(), /valid for app 1234567890/);
  const claims = await page.locator('#ins-claims').textContent();
  assert.ok(claims.includes('carol') && claims.includes('r9'));

  // The same token for another user: 1002077.
  await page.getByLabel('Expected User ID').fill('mallory');
  await inspectButton.click();
  await page.locator('#zego-code', { hasText: 'ZEGO error code 1002077' }).waitFor();
  assert.match(await verdict.textContent(), /Rejected/);

  // An expired token (made three years ago): 1002078 and what to fix.
  const expired = cliToken(['--demo', '--user-id', 'old', '--now', '1700000000']);
  await page.getByLabel('Expected User ID').fill('');
  await page.getByLabel('Expected Room ID').fill('');
  await tokenField.fill(expired);
  await inspectButton.click();
  await page.locator('#zego-code', { hasText: 'ZEGO error code 1002078' }).waitFor();
  const text = await verdict.textContent();
  assert.match(text, /Rejected/);
  assert.match(text, /expired/);
  assert.match(text, /What to fix/);
  assert.match(await page.locator('#ins-header').textContent(), /ago/);
  await page.screenshot({ path: join(ARTIFACTS, 'console-inspect.png'), fullPage: true });

  // A token for an app this server does not have: the header only, 1002033.
  const otherApp = cliToken(['--app-id', '4242', '--secret-stdin', '--user-id', 'x'], 'abcdefghijklmnopqrstuvwxyz012345\n');
  await tokenField.fill(otherApp);
  await inspectButton.click();
  await page.locator('#zego-code', { hasText: 'ZEGO error code 1002033' }).waitFor();
  assert.match(await verdict.textContent(), /decrypt/);
  assert.match(await page.locator('#ins-header').textContent(), /GCM/);
  assert.match(await page.locator('#ins-claims').textContent(), /not decrypted/);

  // Not a token at all: 1002079 (wrong version), no header.
  await tokenField.fill('hello');
  await inspectButton.click();
  await page.locator('#zego-code', { hasText: 'ZEGO error code 1002079' }).waitFor();
  await context.close();
});

test('phone width: one column, no sideways scrolling', async () => {
  const { context, page } = await openConsole({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  await useKey(page);
  await page.locator('#key-status').getByText('Key accepted').waitFor();
  await page.getByLabel('User ID', { exact: true }).fill('phone-user');
  await page.getByRole('radio', { name: /Privilege/ }).check();
  await page.getByLabel('Room ID', { exact: true }).fill('room-1');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const token = await waitForToken(page);
  assert.equal(decode(token).privileges.room_id, 'room-1');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  // The two panels are stacked: Inspect starts below Generate.
  const gen = await page.locator('#gen-h').boundingBox();
  const ins = await page.locator('#ins-h').boundingBox();
  assert.ok(ins.y > gen.y + 200 && Math.abs(ins.x - gen.x) < 5);
  // What a phone shows: the top of the page, and the new token scrolled into view.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'console-phone.png') });
  await page.locator('#gen-result-h').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(ARTIFACTS, 'console-phone-result.png') });
  await context.close();
});

// ------------------------------------------------ a production config: several apps
// `serve --config` with three apps (so the server has no default app) and keys whose
// policies differ, started here on a free loopback port and stopped after the tests.
const MULTI = {
  apps: [1111111111, 2222222222, 3333333333],
  secrets: {},
  keys: {
    capped: `ztk_cap_${randomBytes(12).toString('hex')}`,
    rooms: `ztk_rooms_${randomBytes(12).toString('hex')}`,
  },
};
for (const id of MULTI.apps) MULTI.secrets[id] = randomBytes(16).toString('hex');
let multi = null;

/** Starts `zego-token serve --config` with MULTI; resolves with {base, stop}. */
async function startMulti() {
  const dir = mkdtempSync(join(tmpdir(), 'zt-e2e-'));
  const sha = (k) => createHash('sha256').update(k).digest('hex');
  const [, b, c] = MULTI.apps;
  const config = [
    'listen = "127.0.0.1:0"',
    '[console]', 'enabled = true',
    '[limits]', 'drain_delay_seconds = 0',
    '[log]', 'level = "info"',
    ...MULTI.apps.flatMap((id) => ['[[apps]]', `app_id = ${id}`, `secret_env = "ZT_E2E_SECRET_${id}"`]),
    // Several apps, not the first configured one; at most 10 minutes.
    '[[api_keys]]', 'name = "capped"', `sha256 = "${sha(MULTI.keys.capped)}"`, `apps = [${b}, ${c}]`, 'max_ttl_seconds = 600',
    // One app; rooms only (so no basic tokens), GCM only, no publish.
    '[[api_keys]]', 'name = "rooms"', `sha256 = "${sha(MULTI.keys.rooms)}"`, `apps = [${c}]`, 'rooms = ["room-*"]',
    'allow_publish = false', 'modes = ["gcm"]',
  ].join('\n');
  const file = join(dir, 'config.toml');
  writeFileSync(file, `${config}\n`);
  const env = { PATH: process.env.PATH };
  for (const id of MULTI.apps) env[`ZT_E2E_SECRET_${id}`] = MULTI.secrets[id];
  const child = spawn(BIN, ['serve', '--config', file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(join(ARTIFACTS, 'console-multi-server.log'));
  child.stderr.pipe(log);
  const base = await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no listening line within 20 s:\n${text}`)), 20_000);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited (${code}):\n${text}`)); });
    child.stdout.on('data', (chunk) => {
      log.write(chunk);
      text += chunk;
      const m = /listening addr=(127\.0\.0\.1:\d+)/.exec(text);
      if (m) { clearTimeout(timer); resolve(`http://${m[1]}`); }
    });
  });
  child.removeAllListeners('exit');
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((ok) => setTimeout(ok, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    log.end();
    rmSync(dir, { recursive: true, force: true });
  };
  return { base, stop };
}

test('several apps and a key capped at 10 min: the preselected app and the pre-filled TTL work', async () => {
  multi = await startMulti();
  const [, b, c] = MULTI.apps;
  const { context, page } = await openConsole({}, multi.base);
  // Before a key: 1 h, and the cap is not known yet.
  assert.equal(await page.getByLabel('TTL (seconds)').inputValue(), '3600');
  await useKey(page, MULTI.keys.capped);
  await page.locator('#key-status').getByText('Key accepted').waitFor();
  // Only the key's apps, no "Default app" (the server has none for this key), and the
  // first of them chosen.
  const app = page.getByLabel('App', { exact: true });
  assert.deepEqual(await app.locator('option').evaluateAll((os) => os.map((o) => o.value)), [String(b), String(c)]);
  assert.equal(await app.inputValue(), String(b));
  // The TTL follows the key's cap, and says so.
  assert.equal(await page.getByLabel('TTL (seconds)').inputValue(), '600');
  assert.match(await page.locator('#gen-ttl-hint').textContent(), /at most 10 min \(600 s\)/);

  // Generate with what the page chose: it works.
  await page.getByLabel('User ID', { exact: true }).fill('cap-user');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const token = await waitForToken(page);
  assert.equal(await page.locator('#gen-error').textContent(), '');
  const d = decodeWith(token, MULTI.secrets[b]);
  assert.equal(d.decrypted, true);
  assert.equal(d.claims.app_id, b);
  assert.equal(d.claims.user_id, 'cap-user');
  assert.equal(d.claims.expire - d.claims.ctime, 600);

  // The other app works too.
  await app.selectOption(String(c));
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const other = await waitForToken(page, token);
  assert.equal(decodeWith(other, MULTI.secrets[c]).claims.app_id, c);

  // A typed TTL over the cap is refused in the page, next to the field.
  await page.getByLabel('TTL (seconds)').fill('3601');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.locator('#gen-ttl-error').getByText('at most 600 s').waitFor();
  assert.equal(await page.getByLabel('TTL (seconds)').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#token').textContent(), other, 'no new token');
  await page.screenshot({ path: join(ARTIFACTS, 'console-capped.png'), fullPage: true });
  await context.close();
});

test('a key for rooms only, GCM only, no publish: the page offers what it may ask for', async () => {
  assert.ok(multi, 'the server of the previous test is running');
  const [, , c] = MULTI.apps;
  const { context, page } = await openConsole({}, multi.base);
  await useKey(page, MULTI.keys.rooms);
  await page.locator('#key-status').getByText('Key accepted').waitFor();
  assert.equal(await page.getByLabel('App', { exact: true }).inputValue(), String(c));
  // Its cap is the server's (24 h): 1 h is offered.
  assert.equal(await page.getByLabel('TTL (seconds)').inputValue(), '3600');
  // Basic tokens, CBC and publish are not offered; a privilege token in GCM is.
  assert.equal(await page.getByRole('radio', { name: /Basic/ }).isDisabled(), true);
  assert.equal(await page.getByRole('radio', { name: /Privilege/ }).isChecked(), true);
  assert.equal(await page.getByRole('radio', { name: /AES-CBC/ }).isDisabled(), true);
  assert.equal(await page.getByRole('radio', { name: /AES-GCM/ }).isChecked(), true);
  assert.equal(await page.getByRole('checkbox', { name: /Publish/ }).isDisabled(), true);
  assert.match(await page.locator('#gen-type-hint').textContent(), /pinned to a room/);

  await page.getByLabel('User ID', { exact: true }).fill('room-user');
  await page.getByLabel('Room ID', { exact: true }).fill('room-7');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const token = await waitForToken(page);
  const d = decodeWith(token, MULTI.secrets[c]);
  assert.equal(d.claims.app_id, c);
  assert.equal(d.mode, 'gcm');
  assert.deepEqual(
    { room: d.privileges.room_id, login: d.privileges.login, publish: d.privileges.publish },
    { room: 'room-7', login: true, publish: false },
  );

  // Forgetting the key gives the form back its defaults.
  await page.getByRole('button', { name: 'Forget key' }).click();
  assert.equal(await page.getByRole('radio', { name: /Basic/ }).isDisabled(), false);
  assert.equal(await page.getByRole('radio', { name: /AES-CBC/ }).isDisabled(), false);
  assert.equal(await page.getByRole('checkbox', { name: /Publish/ }).isDisabled(), false);
  await context.close();
});

after(async () => {
  await multi?.stop();
});

test('no request left the service origin and the page logged no error', () => {
  assert.deepEqual(foreignRequests, []);
  assert.deepEqual(pageErrors, []);
});
