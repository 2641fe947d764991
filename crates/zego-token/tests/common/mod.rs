//! The official vectors of `tests/vectors/token04.json`, shared by the test binaries.
#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(
    unreachable_pub,
    reason = "a test helper module, public to its test binaries"
)]

use serde::Deserialize;
use zego_token::{CipherMode, ServerSecret};

#[derive(Debug, Deserialize)]
pub struct Vector {
    pub source: String,
    pub mode: String,
    pub case: String,
    pub app_id: u32,
    pub user_id: String,
    pub secret: String,
    pub ctime: i64,
    pub effective_time_in_seconds: i64,
    pub expire: i64,
    pub nonce: i64,
    pub payload: String,
    pub iv_hex: String,
    pub plaintext: String,
    pub token: String,
}

impl Vector {
    pub fn name(&self) -> String {
        format!("{}/{}", self.source, self.case)
    }
    pub fn mode(&self) -> CipherMode {
        self.mode.parse().expect("mode is gcm or cbc")
    }
    pub fn secret(&self) -> ServerSecret {
        ServerSecret::new(&self.secret).expect("vector secrets are 32 characters")
    }
    pub fn iv(&self) -> Vec<u8> {
        hex::decode(&self.iv_hex).expect("iv_hex is hex")
    }
}

/// Every vector in the file.
pub fn vectors() -> Vec<Vector> {
    serde_json::from_str(include_str!("../vectors/token04.json")).expect("token04.json parses")
}
