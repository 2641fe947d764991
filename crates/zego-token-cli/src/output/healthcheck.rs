//! `healthcheck`: one line, on stdout when the service is healthy, on stderr when not.

use std::io::{self, Write};
use std::time::Duration;

use reqwest::StatusCode;

use super::quoted;
use super::time::span;

/// What the probe saw.
#[derive(Debug)]
pub(crate) enum Probe {
    /// The service answered.
    Answered {
        /// The HTTP status.
        status: StatusCode,
        /// What the body says about it.
        body: BodyStatus,
    },
    /// No answer within the timeout.
    NoAnswer {
        /// The timeout.
        timeout: Duration,
    },
    /// No answer: the connection or the request failed.
    Failed(String),
}

impl Probe {
    /// Whether the service answered 2xx.
    pub(crate) fn is_healthy(&self) -> bool {
        matches!(self, Self::Answered { status, .. } if status.is_success())
    }
}

/// The part of an answer's JSON body that says what is wrong.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum BodyStatus {
    /// `{"status": "..."}`, as `/healthz` and `/readyz` answer.
    Status(String),
    /// `{"error": {"code": "..."}}`, as the service's errors answer.
    ErrorCode(String),
    /// Neither (not JSON, or another shape).
    None,
}

impl BodyStatus {
    /// Reads `body`.
    pub(crate) fn of(body: &[u8]) -> Self {
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
            return Self::None;
        };
        let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
        if let Some(status) = text(value.get("status")) {
            Self::Status(status)
        } else if let Some(code) = text(value.get("error").and_then(|e| e.get("code"))) {
            Self::ErrorCode(code)
        } else {
            Self::None
        }
    }
}

/// Prints the probe's one line: `healthy: ...` on `out`, or `zego-token: unhealthy:
/// ...` on `err`.
///
/// # Errors
///
/// Writing failed.
pub(crate) fn print_probe(
    out: &mut dyn Write,
    err: &mut dyn Write,
    url: &str,
    probe: &Probe,
) -> io::Result<()> {
    let what = match probe {
        Probe::Answered { status, body } => {
            let body = match body {
                // Quoted: the body comes from the network, and stays on one line.
                BodyStatus::Status(s) => format!(", status {}", quoted(s)),
                BodyStatus::ErrorCode(c) => format!(", error {}", quoted(c)),
                BodyStatus::None => String::new(),
            };
            format!("{url} answered HTTP {status}{body}")
        }
        Probe::NoAnswer { timeout } => {
            format!("{url}: no answer within {}", span(timeout.as_secs()))
        }
        Probe::Failed(why) => format!("{url}: {why}"),
    };
    if probe.is_healthy() {
        writeln!(out, "healthy: {what}")
    } else {
        writeln!(err, "zego-token: unhealthy: {what}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_status() {
        assert_eq!(
            BodyStatus::of(br#"{"status":"draining"}"#),
            BodyStatus::Status("draining".into())
        );
        assert_eq!(
            BodyStatus::of(br#"{"error":{"code":"not_found","message":"x"}}"#),
            BodyStatus::ErrorCode("not_found".into())
        );
        assert_eq!(BodyStatus::of(b"<html>"), BodyStatus::None);
        assert_eq!(BodyStatus::of(br#"{"status":5}"#), BodyStatus::None);
        assert_eq!(BodyStatus::of(b""), BodyStatus::None);
    }

    #[test]
    fn one_line_on_the_right_stream() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let sick = Probe::Answered {
            status: StatusCode::SERVICE_UNAVAILABLE,
            body: BodyStatus::Status("a\nb".into()),
        };
        print_probe(&mut out, &mut err, "http://h/readyz", &sick).unwrap();
        assert!(out.is_empty());
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "zego-token: unhealthy: http://h/readyz answered HTTP 503 Service Unavailable, status \"a\\nb\"\n"
        );
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let well = Probe::Answered {
            status: StatusCode::OK,
            body: BodyStatus::None,
        };
        print_probe(&mut out, &mut err, "http://h/readyz", &well).unwrap();
        assert!(err.is_empty());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "healthy: http://h/readyz answered HTTP 200 OK\n"
        );
    }
}
