// The UIKit flow: the app's page asks the token service for a kit token (the service
// makes token04 + "#" + kit info on the server, so the ServerSecret never reaches the
// browser) and hands it to ZEGO's prebuilt UIKit.
//
//   <script src="…/@zegocloud/zego-uikit-prebuilt/zego-uikit-prebuilt.js"></script>
//   import { joinWithKit } from './uikit-example.mjs';
//   const zp = await joinWithKit({
//     url: 'https://tokens.example.com/v1/token',
//     credential: () => myLogin.currentJwt(),   // the app's login JWT
//     roomID: 'room-1', userName: 'Zoë', container: document.getElementById('call'),
//   });

import { fetchToken } from './zego-token-client.mjs';

/**
 * Fetches a kit token for `roomID` and joins the room with ZEGO's prebuilt UIKit.
 * @param {{url: string, credential: import('./zego-token-client').Credential, roomID: string,
 *          userName: string, container: HTMLElement, userID?: string, joinConfig?: object,
 *          kit?: any}} options  `kit` defaults to the page's global ZegoUIKitPrebuilt.
 * @returns {Promise<{zp: any, answer: import('./zego-token-client').TokenResponse}>}
 */
export async function joinWithKit({ url, credential, roomID, userName, container, userID, joinConfig = {}, kit }) {
  const Kit = kit ?? globalThis.ZegoUIKitPrebuilt;
  if (!Kit) throw new Error('load @zegocloud/zego-uikit-prebuilt first (global ZegoUIKitPrebuilt)');
  const request = { room_id: roomID, kit: { user_name: userName } };
  // API-key callers (backends) name the user; login-JWT callers get it from their JWT.
  if (userID !== undefined) request.user_id = userID;
  const answer = await fetchToken({ url, credential, request });
  const zp = Kit.create(answer.kit_token);
  zp.joinRoom({
    container,
    scenario: { mode: Kit.GroupCall },
    showPreJoinView: false,
    ...joinConfig,
  });
  return { zp, answer };
}
