//! [`ApiError`]: every error the API returns, and the only status-code table.
//!
//! Every error response has the same JSON shape,
//! `{"error": {"code": "…", "message": "…"}}` (a refused login JWT adds a non-secret
//! `"reason"`, e.g. `"jwt_expired"`), extractor rejections included (see
//! [`AppJson`]). `into_response` has no side effects: it attaches an [`ErrorInfo`]
//! extension that the request middleware logs and counts, so the precise internal reason
//! (never a secret) is logged once, in one place.

use std::borrow::Cow;
use std::time::Duration;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

/// An API error: a status, a stable machine-readable code and a message for the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiError {
    /// 400: the body is not JSON, or a request is otherwise unreadable.
    BadRequest {
        /// Stable code, e.g. `invalid_json`.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// 422: a field breaks a rule (user_id length, stream ID charset, TTL, …).
    Invalid {
        /// Stable code, e.g. `invalid_user_id`.
        code: &'static str,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// 401: no credentials, or credentials that are not accepted. The client sees a
    /// generic message; `reason` is only logged. A refused login JWT also tells the
    /// client which check failed (`client_reason`, e.g. `jwt_expired`); a refused API
    /// key never does (nothing that helps guessing).
    Unauthorized {
        /// Why, for the log (never the credential).
        reason: Cow<'static, str>,
        /// Whether credentials were presented (chooses the `WWW-Authenticate` error).
        presented: bool,
        /// For a refused JWT: the non-secret reason sent as `error.reason`
        /// (the login-JWT check that failed).
        client_reason: Option<&'static str>,
    },
    /// 403: the caller is known but its policy refuses the request.
    Forbidden {
        /// Stable code, e.g. `room_not_allowed`.
        code: &'static str,
        /// What the policy refused.
        message: String,
    },
    /// 404: no such route (or a feature switched off, like the console).
    NotFound,
    /// 405: the route exists, the method does not.
    MethodNotAllowed,
    /// 413: the body is larger than the configured limit.
    PayloadTooLarge,
    /// 415: the body is not `application/json`.
    UnsupportedMediaType,
    /// 429: a rate limit is exhausted; retry after this long.
    RateLimited {
        /// Which limit: `caller` or `ip`.
        scope: &'static str,
        /// When a token will be available again.
        retry_after: Duration,
    },
    /// 408: the request took longer than the configured timeout (in practice a client
    /// that sends its body too slowly; the handlers themselves do not wait).
    Timeout,
    /// 431: the request head (line and headers) is larger, or has more headers, than
    /// `limits.max_header_bytes` / `limits.max_headers`.
    HeadersTooLarge,
    /// 503: the service cannot serve this now (memory budget for bodies exhausted, an
    /// issuer's keys not fetched yet, the shared rate-limit store failing under
    /// `on_store_error = "deny"`: `rate_limit_unavailable`); retry shortly.
    Unavailable {
        /// Stable code, e.g. `overloaded`.
        code: &'static str,
        /// What is unavailable.
        message: String,
    },
    /// 500: a bug or an unexpected failure. The client gets a generic message; the
    /// detail is logged.
    Internal(String),
}

/// Attached to every error response for the logging/metrics middleware.
#[derive(Debug, Clone)]
pub(crate) struct ErrorInfo {
    /// The error code (also the `reason` label of the refusal counter).
    pub code: &'static str,
    /// A detail for the log only (never a secret, key, token or claim).
    pub detail: Option<Cow<'static, str>>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

impl ApiError {
    /// 422 with a code and message.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            code,
            message: message.into(),
        }
    }

    /// 403 with a code and message.
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::Forbidden {
            code,
            message: message.into(),
        }
    }

    /// 401 for a request without usable credentials.
    pub fn unauthorized(reason: impl Into<Cow<'static, str>>, presented: bool) -> Self {
        Self::Unauthorized {
            reason: reason.into(),
            presented,
            client_reason: None,
        }
    }

    /// 401 for a refused login JWT: `reason` is logged, `client_reason` (a fixed label
    /// such as `jwt_expired`) is sent in the body as `error.reason`.
    pub(crate) fn unauthorized_jwt(
        reason: impl Into<Cow<'static, str>>,
        client_reason: &'static str,
    ) -> Self {
        Self::Unauthorized {
            reason: reason.into(),
            presented: true,
            client_reason: Some(client_reason),
        }
    }

    /// The non-secret detail sent as `error.reason` (only for refused login JWTs).
    #[must_use]
    pub fn client_reason(&self) -> Option<&'static str> {
        match self {
            Self::Unauthorized { client_reason, .. } => *client_reason,
            _ => None,
        }
    }

    /// The HTTP status. This `match` is the service's only status table.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Timeout => StatusCode::REQUEST_TIMEOUT,
            Self::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Self::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable error code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. }
            | Self::Invalid { code, .. }
            | Self::Forbidden { code, .. }
            | Self::Unavailable { code, .. } => code,
            Self::HeadersTooLarge => "headers_too_large",
            Self::Unauthorized { .. } => "unauthorized",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::RateLimited { scope: "ip", .. } => "rate_limited_ip",
            Self::RateLimited { .. } => "rate_limited",
            Self::Timeout => "timeout",
            Self::Internal(_) => "internal",
        }
    }

    fn message(&self) -> Cow<'_, str> {
        match self {
            Self::BadRequest { message, .. }
            | Self::Invalid { message, .. }
            | Self::Forbidden { message, .. }
            | Self::Unavailable { message, .. } => Cow::Borrowed(message),
            Self::HeadersTooLarge => {
                Cow::Borrowed("the request head has too many or too large headers")
            }
            Self::Unauthorized {
                presented: false, ..
            } => Cow::Borrowed(
                "authentication required: send `Authorization: Bearer <API key or login JWT>`",
            ),
            Self::Unauthorized { .. } => {
                Cow::Borrowed("the credentials in the Authorization header are not accepted")
            }
            Self::NotFound => Cow::Borrowed("no such resource"),
            Self::MethodNotAllowed => Cow::Borrowed("this method is not allowed on this path"),
            Self::PayloadTooLarge => Cow::Borrowed("the request body is larger than allowed"),
            Self::UnsupportedMediaType => {
                Cow::Borrowed("send the body as JSON with `Content-Type: application/json`")
            }
            Self::RateLimited { retry_after, .. } => Cow::Owned(format!(
                "rate limit exceeded; retry in {} s",
                retry_after_secs(*retry_after)
            )),
            Self::Timeout => Cow::Borrowed("the request took too long"),
            Self::Internal(_) => Cow::Borrowed("internal error; see the server log"),
        }
    }

    fn log_detail(&self) -> Option<Cow<'static, str>> {
        match self {
            Self::Unauthorized { reason, .. } => Some(reason.clone()),
            Self::Internal(detail) => Some(Cow::Owned(detail.clone())),
            _ => None,
        }
    }
}

