// Type-checks the typings from CommonJS (require).

import zt = require('zego-token');

const secret = new zt.ServerSecret('fa94dd0f974cf2e293728a526b028271');
const token: string = zt.generateToken04(1234567890, 'user1', 'fa94dd0f974cf2e293728a526b028271', 3600);
const expire: number = zt.verify(token, secret, { appId: 1234567890 }).claims.expire;

export = expire;
