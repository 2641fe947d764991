//! `POST /v1/inspect`: read a token's header, decrypt it with the apps the caller may
//! use, and explain whether ZEGO would accept it.
//!
//! Only API-key callers may inspect (a login-JWT client has no business decrypting
//! other users' tokens). The secret never leaves the server; the claims are returned
//! to the authenticated caller but never logged.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zego_token::{Decoded, Error, UntrustedEnvelope, Validation};

use crate::auth::{Caller, CallerKind};
use crate::error::{ApiError, AppJson, json_response};
use crate::state::AppState;

/// The body of `POST /v1/inspect`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectRequest {
    /// The token04 (a kit token's part before `#` is used).
    pub token: String,
    /// Decrypt with this app only; default: every app the caller may use.
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 4294967295.0)]
    pub app_id: Option<u32>,
    /// Also check the token is for this user.
    pub user_id: Option<String>,
    /// Also check the token grants login to this room.
    pub room_id: Option<String>,
}

/// What can be read without the secret.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeaderInfo {
    /// `gcm` or `cbc`.
    pub mode: &'static str,
    /// Expiry from the unencrypted header (untrusted), Unix seconds.
    pub expire: i64,
    /// IV / nonce length in bytes.
    pub iv_len: usize,
    /// Ciphertext length in bytes (GCM: including the tag).
    pub ciphertext_len: usize,
    /// Whether the token ends with a mode byte.
    pub has_mode_byte: bool,
}

/// The six claims of a decrypted token.
///
/// The same fields as `zego_token::TokenClaims`, repeated here for its OpenAPI schema:
/// the library stays free of utoipa.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClaimsOut {
    /// App.
    #[schema(value_type = i64, minimum = 1, maximum = 4294967295.0)]
    pub app_id: u32,
    /// User.
    pub user_id: String,
    /// Claims nonce.
    pub nonce: i64,
    /// Creation time.
    pub ctime: i64,
    /// Expiry.
    pub expire: i64,
    /// Payload text.
    pub payload: String,
}

/// A privilege token's room payload.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoomOut {
    /// Room.
    pub room_id: String,
    /// Login privilege.
    pub login: bool,
    /// Publish privilege.
    pub publish: bool,
    /// Stream restriction (`null`: any).
    pub stream_ids: Option<Vec<String>>,
}

/// The judgement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Verdict {
    /// Whether ZEGO would accept the token (for the given user/room, now).
    pub valid: bool,
    /// Why not: `malformed`, `decrypt`, `app_not_configured`, `expired`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// The error code ZEGO's Express SDK would report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zego_code: Option<u32>,
    /// The error code ZIM would report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zim_code: Option<u32>,
    /// What was found.
    pub message: String,
    /// What to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<&'static str>,
}

/// The answer of `POST /v1/inspect`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InspectResponse {
    /// The unencrypted header; absent if the token is malformed.
    pub header: Option<HeaderInfo>,
    /// The app whose secret decrypted the token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<u32>,
    /// The claims, once decrypted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<ClaimsOut>,
    /// The room payload of a privilege token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room: Option<RoomOut>,
    /// The judgement.
    pub verdict: Verdict,
}

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/v1/inspect", post(inspect))
}

fn refused(e: &Error) -> Verdict {
    Verdict {
        valid: false,
        code: Some(e.kind()),
        zego_code: e.zego_code(),
        zim_code: e.zim_code(),
        message: e.to_string(),
        advice: Some(e.advice()),
    }
}

/// An answer without claims: the token could not be read, or not decrypted.
fn unread(header: Option<HeaderInfo>, app_id: Option<u32>, verdict: Verdict) -> Response {
    json_response(&InspectResponse {
        header,
        app_id,
        claims: None,
        room: None,
        verdict,
    })
}

fn header_info(env: &UntrustedEnvelope) -> HeaderInfo {
    HeaderInfo {
        mode: env.mode().as_str(),
        expire: env.untrusted_expire(),
        iv_len: env.iv().len(),
        ciphertext_len: env.ciphertext_len(),
        has_mode_byte: env.has_mode_byte(),
    }
}

