// ESM entry point of zego-token: the same objects as the CommonJS entry (index.js), so
// `import` and `require` in one process share one addon and one TokenError class.
import cjs from './index.js';

export const {
  generateToken04,
  ErrorCode,
  ServerSecret,
  TokenError,
  generate,
  decode,
  verify,
  inspect,
  kitToken,
  parseKitToken,
  dangerous,
} = cjs;

export default cjs;
