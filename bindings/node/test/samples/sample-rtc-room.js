// ZEGO's sample-rtc-room.js (room privilege token), written against zego-token: only
// the require line differs from the official sample. The demo app's ID and
// ServerSecret are filled in where the official sample leaves placeholders.

const { generateToken04 } = require('zego-token');

const appID = 1234567890; // type: number

const serverSecret = 'fa94dd0f974cf2e293728a526b028271'; // type: 32 byte length string

const userId = 'user1'; // type: string

const effectiveTimeInSeconds = 3600; // type: number; unit: s
const payloadObject = {
  room_id: 'room1',
  // login allowed, publish not allowed
  privilege: {
    1: 1, // loginRoom: 1 pass, 0 not pass
    2: 0, // publishStream: 1 pass, 0 not pass
  },
  stream_id_list: null,
};
const payload = JSON.stringify(payloadObject);
// Build token
const token = generateToken04(appID, userId, serverSecret, effectiveTimeInSeconds, payload);
console.log('token:', token);
