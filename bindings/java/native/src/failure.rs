//! What a native call can fail with, and how each failure becomes a Java exception.
//!
//! Everything here is plain Rust (no JVM needed), so it is unit-tested by `cargo test`.

use std::fmt;

use zego_token::Error;

/// Every way a native entry point can fail.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The core refused the input or the token.
    Core(Error),
    /// A Java value does not fit the core's type (an app id outside `u32`, a negative
    /// lifetime): reported like the core's input errors.
    Input {
        /// The field, spelled as the core's `Field::name`.
        field: &'static str,
        /// The official generators' error code for this field.
        official: Option<u32>,
        /// What is wrong and what is expected.
        message: String,
    },
    /// A required argument was `null` (a `NullPointerException`).
    Null(&'static str),
    /// The `ServerSecret` handle is 0: the secret was closed.
    Closed,
    /// The JNI layer itself failed (out of memory, a pending exception).
    Jni(jni::errors::Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Self::Core(e)
    }
}

impl From<jni::errors::Error> for Failure {
    fn from(e: jni::errors::Error) -> Self {
        Self::Jni(e)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Core(e) => e.fmt(f),
            Self::Input { field, message, .. } => write!(f, "invalid {field}: {message}"),
            Self::Null(name) => write!(f, "{name} is null"),
            Self::Closed => f.write_str("the ServerSecret is closed"),
            Self::Jni(e) => write!(f, "JNI call failed: {e}"),
        }
    }
}

impl std::error::Error for Failure {}

/// The arguments of `TokenException.fromNative`: everything Java needs to build the
/// right exception subclass.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ExceptionParts {
    pub(crate) kind: &'static str,
    pub(crate) message: String,
    pub(crate) advice: &'static str,
    /// ZEGO Express SDK code, or -1.
    pub(crate) zego_code: i32,
    /// ZIM SDK code, or -1.
    pub(crate) zim_code: i32,
    /// The official generators' code (1, 3, 5, 6), or -1.
    pub(crate) official_code: i32,
    /// The input field at fault (`invalid_input` only), or "".
    pub(crate) field: &'static str,
}

const INPUT_ADVICE: &str = "Correct the named input and generate again.";

fn code(c: Option<u32>) -> i32 {
    c.and_then(|c| i32::try_from(c).ok()).unwrap_or(-1)
}

impl ExceptionParts {
    /// The parts of a token exception, or `None` for failures that are not about tokens
    /// (null arguments, a closed secret, JNI errors).
    pub(crate) fn of(failure: &Failure) -> Option<Self> {
        match failure {
            Failure::Core(e) => Some(Self {
                kind: e.kind(),
                message: e.to_string(),
                advice: e.advice(),
                zego_code: code(e.zego_code()),
                zim_code: code(e.zim_code()),
                official_code: code(e.official_code()),
                field: match e {
                    Error::InvalidInput(i) => i.field().name(),
                    _ => "",
                },
            }),
            Failure::Input {
                field, official, ..
            } => Some(Self {
                kind: "invalid_input",
                message: failure.to_string(),
                advice: INPUT_ADVICE,
                zego_code: -1,
                zim_code: -1,
                official_code: code(*official),
                field,
            }),
            Failure::Null(_) | Failure::Closed | Failure::Jni(_) => None,
        }
    }
}

/// Converts a Java `long` app id to the core's `u32`.
pub(crate) fn app_id(value: i64) -> Result<u32, Failure> {
    u32::try_from(value).map_err(|_| Failure::Input {
        field: "app_id",
        official: Some(1),
        message: format!(
            "app_id is {value}; an AppID is an unsigned 32-bit number (1 to 4294967295) from ZEGO's console"
        ),
    })
}

/// Converts a lifetime given as Java seconds + nanoseconds to a `Duration`; the core then
/// checks that it is a positive whole number of seconds.
pub(crate) fn lifetime(seconds: i64, nanos: i32) -> Result<std::time::Duration, Failure> {
    let invalid = || Failure::Input {
        field: "effective_time_in_seconds",
        official: Some(6),
        message: format!("the lifetime is {seconds} s; it must be more than 0 seconds"),
    };
    let secs = u64::try_from(seconds).map_err(|_| invalid())?;
    let nanos = u32::try_from(nanos)
        .ok()
        .filter(|n| *n < 1_000_000_000)
        .ok_or_else(invalid)?;
    Ok(std::time::Duration::new(secs, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_ids_outside_u32_are_input_errors_with_code_1() {
        assert_eq!(app_id(1).ok(), Some(1));
        assert_eq!(app_id(4_294_967_295).ok(), Some(u32::MAX));
        for bad in [-1, 4_294_967_296, i64::MIN] {
            let f = app_id(bad).unwrap_err();
            let p = ExceptionParts::of(&f).unwrap();
            assert_eq!(
                (p.kind, p.official_code, p.field),
                ("invalid_input", 1, "app_id")
            );
            assert!(p.message.contains(&bad.to_string()), "{}", p.message);
        }
    }

    #[test]
    fn negative_lifetimes_are_input_errors_with_code_6() {
        assert_eq!(lifetime(5, 0).ok(), Some(std::time::Duration::from_secs(5)));
        let p = ExceptionParts::of(&lifetime(-5, 0).unwrap_err()).unwrap();
        assert_eq!(p.official_code, 6);
        assert!(p.message.contains("-5 s"), "{}", p.message);
        assert!(lifetime(1, 1_000_000_000).is_err());
    }

    #[test]
    fn core_errors_carry_their_codes() {
        let e = zego_token::ServerSecret::new("short").unwrap_err();
        let p = ExceptionParts::of(&Failure::Core(e)).unwrap();
        assert_eq!(p.kind, "invalid_input");
        assert_eq!(p.official_code, 5);
        assert_eq!(p.field, "secret");
        assert_eq!((p.zego_code, p.zim_code), (-1, -1));

        let e = zego_token::inspect("03abc").unwrap_err();
        let p = ExceptionParts::of(&Failure::Core(e)).unwrap();
        assert_eq!(p.kind, "wrong_version");
        assert_eq!((p.zego_code, p.zim_code), (1_002_079, 6_000_107));
        assert_eq!(p.field, "");
    }

    #[test]
    fn non_token_failures_have_no_parts() {
        assert!(ExceptionParts::of(&Failure::Null("userId")).is_none());
        assert!(ExceptionParts::of(&Failure::Closed).is_none());
        assert_eq!(Failure::Null("userId").to_string(), "userId is null");
    }
}
