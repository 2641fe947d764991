//! Prints this crate's own known-answer vectors (fixed time, nonce and IV) as JSON.
//!
//! `cargo run -p zego-token --example vectors > crates/zego-token/tests/vectors/zego-token.json`
//! regenerates `tests/vectors/zego-token.json`; `tests/vectors.rs` fails when the file
//! and the generator disagree.

use std::time::Duration;

use zego_token::{CipherMode, Claims, Payload, RoomPayload, ServerSecret, dangerous, demo};

fn main() -> Result<(), zego_token::Error> {
    let secret = ServerSecret::new(demo::SECRET)?;
    let room = RoomPayload::new("room-1")
        .allow_publish()
        .streams(["s1", "s-2_x"])
        .build()?;
    let cases: Vec<(&str, Claims)> = vec![
        (
            "basic",
            Claims::new(demo::APP_ID, "user1", Duration::from_secs(3600)),
        ),
        (
            "privilege",
            Claims::new(demo::APP_ID, "user1", Duration::from_secs(3600)).payload(room),
        ),
        (
            "escapes",
            Claims::new(u32::MAX, "用户\"\\\u{1}", Duration::from_secs(86_400))
                .payload(Payload::raw("q\"uote \\ / <b>&amp;</b> é 😀 \n\t\u{7f}")),
        ),
        (
            "huge_expire",
            Claims::new(1, "u", Duration::from_secs(4_000_000_000)),
        ),
    ];
    let mut out = Vec::new();
    for (i, (case, claims)) in cases.iter().enumerate() {
        for mode in [CipherMode::Gcm, CipherMode::Cbc] {
            let n = u8::try_from(i).expect("few cases");
            let iv: Vec<u8> = (0..mode.iv_len())
                .map(|k| {
                    n.wrapping_mul(31)
                        .wrapping_add(u8::try_from(k).expect("short IV"))
                })
                .collect();
            let nonce = -7_000_000 * (i32::from(n) + 1);
            let ctime = 1_712_345_678 + 1000 * i64::from(n);
            let made = dangerous::generate_with_iv(&secret, claims, mode, ctime, nonce, &iv)?;
            out.push(serde_json::json!({
                "case": case,
                "mode": mode.as_str(),
                "app_id": claims.app_id(),
                "user_id": claims.user_id(),
                "effective_time_in_seconds": claims.lifetime().as_secs(),
                "payload": claims.payload_str(),
                "ctime": ctime,
                "nonce": nonce,
                "iv": iv,
                "token": made.token,
            }));
        }
    }
    let text = serde_json::to_string_pretty(&out).expect("JSON values serialize");
    println!("{text}");
    Ok(())
}
