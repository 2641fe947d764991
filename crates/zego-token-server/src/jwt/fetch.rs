//! Fetching a JWKS document over HTTP(S): bounded in time and size, HTTPS only except
//! on loopback, no redirects.

use std::net::IpAddr;

use reqwest::Url;
use reqwest::redirect;

use super::keys::{KeySet, parse_jwks};
use super::{JWKS_FETCH_TIMEOUT, MAX_JWKS_BYTES};

/// An HTTP client bound to one JWKS URL.
pub(super) struct JwksClient {
    client: reqwest::Client,
    url: Url,
    /// The URL as it may be shown in logs and errors (no password, no query).
    shown: String,
}

impl JwksClient {
    /// Checks the URL and builds the client.
    ///
    /// # Errors
    ///
    /// A cause naming the problem (the caller adds the URL).
    pub(super) fn new(url: &str) -> Result<Self, String> {
        let parsed = check_url(url)?;
        ensure_crypto_provider();
        // No redirects: a redirect could point the fetch anywhere (another host, a
        // plain-HTTP loopback admin endpoint). Configure the final URL instead.
        let policy = redirect::Policy::none();
        let client = reqwest::Client::builder()
            .timeout(JWKS_FETCH_TIMEOUT)
            .connect_timeout(JWKS_FETCH_TIMEOUT)
            .redirect(policy)
            .user_agent(concat!("zego-token-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {}", chain(&e)))?;
        Ok(Self {
            client,
            shown: redact_url(url),
            url: parsed,
        })
    }

    /// The URL, safe to show.
    pub(super) fn shown(&self) -> &str {
        &self.shown
    }

    /// Fetches and parses the document.
    ///
    /// # Errors
    ///
    /// A cause: transport error, timeout, HTTP status, too large, not a usable JWKS.
    pub(super) async fn fetch(&self) -> Result<KeySet, String> {
        let mut response = self
            .client
            .get(self.url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| chain(&e.without_url()))?;
        let status = response.status();
        if status.is_redirection() {
            return Err(format!(
                "the server answered HTTP {status}; redirects are not followed, configure the final URL"
            ));
        }
        if !status.is_success() {
            return Err(format!("the server answered HTTP {status}"));
        }
        let too_large = || format!("the response is larger than {MAX_JWKS_BYTES} bytes");
        if response
            .content_length()
            .is_some_and(|len| len > MAX_JWKS_BYTES as u64)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| chain(&e.without_url()))?
        {
            if body.len() + chunk.len() > MAX_JWKS_BYTES {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        parse_jwks(&body)
    }
}

/// Parses a JWKS URL and checks its transport (see [`transport_allowed`]).
///
/// # Errors
///
/// A cause naming the problem and the fix; never the URL (the caller shows it redacted).
pub(crate) fn check_url(url: &str) -> Result<Url, String> {
    let parsed = Url::parse(url).map_err(|e| format!("not a valid URL: {e}"))?;
    if !transport_allowed(&parsed) {
        return Err(
            "a JWKS URL must use https (plain http is allowed only for loopback hosts: \
             localhost, 127.0.0.0/8, [::1]), or anyone on the path could substitute the keys"
                .to_owned(),
        );
    }
    Ok(parsed)
}

/// `https`, or `http` to a loopback host (local IdPs and tests).
fn transport_allowed(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => url.host_str().is_some_and(|host| {
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            host.eq_ignore_ascii_case("localhost")
                || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }),
        _ => false,
    }
}

/// Installs rustls' `ring` provider as the process default unless one is installed
/// already: reqwest is built without a provider of its own (its default pulls aws-lc).
fn ensure_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Err only if another thread installed one meanwhile: that one is used.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// An error and its causes, `a: b: c`.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// The URL without password or query (either may carry a credential).
pub(super) fn redact_url(url: &str) -> String {
    let Ok(mut parsed) = Url::parse(url) else {
        return "<invalid URL>".to_owned();
    };
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some("redacted"));
    }
    if parsed.query().is_some() {
        parsed.set_query(Some("redacted"));
    }
    parsed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_rules() {
        let ok = |u: &str| transport_allowed(&Url::parse(u).expect("test URL"));
        assert!(ok("https://idp.example.com/.well-known/jwks.json"));
        assert!(ok("http://127.0.0.1:8080/jwks"));
        assert!(ok("http://localhost/jwks"));
        assert!(ok("http://[::1]/jwks"));
        assert!(!ok("http://idp.example.com/jwks"));
        assert!(!ok("http://10.0.0.1/jwks"));
        assert!(!ok("ftp://127.0.0.1/jwks"));
    }

    #[test]
    fn redaction() {
        assert_eq!(
            redact_url("https://user:pw@idp.example.com/jwks?key=abc"),
            "https://user:redacted@idp.example.com/jwks?redacted"
        );
        assert_eq!(
            redact_url("https://idp.example.com/jwks"),
            "https://idp.example.com/jwks"
        );
    }
}
