//! Rust-side tests of the boundary: pointer checks, ownership round trips, the vectors.
//! The C test (`tests/c/test_ffi.c`) calls the same functions from C under ASan.

#![allow(unsafe_code)] // The tests call the C ABI as a C caller would.

use std::ffi::{CStr, c_char};
use std::ptr;

use crate::*;

const SECRET: &str = "fa94dd0f974cf2e293728a526b028271";

fn p(s: &str) -> *const c_char {
    s.as_ptr().cast()
}

/// Takes an error apart (and frees it): (status, kind, field, official, zego, zim, message).
fn take_error(e: *mut ZegoTokenError) -> (i32, String, Option<String>, u32, u32, u32, String) {
    assert!(!e.is_null());
    // SAFETY: a live error from the library.
    unsafe {
        let r = &*e;
        let s = |p: *const c_char| CStr::from_ptr(p).to_str().unwrap().to_owned();
        let out = (
            r.status,
            s(r.kind),
            (!r.field.is_null()).then(|| s(r.field)),
            r.official_code,
            r.zego_code,
            r.zim_code,
            s(r.message),
        );
        assert!(!s(r.advice).is_empty());
        zego_token_error_free(e);
        out
    }
}

fn new_secret() -> *mut ZegoTokenSecret {
    let mut s = ptr::null_mut();
    // SAFETY: valid pointers.
    let st = unsafe { zego_token_secret_new(p(SECRET), SECRET.len(), &mut s, ptr::null_mut()) };
    assert_eq!(st, ZEGO_TOKEN_OK);
    s
}

#[test]
fn official_call_codes_and_order() {
    let call = |app: u32, user: &[u8], secret: &[u8], t: i64| {
        let mut tok = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid pointers and lengths.
        let st = unsafe {
            zego_token_generate_token04(
                app,
                user.as_ptr().cast(),
                user.len(),
                secret.as_ptr().cast(),
                secret.len(),
                t,
                ptr::null(),
                0,
                &mut tok,
                ptr::null_mut(),
                &mut err,
            )
        };
        if st == ZEGO_TOKEN_OK {
            assert!(err.is_null());
            // SAFETY: a library string.
            let t = unsafe { CStr::from_ptr(tok) }.to_str().unwrap().to_owned();
            // SAFETY: returned by the library.
            unsafe { zego_token_string_free(tok) };
            Ok(t)
        } else {
            assert!(tok.is_null());
            Err(take_error(err))
        }
    };
    assert!(
        call(1, b"u", SECRET.as_bytes(), 60)
            .unwrap()
            .starts_with("04")
    );
    assert_eq!(call(0, b"", b"", 0).unwrap_err().3, 1);
    assert_eq!(call(1, b"", b"", 0).unwrap_err().3, 3);
    assert_eq!(call(1, b"u", b"short", 0).unwrap_err().3, 5);
    assert_eq!(call(1, b"u", SECRET.as_bytes(), 0).unwrap_err().3, 6);
    // Invalid UTF-8: user_id is code 3, but app_id 0 still comes first.
    let e = call(1, b"\xff", SECRET.as_bytes(), 60).unwrap_err();
    assert_eq!(
        (e.0, e.2.as_deref(), e.3),
        (ZEGO_TOKEN_STATUS_INVALID_INPUT, Some("user_id"), 3)
    );
    assert!(e.6.contains("UTF-8"), "{}", e.6);
    assert_eq!(call(0, b"\xff", SECRET.as_bytes(), 60).unwrap_err().3, 1);
    // A secret that is not text: code 5, after the user_id check; the text is not echoed.
    let bad = [0xffu8; 32];
    let e = call(1, b"u", &bad, 60).unwrap_err();
    assert_eq!((e.3, e.2.as_deref()), (5, Some("secret")));
    assert_eq!(call(1, b"", &bad, 60).unwrap_err().3, 3);
    let e = call(1, b"u", b"tooshort-secret-value", 60).unwrap_err();
    assert!(!e.6.contains("tooshort"), "{}", e.6);
}

