//! The request id: the incoming `x-request-id` if it is 1 to 64 characters of
//! `[A-Za-z0-9._-]`, else a new one (the instance id and a process-wide sequence, 24
//! hex digits). Put in the request extensions as [`RequestId`] for the layers below
//! and echoed in the response's `x-request-id` ([`assign`], [`echo`]).

use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;

static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
static REQUEST_SEQ: AtomicU64 = AtomicU64::new(0);

/// The request's id (a request extension).
#[derive(Debug, Clone)]
pub(crate) struct RequestId(pub(crate) HeaderValue);

impl RequestId {
    /// The id as text (it is always ASCII).
    pub(crate) fn as_str(&self) -> &str {
        self.0.to_str().unwrap_or("")
    }
}

/// Gives `req` its id (a [`RequestId`] extension); returns it for [`echo`].
pub(crate) fn assign(req: &mut Request, prefix: u32) -> HeaderValue {
    let id = request_id(req, prefix);
    req.extensions_mut().insert(RequestId(id.clone()));
    id
}

/// Echoes the id in the response's `x-request-id`.
pub(crate) fn echo(resp: &mut Response, id: HeaderValue) {
    resp.headers_mut().insert(X_REQUEST_ID.clone(), id);
}

fn request_id(req: &Request, prefix: u32) -> HeaderValue {
    if let Some(v) = req.headers().get(&X_REQUEST_ID)
        && v.len() <= 64
        && !v.is_empty()
        && v.as_bytes()
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return v.clone();
    }
    let n = REQUEST_SEQ.fetch_add(1, Ordering::Relaxed);
    let mut buf = [0u8; 24];
    hex_id(&mut buf, prefix, n);
    HeaderValue::from_bytes(&buf).unwrap_or_else(|_| HeaderValue::from_static("0"))
}

fn hex_id(buf: &mut [u8; 24], prefix: u32, n: u64) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut v = (u128::from(prefix) << 64) | u128::from(n);
    for slot in buf.iter_mut().rev() {
        *slot = HEX[(v & 0xf) as usize];
        v >>= 4;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_fixed_width_hex() {
        let mut buf = [0u8; 24];
        hex_id(&mut buf, 0xdead_beef, 1);
        assert_eq!(&buf, b"deadbeef0000000000000001");
    }

    #[test]
    fn a_plain_incoming_id_is_kept_and_others_replaced() {
        let with = |v: &str| {
            Request::builder()
                .header("x-request-id", v)
                .body(axum::body::Body::empty())
                .unwrap()
        };
        assert_eq!(request_id(&with("abc-1_2.3"), 7), "abc-1_2.3");
        let long = "a".repeat(65);
        for bad in ["", "a b", "é", long.as_str()] {
            let id = request_id(&with(bad), 7);
            assert_eq!(id.len(), 24, "{bad:?}");
            assert!(id.to_str().unwrap().starts_with("00000007"), "{bad:?}");
        }
    }
}
