//! `zego-token healthcheck [URL]`: GET a running service's readiness URL, for container
//! HEALTHCHECKs and Kubernetes exec probes in images without curl.
//!
//! The client is reqwest (as the service's JWKS fetch), without redirects or proxies,
//! on a single-threaded runtime, bounded as a whole by `--timeout`. The answer's body is
//! read up to [`MAX_BODY`] bytes, only to name its `status` field.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use reqwest::{Url, redirect};

use super::{Ctx, Outcome};
use crate::cli::HealthcheckArgs;
use crate::output::healthcheck::{BodyStatus, Probe, print_probe};

/// How much of an answer's body is read to find its `status` field.
const MAX_BODY: usize = 64 * 1024;

/// `zego-token healthcheck`.
pub(crate) fn run(ctx: &mut Ctx<'_>, a: &HealthcheckArgs) -> Result<Outcome> {
    let url = parse_url(&a.url)?;
    if a.timeout == 0 {
        bail!("--timeout: 0 s leaves no time to answer; give more than 0, e.g. --timeout 3");
    }
    let timeout = Duration::from_secs(a.timeout);
    let shown = shown(&url);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the I/O runtime")?;
    let probe = runtime.block_on(probe(url, timeout))?;
    print_probe(ctx.out, ctx.err, &shown, &probe)?;
    Ok(Outcome::from_ok(probe.is_healthy()))
}

/// Checks the URL: it parses, is http or https, and carries no credentials.
///
/// # Errors
///
/// What is wrong with it; the text itself is not repeated (it may hold a password).
fn parse_url(text: &str) -> Result<Url> {
    let url = Url::parse(text).map_err(|e| {
        anyhow::anyhow!("URL: not a valid URL ({e}); give one such as http://127.0.0.1:8080/readyz")
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        bail!(
            "URL: the scheme is {:?}; healthcheck speaks http:// and https:// only",
            url.scheme()
        );
    }
    if !url.username().is_empty() || url.password().is_some() {
        bail!(
            "URL: it carries credentials (user:password@); healthcheck sends none, and on a command line they are readable by every user of the machine: remove them"
        );
    }
    Ok(url)
}

/// The URL as shown in the answer: without its query, which may carry a credential.
fn shown(url: &Url) -> String {
    let mut shown = url.clone();
    if shown.query().is_some() {
        shown.set_query(Some("redacted"));
    }
    shown.to_string()
}

/// GETs `url`: the status and the body's `status` field, or why there is no answer.
///
/// # Errors
///
/// Only when the client cannot be built; every network outcome is a [`Probe`].
async fn probe(url: Url, timeout: Duration) -> Result<Probe> {
    // reqwest is built without a TLS provider of its own (its default pulls aws-lc):
    // use ring's, unless one is installed already.
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Err only if another thread installed one meanwhile: that one is used.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(redirect::Policy::none())
        .no_proxy()
        .user_agent(concat!(
            "zego-token-healthcheck/",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .context("cannot build the HTTP client")?;
    let mut response = match client.get(url).send().await {
        Ok(r) => r,
        Err(e) => return Ok(failure(&e, timeout)),
    };
    let status = response.status();
    let mut body = Vec::new();
    // A body that fails or stops early only loses the `status` field: the status line
    // is the verdict.
    while let Ok(Some(chunk)) = response.chunk().await {
        body.extend_from_slice(&chunk);
        if body.len() >= MAX_BODY {
            break;
        }
    }
    Ok(Probe::Answered {
        status,
        body: BodyStatus::of(&body),
    })
}

/// Why no answer came.
fn failure(e: &reqwest::Error, timeout: Duration) -> Probe {
    if e.is_timeout() {
        return Probe::NoAnswer { timeout };
    }
    // The innermost cause says it plainly ("Connection refused (os error 111)", "invalid
    // peer certificate: UnknownIssuer"); the outer layers only wrap it.
    let mut cause: &dyn std::error::Error = e;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    let what = if e.is_connect() {
        "cannot connect"
    } else {
        "the request failed"
    };
    Probe::Failed(format!("{what}: {cause}"))
}
