// Type check (tsc -p tsconfig.json, no output): the module's types against the real
// SDKs' own declarations. ExpressLike and ZIMLike must be what ZEGO's packages declare.
import type { ZegoExpressEngine } from 'zego-express-engine-webrtc';
import type { ZIM } from 'zego-zim-web';
import { ZegoTokenKeeper, fetchToken, ZegoTokenError } from 'zego-token-client';
import type { ExpressLike, ZIMLike, TokenResponse } from 'zego-token-client';

declare const engine: ZegoExpressEngine;
declare const zim: ZIM;

const asExpress: ExpressLike = engine;
const asZim: ZIMLike = zim;

const keeper = new ZegoTokenKeeper({
  url: 'https://tokens.example.com/v1/token',
  credential: async () => 'jwt',
  request: { room_id: 'room-1', ttl_seconds: 3600 },
  onError(error, { retryInMs }) {
    if (error instanceof ZegoTokenError && retryInMs === undefined) console.log(error.code, error.status);
  },
});
void keeper.loginRoom(asExpress, 'room-1', { userID: 'u1', userName: 'U' });
void keeper.loginZIM(asZim, 'u1', { userName: 'U' });
const answer: Promise<TokenResponse> = fetchToken({ url: '/v1/token', credential: 'key', request: { user_id: 'u1' } });
void answer;