/// Inspect a token.
#[utoipa::path(
    post,
    path = "/v1/inspect",
    tag = "tokens",
    request_body = InspectRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The header, the claims if decryptable, and a verdict", body = InspectResponse),
        (status = 400, description = "Body is not JSON", body = crate::openapi::ErrorBody),
        (status = 401, description = "No or unknown credentials (WWW-Authenticate)", body = crate::openapi::ErrorBody),
        (status = 403, description = "App not allowed, or a JWT caller", body = crate::openapi::ErrorBody),
        (status = 413, description = "Body over the limit", body = crate::openapi::ErrorBody),
        (status = 415, description = "Body is not application/json", body = crate::openapi::ErrorBody),
        (status = 422, description = "Body fields invalid", body = crate::openapi::ErrorBody),
        (status = 429, description = "Rate limited (Retry-After)", body = crate::openapi::ErrorBody),
    )
)]
pub(crate) async fn inspect(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(req): AppJson<InspectRequest>,
) -> Result<Response, ApiError> {
    if caller.kind == CallerKind::Jwt {
        return Err(ApiError::forbidden(
            "inspect_not_allowed",
            "inspecting tokens needs an API key",
        ));
    }
    if req.app_id == Some(0) {
        return Err(ApiError::invalid(
            "invalid_app_id",
            "app_id is 0; use the AppID from ZEGO's console",
        ));
    }
    let snap = &*caller.snapshot;
    let text = req.token.trim();
    let text = text.split_once('#').map_or(text, |(t, _)| t);
    let env = match zego_token::inspect(text) {
        Ok(env) => env,
        Err(e) => return Ok(unread(None, None, refused(&e))),
    };
    let header = Some(header_info(&env));
    let candidates: Vec<u32> = match req.app_id {
        Some(id) => {
            if !caller.policy.allows_app(id) {
                return Err(ApiError::forbidden(
                    "app_not_allowed",
                    format!("this caller may not use app {id}"),
                ));
            }
            if snap.app(id).is_none() {
                return Ok(unread(
                    header,
                    None,
                    Verdict {
                        valid: false,
                        code: Some("app_not_configured"),
                        zego_code: None,
                        zim_code: None,
                        message: format!(
                            "app {id} is not configured on this server, so its ServerSecret is not here to decrypt the token; the header above is all that can be read"
                        ),
                        advice: Some(
                            "Inspect the token where that app's ServerSecret is configured, or add the app to this server's config.",
                        ),
                    },
                ));
            }
            vec![id]
        }
        None => snap
            .app_ids()
            .filter(|id| caller.policy.allows_app(*id))
            .collect(),
    };
    let mut decoded: Option<(u32, Result<Decoded, Error>)> = None;
    for id in &candidates {
        let Some(app) = snap.app(*id) else { continue };
        match zego_token::decode_envelope(&env, &app.secret) {
            Err(Error::Decrypt) => {}
            other => {
                decoded = Some((*id, other));
                break;
            }
        }
    }
    let Some((app_id, result)) = decoded else {
        let list = candidates
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let mut v = refused(&Error::Decrypt);
        v.message = format!(
            "no app this caller may use ({list}) decrypts the token: it was made for an app not configured here, with another secret, or it was changed"
        );
        return Ok(unread(header, None, v));
    };
    let d = match result {
        Ok(d) => d,
        Err(e) => return Ok(unread(header, Some(app_id), refused(&e))),
    };
    let room = d.claims.room_privileges().ok().flatten().map(|r| RoomOut {
        room_id: r.room_id().to_owned(),
        login: r.can_login(),
        publish: r.can_publish(),
        stream_ids: r.stream_ids().map(<[String]>::to_vec),
    });
    let mut validation = Validation::new(app_id).clock(state.clock().clone());
    if let Some(u) = &req.user_id {
        validation = validation.user_id(u.clone());
    }
    if let Some(r) = &req.room_id {
        validation = validation.room_id(r.clone());
    }
    let now = state.clock().now();
    let verdict = match zego_token::check(&d, &validation) {
        Ok(()) => Verdict {
            valid: true,
            code: None,
            zego_code: None,
            zim_code: None,
            message: format!(
                "valid for app {app_id}, user {:?}, for {} more seconds",
                d.claims.user_id,
                d.claims.expire - now
            ),
            advice: None,
        },
        Err(e) => refused(&e),
    };
    let c = d.claims;
    Ok(json_response(&InspectResponse {
        header,
        app_id: Some(app_id),
        claims: Some(ClaimsOut {
            app_id: c.app_id,
            user_id: c.user_id,
            nonce: c.nonce,
            ctime: c.ctime,
            expire: c.expire,
            payload: c.payload,
        }),
        room,
        verdict,
    }))
}