fn retry_after_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = self.message();
        let body = serde_json::to_vec(&Body {
            error: Inner {
                code: self.code(),
                message: &message,
                reason: self.client_reason(),
            },
        })
        .unwrap_or_default();
        let mut resp = (status, body).into_response();
        let headers = resp.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        match &self {
            Self::Unauthorized { presented, .. } => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(if *presented {
                        r#"Bearer realm="zego-token", error="invalid_token""#
                    } else {
                        r#"Bearer realm="zego-token""#
                    }),
                );
            }
            Self::RateLimited { retry_after, .. } => {
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(retry_after_secs(*retry_after).max(1)),
                );
            }
            Self::Unavailable { .. } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        resp.extensions_mut().insert(ErrorInfo {
            code: self.code(),
            detail: self.log_detail(),
        });
        resp
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(e) => Self::invalid("invalid_body", e.body_text()),
            JsonRejection::JsonSyntaxError(e) => Self::BadRequest {
                code: "invalid_json",
                message: e.body_text(),
            },
            JsonRejection::MissingJsonContentType(_) => Self::UnsupportedMediaType,
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Self::PayloadTooLarge
            }
            other => Self::BadRequest {
                code: "unreadable_body",
                message: other.body_text(),
            },
        }
    }
}

/// `Json` with this crate's error shape for every rejection (400, 413, 415, 422).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AppJson<T>(pub T);

impl<S, T> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(e) => Err(e.into()),
        }
    }
}

/// A JSON response body serialized with `serde_json` (200 unless wrapped with a status).
pub(crate) fn json_response<T: Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response(),
        Err(e) => ApiError::Internal(format!("serializing a response: {e}")).into_response(),
    }
}

/// The error shape every error response has: the OpenAPI schema of what
/// [`ApiError`]'s `IntoResponse` writes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Code and message of an error.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ErrorDetail {
    /// Stable machine-readable code (`invalid_user_id`, `room_not_allowed`, …).
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
    /// Only on a 401 for a refused login JWT: which check failed, so the app developer
    /// can act without the server log. One of `jwt_malformed`, `jwt_algorithm`,
    /// `jwt_unknown_kid`, `jwt_signature`, `jwt_issuer`, `jwt_audience`, `jwt_expired`,
    /// `jwt_not_yet_valid`, `jwt_claim_missing`, `jwt_claim_invalid`,
    /// `jwt_user_id_invalid`. Absent for API keys and every other error.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "jwt_expired")]
    pub reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(2)), 2);
        assert_eq!(retry_after_secs(Duration::from_millis(2001)), 3);
    }

    #[tokio::test]
    async fn only_jwt_refusals_carry_a_reason() {
        let body = |e: ApiError| async move {
            let bytes = axum::body::to_bytes(e.into_response().into_body(), 4096)
                .await
                .unwrap_or_default();
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap_or_default()
        };
        let jwt = body(ApiError::unauthorized_jwt(
            "the JWT has expired",
            "jwt_expired",
        ))
        .await;
        assert_eq!(jwt["error"]["code"], "unauthorized");
        assert_eq!(jwt["error"]["reason"], "jwt_expired");
        let key = body(ApiError::unauthorized("unknown API key", true)).await;
        assert_eq!(key["error"]["code"], "unauthorized");
        assert!(key["error"].get("reason").is_none(), "{key}");
    }

    #[test]
    fn unauthorized_carries_www_authenticate() {
        let r = ApiError::unauthorized("no header", false).into_response();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(r.headers().contains_key(header::WWW_AUTHENTICATE));
    }
}
