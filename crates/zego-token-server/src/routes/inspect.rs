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
use zego_token::{Decoded, Error, KitInfo, UntrustedEnvelope, Validation};

use crate::auth::{Caller, CallerKind};
use crate::error::{ApiError, AppJson, json_response};
use crate::routes::token::WarningOut;
use crate::state::AppState;

/// The body of `POST /v1/inspect`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct InspectRequest {
    /// The token04, or a kit token (`token04#info`). Quotes, surrounding whitespace,
    /// line breaks and percent encoding from copying are undone.
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
pub(crate) struct HeaderInfo {
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
pub(crate) struct ClaimsOut {
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
    /// Payload text; absent when the token has no `payload` member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

/// The kit info of a kit token (`token04#info`), as the UIKits read it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct KitOut {
    /// `appID`.
    #[serde(rename = "appID")]
    pub app_id: Option<u32>,
    /// `userID`.
    #[serde(rename = "userID")]
    pub user_id: Option<String>,
    /// `roomID`.
    #[serde(rename = "roomID")]
    pub room_id: Option<String>,
    /// `userName`, URI-decoded as the kits decode it.
    #[serde(rename = "userName")]
    pub user_name: Option<String>,
}

/// A privilege token's room payload.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct RoomOut {
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
pub(crate) struct Verdict {
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
pub(crate) struct InspectResponse {
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
    /// The kit info, for a kit token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kit: Option<KitOut>,
    /// What else is worth knowing: the client rules the token breaks, a legacy cipher, a
    /// weak nonce, claims that disagree (the same list as `zego-token inspect`).
    pub warnings: Vec<WarningOut>,
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

/// What the header and the kit info show before decryption.
struct Read<'a> {
    env: &'a UntrustedEnvelope,
    kit: Option<&'a KitInfo>,
    now: i64,
}

impl Read<'_> {
    fn warnings(&self, decoded: Option<&Decoded>) -> Vec<WarningOut> {
        zego_token::sdk::token_warnings(self.env, decoded, self.kit, self.now)
            .iter()
            .map(WarningOut::from)
            .collect()
    }

    /// An answer without claims: the token could not be decrypted.
    fn undecrypted(&self, app_id: Option<u32>, verdict: Verdict) -> Response {
        json_response(&InspectResponse {
            header: Some(header_info(self.env)),
            app_id,
            claims: None,
            room: None,
            kit: self.kit.map(kit_out),
            warnings: self.warnings(None),
            verdict,
        })
    }
}

/// The answer for text that is not a token at all.
fn unreadable(e: &Error) -> Response {
    json_response(&InspectResponse {
        header: None,
        app_id: None,
        claims: None,
        room: None,
        kit: None,
        warnings: Vec::new(),
        verdict: refused(e),
    })
}

fn kit_out(k: &KitInfo) -> KitOut {
    KitOut {
        app_id: k.app_id,
        user_id: k.user_id.clone(),
        room_id: k.room_id.clone(),
        user_name: k.user_name.clone(),
    }
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
        (status = 400, description = "Body is not JSON", body = crate::error::ErrorBody),
        (status = 401, description = "No or unknown credentials (WWW-Authenticate)", body = crate::error::ErrorBody),
        (status = 403, description = "App not allowed, or a JWT caller", body = crate::error::ErrorBody),
        (status = 413, description = "Body over the limit", body = crate::error::ErrorBody),
        (status = 415, description = "Body is not application/json", body = crate::error::ErrorBody),
        (status = 422, description = "Body fields invalid", body = crate::error::ErrorBody),
        (status = 429, description = "Rate limited (Retry-After)", body = crate::error::ErrorBody),
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
    for (name, value) in [("user_id", &req.user_id), ("room_id", &req.room_id)] {
        if value.as_deref() == Some("") {
            return Err(ApiError::invalid(
                "empty_expectation",
                format!("{name} is empty: give the value to check, or leave {name} out"),
            ));
        }
    }
    let snap = &*caller.snapshot;
    // Quotes, whitespace, line wraps and percent encoding are undone by the library.
    let (text, kit) = match zego_token::parse_kit_token(&req.token) {
        Ok(parts) => parts,
        Err(e) => return Ok(unreadable(&e)),
    };
    let env = match zego_token::inspect(text) {
        Ok(env) => env,
        Err(e) => return Ok(unreadable(&e)),
    };
    let read = Read {
        env: &env,
        kit: kit.as_ref(),
        now: state.clock().now(),
    };
    let candidates: Vec<u32> = match req.app_id {
        Some(id) => {
            if !caller.policy.allows_app(id) {
                return Err(ApiError::forbidden(
                    "app_not_allowed",
                    format!("this caller may not use app {id}"),
                ));
            }
            if snap.app(id).is_none() {
                return Ok(read.undecrypted(
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
        return Ok(read.undecrypted(None, v));
    };
    let d = match result {
        Ok(d) => d,
        Err(e) => return Ok(read.undecrypted(Some(app_id), refused(&e))),
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
    let now = read.now;
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
    let warnings = read.warnings(Some(&d));
    let c = d.claims;
    Ok(json_response(&InspectResponse {
        header: Some(header_info(&env)),
        app_id: Some(app_id),
        claims: Some(ClaimsOut {
            app_id: c.app_id,
            user_id: c.user_id,
            nonce: c.nonce,
            ctime: c.ctime,
            expire: c.expire,
            payload: c.payload_present.then_some(c.payload),
        }),
        room,
        kit: kit.as_ref().map(kit_out),
        warnings,
        verdict,
    }))
}