#[test]
fn null_pointers_are_errors_not_crashes() {
    let mut err = ptr::null_mut();
    // SAFETY: NULL where the API allows checking it.
    let st = unsafe {
        zego_token_generate_token04(
            1,
            p("u"),
            1,
            p(SECRET),
            32,
            60,
            ptr::null(),
            0,
            ptr::null_mut(),
            ptr::null_mut(),
            &mut err,
        )
    };
    assert_eq!(st, ZEGO_TOKEN_STATUS_INVALID_ARGUMENT);
    let e = take_error(err);
    assert_eq!(
        (e.1.as_str(), e.2.as_deref()),
        ("invalid_argument", Some("token_out"))
    );
    let mut tok = ptr::null_mut();
    // SAFETY: NULL text with a length: checked, never read.
    let st = unsafe {
        zego_token_generate_token04(
            1,
            ptr::null(),
            3,
            p(SECRET),
            32,
            60,
            ptr::null(),
            0,
            &mut tok,
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    assert_eq!(st, ZEGO_TOKEN_STATUS_INVALID_ARGUMENT);
    let mut d = ptr::null_mut();
    // SAFETY: NULL secret handle, checked.
    let st = unsafe { zego_token_decode(ptr::null(), p("04"), 2, &mut d, &mut err) };
    assert_eq!(st, ZEGO_TOKEN_STATUS_INVALID_ARGUMENT);
    assert_eq!(take_error(err).2.as_deref(), Some("secret"));
    // SAFETY: NULL validation, checked.
    assert_eq!(
        unsafe { zego_token_validation_init(ptr::null_mut(), 1) },
        ZEGO_TOKEN_STATUS_INVALID_ARGUMENT
    );
}

#[test]
fn generate_decode_verify_round_trip() {
    let s = new_secret();
    let mut payload = ptr::null_mut();
    let mut payload_len = 0;
    let streams = [
        ZegoTokenStr {
            ptr: p("s1"),
            len: 2,
        },
        ZegoTokenStr {
            ptr: p("s-2"),
            len: 3,
        },
    ];
    // SAFETY: valid pointers and lengths.
    let st = unsafe {
        zego_token_room_payload(
            p("room-1"),
            6,
            1,
            1,
            streams.as_ptr(),
            2,
            &mut payload,
            &mut payload_len,
            ptr::null_mut(),
        )
    };
    assert_eq!(st, ZEGO_TOKEN_OK);
    let mut g = ptr::null_mut();
    // SAFETY: valid pointers.
    let st = unsafe {
        zego_token_generate_at(
            s,
            7,
            p("alice"),
            5,
            3600,
            payload,
            payload_len,
            ZEGO_TOKEN_MODE_CBC,
            1_700_000_000,
            &mut g,
            ptr::null_mut(),
        )
    };
    assert_eq!(st, ZEGO_TOKEN_OK);
    // SAFETY: live results.
    unsafe {
        let gen_ = &*g;
        assert_eq!(
            (gen_.ctime, gen_.expire, gen_.mode),
            (1_700_000_000, 1_700_003_600, ZEGO_TOKEN_MODE_CBC)
        );
        let mut v = std::mem::zeroed::<ZegoTokenValidation>();
        assert_eq!(zego_token_validation_init(&mut v, 7), ZEGO_TOKEN_OK);
        v.use_fixed_now = 1;
        v.now = 1_700_000_100;
        v.room_id = ZegoTokenStr {
            ptr: p("room-1"),
            len: 6,
        };
        v.stream_id = ZegoTokenStr {
            ptr: p("s-2"),
            len: 3,
        };
        let mut d = ptr::null_mut();
        let st = zego_token_verify(
            s,
            gen_.token.ptr,
            gen_.token.len,
            &v,
            &mut d,
            ptr::null_mut(),
        );
        assert_eq!(st, ZEGO_TOKEN_OK);
        let dd = &*d;
        assert_eq!(dd.payload_kind, ZEGO_TOKEN_PAYLOAD_ROOM);
        let room = &*dd.room;
        assert_eq!(
            (
                room.can_login,
                room.can_publish,
                room.has_stream_list,
                room.stream_count
            ),
            (1, 1, 1, 2)
        );
        zego_token_decoded_free(d);
        v.stream_id = ZegoTokenStr {
            ptr: p("s3"),
            len: 2,
        };
        let mut err = ptr::null_mut();
        let st = zego_token_verify(s, gen_.token.ptr, gen_.token.len, &v, &mut d, &mut err);
        assert_eq!(st, ZEGO_TOKEN_STATUS_STREAM_NOT_ALLOWED);
        assert!(d.is_null());
        assert_eq!(take_error(err).4, 1_003_072);
        v.now = 1_800_000_000;
        let st = zego_token_verify(
            s,
            gen_.token.ptr,
            gen_.token.len,
            &v,
            ptr::null_mut(),
            &mut err,
        );
        assert_eq!(st, ZEGO_TOKEN_STATUS_EXPIRED);
        let e = take_error(err);
        assert_eq!((e.1.as_str(), e.4, e.5), ("expired", 1_002_078, 6_000_106));
        zego_token_generated_free(g);
        zego_token_string_free(payload);
        zego_token_secret_free(s);
    }
}

#[test]
fn decodes_every_official_vector() {
    #[derive(serde::Deserialize)]
    struct V {
        source: String,
        case: String,
        mode: String,
        app_id: u32,
        user_id: String,
        secret: String,
        ctime: i64,
        expire: i64,
        nonce: i64,
        payload: String,
        iv_hex: String,
        token: String,
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../zego-token/tests/vectors/token04.json"
    );
    let vectors: Vec<V> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(vectors.len(), 71);
    for v in &vectors {
        let name = format!("{}/{}", v.source, v.case);
        let mut s = ptr::null_mut();
        let mut d = ptr::null_mut();
        // SAFETY: valid pointers; results freed below.
        unsafe {
            assert_eq!(
                zego_token_secret_new(p(&v.secret), v.secret.len(), &mut s, ptr::null_mut()),
                ZEGO_TOKEN_OK
            );
            assert_eq!(
                zego_token_decode(s, p(&v.token), v.token.len(), &mut d, ptr::null_mut()),
                ZEGO_TOKEN_OK,
                "{name}"
            );
            let dd = &*d;
            let text = |t: ZegoTokenStr| {
                std::str::from_utf8(std::slice::from_raw_parts(t.ptr.cast::<u8>(), t.len))
                    .unwrap()
                    .to_owned()
            };
            assert_eq!(
                (dd.app_id, dd.ctime, dd.expire, dd.header_expire, dd.nonce),
                (v.app_id, v.ctime, v.expire, v.expire, v.nonce),
                "{name}"
            );
            assert_eq!(text(dd.user_id), v.user_id, "{name}");
            assert_eq!(text(dd.payload), v.payload, "{name}");
            assert_eq!(
                hex::encode(std::slice::from_raw_parts(dd.iv, dd.iv_len)),
                v.iv_hex,
                "{name}"
            );
            let mode = if v.mode == "gcm" {
                ZEGO_TOKEN_MODE_GCM
            } else {
                ZEGO_TOKEN_MODE_CBC
            };
            assert_eq!(dd.mode, mode, "{name}");
            // The library's notes on the token: every CBC vector is legacy CBC.
            let rules: Vec<String> = warning_list(dd.warnings, dd.warning_count)
                .into_iter()
                .map(|w| w.0)
                .collect();
            assert_eq!(
                rules.contains(&"legacy_cbc".to_owned()),
                v.mode == "cbc",
                "{name}: {rules:?}"
            );
            let mut h = std::mem::zeroed::<ZegoTokenHeader>();
            assert_eq!(
                zego_token_inspect(p(&v.token), v.token.len(), &mut h, ptr::null_mut()),
                ZEGO_TOKEN_OK
            );
            assert_eq!(
                (h.expire, h.mode, usize::from(h.iv_len)),
                (v.expire, mode, dd.iv_len)
            );
            zego_token_decoded_free(d);
            zego_token_secret_free(s);
        }
    }
}

#[test]
fn malformed_and_non_utf8_tokens() {
    let s = new_secret();
    let mut err = ptr::null_mut();
    let mut d = ptr::null_mut();
    // SAFETY: valid pointers.
    unsafe {
        assert_eq!(
            zego_token_decode(s, p("03abc"), 5, &mut d, &mut err),
            ZEGO_TOKEN_STATUS_WRONG_VERSION
        );
        assert_eq!(take_error(err).4, 1_002_079);
        let bad = b"04\xff\xfe";
        assert_eq!(
            zego_token_decode(s, bad.as_ptr().cast(), 4, &mut d, &mut err),
            ZEGO_TOKEN_STATUS_MALFORMED
        );
        let e = take_error(err);
        assert_eq!((e.4, e.5), (1_002_075, 6_000_103));
        assert!(d.is_null());
        zego_token_secret_free(s);
    }
}

#[test]
fn version_strings() {
    assert_eq!(zego_token_abi_version(), ZEGO_TOKEN_ABI_VERSION);
    // SAFETY: a static NUL-terminated string.
    let v = unsafe { CStr::from_ptr(zego_token_version()) };
    assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
}

/// The warnings of a generated or decoded token: (rule, product, code, blocking).
fn warning_list(p: *const ZegoTokenWarning, n: usize) -> Vec<(String, String, u32, u8)> {
    if n == 0 {
        assert!(p.is_null());
        return Vec::new();
    }
    // SAFETY: `n` warnings owned by a live result.
    unsafe { std::slice::from_raw_parts(p, n) }
        .iter()
        .map(|w| {
            // SAFETY: NUL-terminated library strings.
            let s = |p: *const c_char| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
            assert!(!s(w.message).is_empty());
            (s(w.rule), s(w.product), w.code, w.blocking)
        })
        .collect()
}

#[test]
fn sdk_warnings_on_generate_and_decode() {
    let s = new_secret();
    let mut g = ptr::null_mut();
    // SAFETY: valid pointers; results freed below.
    unsafe {
        assert_eq!(
            zego_token_generate(
                s,
                7,
                p("a b"),
                3,
                10,
                ptr::null(),
                0,
                ZEGO_TOKEN_MODE_GCM,
                &mut g,
                ptr::null_mut()
            ),
            ZEGO_TOKEN_OK
        );
        let w = warning_list((*g).warnings, (*g).warning_count);
        assert!(
            w.contains(&("user_id_charset".into(), "rtc".into(), 1_002_006, 1)),
            "{w:?}"
        );
        assert!(
            w.iter().any(|w| w.0 == "ttl_too_short" && w.2 == 6_000_108),
            "{w:?}"
        );
        let mut d = ptr::null_mut();
        assert_eq!(
            zego_token_decode(s, (*g).token.ptr, (*g).token.len, &mut d, ptr::null_mut()),
            ZEGO_TOKEN_OK
        );
        assert_eq!(warning_list((*d).warnings, (*d).warning_count), w);
        zego_token_decoded_free(d);
        zego_token_generated_free(g);
        // A clean token has none.
        assert_eq!(
            zego_token_generate(
                s,
                7,
                p("alice"),
                5,
                3600,
                ptr::null(),
                0,
                ZEGO_TOKEN_MODE_GCM,
                &mut g,
                ptr::null_mut()
            ),
            ZEGO_TOKEN_OK
        );
        assert!(warning_list((*g).warnings, (*g).warning_count).is_empty());
        zego_token_generated_free(g);
        zego_token_secret_free(s);
    }
}

#[test]
fn a_panic_becomes_an_internal_error() {
    let mut err = ptr::null_mut();
    // SAFETY: a valid error slot.
    let st = unsafe { crate::api::run(&mut err, || panic!("a deliberate panic in a test")) };
    assert_eq!(st, ZEGO_TOKEN_STATUS_INTERNAL);
    let e = take_error(err);
    assert_eq!(
        (e.0, e.1.as_str(), e.2),
        (ZEGO_TOKEN_STATUS_INTERNAL, "internal", None)
    );
    assert!(
        !e.6.contains("deliberate"),
        "the panic text stays inside: {}",
        e.6
    );
    // Without an error slot the status alone comes back.
    // SAFETY: NULL is allowed.
    let st = unsafe { crate::api::run(ptr::null_mut(), || panic!("again")) };
    assert_eq!(st, ZEGO_TOKEN_STATUS_INTERNAL);
}

#[test]
fn mutated_tokens_never_crash_or_pass() {
    let s = new_secret();
    let mut g = ptr::null_mut();
    // SAFETY: valid pointers; results freed below.
    unsafe {
        assert_eq!(
            zego_token_generate_at(
                s,
                7,
                p("alice"),
                5,
                3600,
                ptr::null(),
                0,
                ZEGO_TOKEN_MODE_GCM,
                1_700_000_000,
                &mut g,
                ptr::null_mut()
            ),
            ZEGO_TOKEN_OK
        );
        let token =
            std::slice::from_raw_parts((*g).token.ptr.cast::<u8>(), (*g).token.len).to_vec();
        zego_token_generated_free(g);
        for i in 2..token.len() {
            for b in [b'A', b'/', b'=', 0xff, 0] {
                if token[i] == b {
                    continue;
                }
                let mut t = token.clone();
                t[i] = b;
                let mut d = ptr::null_mut();
                let mut err = ptr::null_mut();
                let st = zego_token_decode(s, t.as_ptr().cast(), t.len(), &mut d, &mut err);
                // A changed character either breaks the format or the GCM tag; the only
                // exception is a base64 character whose changed bits are padding bits.
                if st == ZEGO_TOKEN_OK {
                    assert_eq!((*d).user_id.len, 5);
                    zego_token_decoded_free(d);
                } else {
                    assert!(d.is_null());
                    let e = take_error(err);
                    assert!(
                        ["malformed", "wrong_version", "decrypt"].contains(&e.1.as_str()),
                        "{e:?}"
                    );
                }
            }
        }
        zego_token_secret_free(s);
    }
}
