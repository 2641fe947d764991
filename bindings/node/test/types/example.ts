// Type-checks the typings (tsc --noEmit): the README's TypeScript example, the drop-in,
// and the error types. ESM side.

import {
  ServerSecret,
  generate,
  generateToken04,
  verify,
  decode,
  inspect,
  kitToken,
  parseKitToken,
  TokenError,
  ErrorCode,
  type Decoded,
  type Envelope,
  type ErrorInfo,
  type Generated,
  type TokenErrorKind,
} from 'zego-token';

const secret = new ServerSecret('fa94dd0f974cf2e293728a526b028271');
const { token }: Generated = generate(secret, { appId: 1234567890, userId: 'user-42', ttl: 3600 });
const ok: Decoded = verify(token, secret, { appId: 1234567890 });
const userId: string = ok.claims.userId;
const room = generate(secret, {
  appId: 1234567890,
  userId,
  ttl: 60,
  room: { id: 'room-1', publish: true, streamIds: ['s1'] },
  mode: 'gcm',
});
const d = decode(room.token, secret);
const streams: string[] | null = d.room ? d.room.streamIds : null;
const header: Envelope = inspect(room.token);
const untrusted: number = header.untrustedExpire;
const kitUser: string | null = header.kit ? header.kit.userId : null;

const t: string = generateToken04(1234567890, 'user1', 'fa94dd0f974cf2e293728a526b028271', 3600, '');
const code: 5 = ErrorCode.secretInvalid;

try {
  verify(t, secret, { appId: 1, leeway: 5 });
} catch (e) {
  if (e instanceof TokenError) {
    const kind: TokenErrorKind = e.kind;
    const zego: number | null = e.zegoCode;
    const shown: string = `${kind} ${zego} ${e.advice} ${e.message}`;
    void shown;
  } else {
    const info = e as ErrorInfo;
    const c: number | null = info.errorCode;
    void c;
  }
}

const kit = kitToken({ token: t, appId: 1234567890, userId: 'user1', roomId: 'room1', userName: 'Zoë' });
const info = parseKitToken(kit).info;
const appID: number | null = info ? info.appId : null;
const rules: string[] = room.warnings.map((w) => w.rule);

// @ts-expect-error: mode is 'gcm' | 'cbc'
generate(secret, { appId: 1, userId: 'u', ttl: 60, mode: 'ecb' });
// @ts-expect-error: the secret must be a ServerSecret, not its string
generate('fa94dd0f974cf2e293728a526b028271', { appId: 1, userId: 'u', ttl: 60 });
// @ts-expect-error: verify needs the app ID
verify(t, secret, {});

export { streams, untrusted, kitUser, code, appID, rules };
