// ZEGO's sample-base.js (basic token), written against zego-token: only the require
// line differs from the official sample. The demo app's ID and ServerSecret are filled
// in where the official sample leaves placeholders.

const { generateToken04 } = require('zego-token');

const appID = 1234567890; // type: number

const serverSecret = 'fa94dd0f974cf2e293728a526b028271'; // type: 32 byte length string

const userId = 'user1'; // type: string

const effectiveTimeInSeconds = 3600; // type: number; unit: s

// A basic token: the payload is the empty string.
const payload = '';
// Build token
const token = generateToken04(appID, userId, serverSecret, effectiveTimeInSeconds, payload);
console.log('token:', token);
