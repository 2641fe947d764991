//! Changing a token in any way gives an error, never a panic or a wrong success
//! (within what each cipher mode can promise: CBC has no integrity protection).

#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test is a failure with its location"
)]

mod common;

use std::sync::Arc;

use base64_simd::STANDARD;
use common::{Vector, vectors};
use zego_token::{CipherMode, Error, FixedClock, ServerSecret, Validation};

fn pick(source: &str, case: &str) -> Vector {
    vectors()
        .into_iter()
        .find(|v| v.source == source && v.case == case)
        .expect("vector exists")
}

fn body(token: &str) -> Vec<u8> {
    STANDARD
        .decode_to_vec(&token[2..])
        .expect("vector tokens are base64")
}

fn token(body: &[u8]) -> String {
    format!("04{}", STANDARD.encode_to_string(body))
}

fn validation(v: &Vector) -> Validation {
    Validation::new(v.app_id)
        .user_id(v.user_id.clone())
        .clock(Arc::new(FixedClock(v.ctime)))
}

/// Offsets of the fields in a body: (iv start, ct_len start, ct start, end of ct).
fn layout(b: &[u8]) -> (usize, usize, usize, usize) {
    let iv_len = usize::from(u16::from_be_bytes([b[8], b[9]]));
    let ct_len_at = 10 + iv_len;
    let ct_len = usize::from(u16::from_be_bytes([b[ct_len_at], b[ct_len_at + 1]]));
    (10, ct_len_at, ct_len_at + 2, ct_len_at + 2 + ct_len)
}

#[test]
fn gcm_every_bit_flip_is_rejected() {
    for source in [
        "go-gcm-reference",
        "python-gcm-reference",
        "java-gcm-reference",
    ] {
        let v = pick(source, "rtc_room");
        assert_eq!(v.mode, "gcm");
        let secret = ServerSecret::new(&v.secret).unwrap();
        let original = body(&v.token);
        zego_token::verify(&v.token, &secret, &validation(&v)).unwrap();
        for i in 0..original.len() {
            for bit in 0..8 {
                let mut b = original.clone();
                b[i] ^= 1 << bit;
                let r = zego_token::verify(&token(&b), &secret, &validation(&v));
                assert!(
                    matches!(
                        r,
                        Err(Error::Decrypt | Error::Malformed(_) | Error::InvalidClaims(_))
                    ),
                    "{source}: byte {i} bit {bit}: {r:?}"
                );
            }
        }
    }
}

#[test]
fn cbc_flips_outside_the_iv_are_rejected_and_iv_flips_show_malleability() {
    for source in [
        "go-cbc-reference",
        "java-cbc-reference",
        "php-cbc-reference",
    ] {
        let v = pick(source, "basic");
        assert_eq!(v.mode, "cbc");
        let secret = ServerSecret::new(&v.secret).unwrap();
        let original = body(&v.token);
        let (iv_at, ct_len_at, _, _) = layout(&original);
        let mut iv_successes = 0;
        for i in 0..original.len() {
            for bit in 0..8 {
                let mut b = original.clone();
                b[i] ^= 1 << bit;
                let r = zego_token::verify(&token(&b), &secret, &validation(&v));
                let in_iv = (iv_at..ct_len_at).contains(&i);
                match r {
                    Ok(d) if in_iv => {
                        // CBC malleability: an IV flip flips the same bit of the first
                        // plaintext block, undetected. The README warns about exactly this.
                        assert_eq!(d.mode, CipherMode::Cbc);
                        iv_successes += 1;
                    }
                    Ok(_) => panic!("{source}: byte {i} bit {bit} outside the IV was accepted"),
                    Err(_) => {}
                }
            }
        }
        // Whatever the IV flips did, most of them broke the JSON or the app_id.
        assert!(iv_successes < 16 * 8, "{source}: {iv_successes}");
    }
}

#[test]
fn truncation_and_extension_are_rejected() {
    for (source, case) in [
        ("node-gcm-reference", "basic"),
        ("node-cbc-reference", "basic"),
    ] {
        let v = pick(source, case);
        let secret = ServerSecret::new(&v.secret).unwrap();
        let original = body(&v.token);
        for n in 0..original.len() {
            let r = zego_token::verify(&token(&original[..n]), &secret, &validation(&v));
            assert!(r.is_err(), "{source}: cut to {n} bytes was accepted");
        }
        for extra in [&[0u8][..], &[1], &[1, 1], &[0xff; 17]] {
            let mut b = original.clone();
            b.extend_from_slice(extra);
            let r = zego_token::verify(&token(&b), &secret, &validation(&v));
            // A CBC token may take one explicit mode byte 0; nothing else may be added.
            if v.mode == "cbc" && extra == [0] {
                assert!(r.is_ok(), "{source}: explicit CBC mode byte refused: {r:?}");
            } else {
                assert!(r.is_err(), "{source}: extended by {extra:?} was accepted");
            }
        }
        // Text-level damage: cut characters, a space inside, wrong version.
        for bad in [
            v.token[..v.token.len() - 1].to_owned(),
            format!("{} {}", &v.token[..10], &v.token[10..]),
            format!("03{}", &v.token[2..]),
            v.token.replace('A', "-"),
        ] {
            assert!(zego_token::verify(&bad, &secret, &validation(&v)).is_err());
        }
    }
}

#[test]
fn harmless_paste_damage_is_undone_and_the_rest_named() {
    for v in vectors() {
        let secret = ServerSecret::new(&v.secret).unwrap();
        let (head, tail) = v.token.split_at(40.min(v.token.len()));
        let encoded = v
            .token
            .replace('+', "%2B")
            .replace('/', "%2f")
            .replace('=', "%3D");
        for pasted in [
            format!("  \"{}\"\n", v.token),
            format!("'{}'", v.token),
            format!("`{}`", v.token),
            format!("{head}\r\n{tail}"),
            format!("{head}\n{tail}\n"),
            encoded,
        ] {
            let d = zego_token::decode(&pasted, &secret)
                .unwrap_or_else(|e| panic!("{}: {pasted:?}: {e}", v.source));
            assert_eq!(d.claims.user_id, v.user_id);
        }
        if v.token.contains('+') {
            assert_eq!(
                zego_token::inspect(&v.token.replace('+', " ")).unwrap_err(),
                Error::Malformed(zego_token::Malformed::UrlDecoded),
                "{}",
                v.source
            );
        }
        assert_eq!(
            zego_token::inspect(&format!("{}#e30=", v.token)).unwrap_err(),
            Error::Malformed(zego_token::Malformed::KitToken)
        );
    }
}

#[test]
fn every_ciphertext_is_refused_under_another_secret() {
    let v = pick("go-gcm-reference", "basic");
    let other = ServerSecret::new("ffffffffffffffffffffffffffffffff").unwrap();
    assert_eq!(
        zego_token::decode(&v.token, &other).unwrap_err(),
        Error::Decrypt
    );
    let v = pick("go-cbc-reference", "basic");
    assert_eq!(
        zego_token::decode(&v.token, &other).unwrap_err(),
        Error::Decrypt
    );
}
