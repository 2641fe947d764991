//! The token04 wire format, byte by byte (documentation only).
//!
//! ```text
//! token  = "04" + base64(body)            standard alphabet, '=' padding
//! body   = expire  : i64, big-endian       same value as the claims' expire
//!          iv_len  : u16, big-endian       16 (CBC) or 12 (GCM)
//!          iv      : iv_len bytes          CBC IV or GCM nonce
//!          ct_len  : u16, big-endian
//!          ct      : ct_len bytes          GCM: ciphertext || 16-byte tag
//!          [mode   : u8]                   absent or 0 = CBC, 1 = GCM
//!
//!  0        8    10            10+n  12+n              12+n+m  13+n+m
//!  +--------+----+---------------+----+-------------------+------+
//!  | expire |len | iv (n bytes)  |len | ct (m bytes)      | mode |
//!  +--------+----+---------------+----+-------------------+------+
//! ```
//!
//! The plaintext is a JSON object with six members, which this crate writes as
//!
//! ```text
//! {"app_id":1,"user_id":"demo","nonce":12345,"ctime":1700000000,"expire":1700003600,"payload":""}
//! ```
//!
//! and reads in any member order and JSON escaping (the official generators use four
//! member orders and seven escaping styles). `payload` is always a JSON *string*; a room
//! privilege payload is therefore JSON encoded twice:
//!
//! ```text
//! {"room_id":"room1","privilege":{"1":1,"2":0},"stream_id_list":["s1"]}
//! ```
//!
//! The key is the 32 ASCII bytes of the ServerSecret, used as an AES-256 key without
//! hex-decoding.
//!
//! ## Decisions this crate makes
//!
//! * IVs and nonces are random bytes from a CSPRNG (ChaCha12 seeded from the OS), never
//!   ASCII strings: 96 (GCM) or 128 (CBC) bits of entropy instead of at most 82.
//! * The claims nonce spans the full signed 32-bit range.
//! * The ciphertext length is checked against the u16 field before encrypting; the
//!   official Go, Node, Java and PHP generators silently write a wrapped length instead.
//! * Decryption failures are one opaque error, so no service built on this crate is a
//!   CBC padding oracle.
