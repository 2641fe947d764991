'use strict';
// Shared by the tests: where the official vectors are, and the demo app.

const fs = require('node:fs');
const path = require('node:path');

// The 71 official vectors, read from the repository (never copied). The tests run
// either in place (bindings/node/test) or copied into a fresh project by the CI part,
// which then points ZEGO_TOKEN_VECTORS at the file.
const VECTORS_PATH =
  process.env.ZEGO_TOKEN_VECTORS ||
  path.join(__dirname, '..', '..', '..', 'crates', 'zego-token', 'tests', 'vectors', 'token04.json');

function loadVectors() {
  return JSON.parse(fs.readFileSync(VECTORS_PATH, 'utf8'));
}

// ZEGO's public demo app (published in the vectors; ZEGO's servers refuse it).
const APP_ID = 1234567890;
const SECRET = 'fa94dd0f974cf2e293728a526b028271';

module.exports = { loadVectors, VECTORS_PATH, APP_ID, SECRET };
