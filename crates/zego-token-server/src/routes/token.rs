//! `POST /v1/token`: mint a token04 (and optionally a UIKit kit token).
//!
//! Order of checks: body shape (400/413/415/422), app (422 unknown, 403 not allowed),
//! fields by the library's rules (422), TTL within the cap (422), policy (403). The
//! app's prepared [`ServerSecret`](zego_token::ServerSecret) comes from the request's
//! snapshot, so the hot path does no key schedule and takes no lock.

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zego_token::{CipherMode, Claims, Field, RoomPayload, validate_user_id};

use crate::auth::{Caller, CallerKind};
use crate::config::IdRules;
use crate::error::{ApiError, AppJson, json_response};
use crate::metrics::Kind;
use crate::policy::Ask;
use crate::state::{AppEntry, AppState, Snapshot};

/// Cipher mode of a new token.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// AES-256-GCM (recommended, default).
    #[default]
    Gcm,
    /// AES-256-CBC (legacy; no integrity protection).
    Cbc,
}

impl From<Mode> for CipherMode {
    fn from(m: Mode) -> Self {
        match m {
            Mode::Gcm => Self::Gcm,
            Mode::Cbc => Self::Cbc,
        }
    }
}

/// Room privileges asked for. Defaults: login true, publish false.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrivilegesRequest {
    /// May log in to the room. Default true.
    pub login: Option<bool>,
    /// May publish streams. Default false.
    pub publish: Option<bool>,
}

/// Ask for a UIKit kit token as well (needs `room_id`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KitRequest {
    /// The display name shown by the kit.
    pub user_name: String,
}

/// A stream ID: 1 to 255 characters of `A-Z a-z 0-9 - _`.
// Only a schema for the OpenAPI document: requests carry plain strings, checked by the
// library's `validate_stream_id`, whose rule this pattern restates.
#[derive(ToSchema)]
#[schema(min_length = 1, max_length = 255, pattern = "^[A-Za-z0-9_-]+$")]
pub struct StreamId(#[allow(dead_code)] String);

/// The body of `POST /v1/token`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// The ZEGO user id (non-empty, fewer than 64 bytes). Required for API-key callers;
    /// JWT callers get the user id from their login token (if given here it must match).
    /// JSON Schema counts characters, the rule counts UTF-8 bytes: `maxLength` is exact
    /// for ASCII only.
    /// With `token.id_rules = "sdk"` (the default) only the characters ZEGO's SDKs accept.
    #[schema(
        min_length = 1,
        max_length = 63,
        pattern = r"^[A-Za-z0-9~!@#$%^&*()_+=`;',.<>/\\-]+$"
    )]
    pub user_id: Option<String>,
    /// Makes a privilege token for this room (fewer than 128 bytes; with
    /// `token.id_rules = "sdk"`, the user ID's characters).
    #[schema(
        min_length = 1,
        max_length = 127,
        pattern = r"^[A-Za-z0-9~!@#$%^&*()_+=`;',.<>/\\-]+$"
    )]
    pub room_id: Option<String>,
    /// Privileges in the room (needs `room_id`).
    pub privileges: Option<PrivilegesRequest>,
    /// Stream IDs the user may publish (`A-Z a-z 0-9 - _`, fewer than 256 bytes; needs `room_id`).
    #[schema(value_type = Option<Vec<StreamId>>)]
    pub stream_ids: Option<Vec<String>>,
    /// Lifetime in seconds; default from config (3600, lowered to the caller's cap), at most the caller's cap.
    #[schema(minimum = 1)]
    pub ttl_seconds: Option<i64>,
    /// The app; default: the only app configured (or the only one the caller may use).
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 4294967295.0)]
    pub app_id: Option<u32>,
    /// `gcm` (default) or `cbc`.
    pub mode: Option<Mode>,
    /// Also return a UIKit kit token.
    pub kit: Option<KitRequest>,
}

/// What went into the token, for display.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClaimsInfo {
    /// Creation time, Unix seconds.
    pub ctime: i64,
    /// Expiry time, Unix seconds.
    pub expire: i64,
    /// `gcm` or `cbc`.
    pub mode: &'static str,
    /// The payload text (`""` for a basic token).
    pub payload: String,
}

/// The answer of `POST /v1/token`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenResponse {
    /// The token04.
    pub token: String,
    /// The app it is for.
    #[schema(value_type = i64, minimum = 1, maximum = 4294967295.0)]
    pub app_id: u32,
    /// The user it is for.
    pub user_id: String,
    /// Expiry, Unix seconds.
    pub expire: i64,
    /// Seconds until expiry.
    pub expires_in: i64,
    /// Unix time after which the client should fetch a new token, always before ZEGO's
    /// 30-second will-expire warning; `null` when the lifetime is 30 s or less and no
    /// renewal can come before that warning (only with `token.id_rules = "any"`).
    pub renew_after: Option<i64>,
    /// The UIKit kit token, when `kit` was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kit_token: Option<String>,
    /// What went into the token.
    pub claims: ClaimsInfo,
    /// Rules of ZEGO's client SDKs the token breaks without being refused by them all
    /// (e.g. a userID over ZIM's 32 bytes); absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<WarningOut>,
}

/// A rule of ZEGO's client SDKs that a token breaks (see `zego_token::sdk`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WarningOut {
    /// The rule's stable name, e.g. `zim_user_id_length`.
    pub rule: &'static str,
    /// `rtc`, `zim`, `kit` or `token`.
    pub product: &'static str,
    /// The error code that SDK reports, where known.
    pub code: Option<u32>,
    /// Whether that SDK refuses the token outright.
    pub blocking: bool,
    /// What is wrong.
    pub message: String,
}

impl From<&zego_token::sdk::SdkWarning> for WarningOut {
    fn from(w: &zego_token::sdk::SdkWarning) -> Self {
        Self {
            rule: w.rule(),
            product: w.product(),
            code: w.code(),
            blocking: w.blocking(),
            message: w.message().to_owned(),
        }
    }
}

/// The routes of this module.
pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/v1/token", post(issue))
}

/// Picks the app: the one named, else the only one configured, else the only one the
/// caller may use. Returns its id and its entry.
pub(crate) fn pick_app<'s>(
    snap: &'s Snapshot,
    caller: &Caller,
    asked: Option<u32>,
) -> Result<(u32, &'s AppEntry), ApiError> {
    let app_id = match asked {
        Some(0) => {
            return Err(ApiError::invalid(
                "invalid_app_id",
                "app_id is 0; use the AppID from ZEGO's console",
            ));
        }
        Some(id) => id,
        None => match snap.default_app() {
            Some(id) => id,
            None => {
                let mut usable = snap.app_ids().filter(|id| caller.policy.allows_app(*id));
                match (usable.next(), usable.next()) {
                    (Some(id), None) => id,
                    _ => {
                        return Err(ApiError::invalid(
                            "app_id_required",
                            "several apps are configured: give app_id (GET /v1/apps lists yours)",
                        ));
                    }
                }
            }
        },
    };
    // A caller limited to some apps learns nothing about the others, configured or not.
    if !caller.policy.allows_app(app_id) {
        return Err(ApiError::forbidden(
            "app_not_allowed",
            format!("this caller may not use app {app_id}"),
        ));
    }
    let Some(app) = snap.app(app_id) else {
        return Err(ApiError::invalid(
            "unknown_app",
            format!("app {app_id} is not configured on this server"),
        ));
    };
    Ok((app_id, app))
}

pub(crate) fn field_error(e: &zego_token::Error) -> ApiError {
    match e {
        zego_token::Error::InvalidInput(i) => {
            let code = match i.field() {
                Field::AppId => "invalid_app_id",
                Field::UserId => "invalid_user_id",
                Field::EffectiveTime => "invalid_ttl",
                Field::RoomId => "invalid_room_id",
                Field::StreamId => "invalid_stream_id",
                Field::Payload => "payload_too_large",
                _ => return ApiError::Internal(format!("unexpected input error: {e}")),
            };
            ApiError::invalid(code, i.message())
        }
        other => ApiError::Internal(format!("unexpected error: {other}")),
    }
}

/// Checks the token about to be minted against ZEGO's client rules: under
/// `token.id_rules = "sdk"` the first blocking rule is a 422 named after it; what is
/// left is returned for the answer's `warnings`.
fn sdk_rules(
    claims: &Claims,
    now: i64,
    rules: IdRules,
) -> Result<Vec<zego_token::sdk::SdkWarning>, ApiError> {
    let warnings = zego_token::sdk::check_claims_at(claims, now);
    if rules == IdRules::Sdk
        && let Some(w) = warnings.iter().find(|w| w.blocking())
    {
        let code = w
            .code()
            .map(|c| format!(" (the SDK reports {c})"))
            .unwrap_or_default();
        return Err(ApiError::invalid(
            w.rule(),
            format!("{}{code}; ZEGO's SDKs cannot use such a token", w.message()),
        ));
    }
    Ok(warnings)
}

/// Issue a token.
#[utoipa::path(
    post,
    path = "/v1/token",
    tag = "tokens",
    request_body = TokenRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A new token", body = TokenResponse),
        (status = 400, description = "Body is not JSON", body = crate::openapi::ErrorBody),
        (status = 401, description = "No or unknown credentials (WWW-Authenticate)", body = crate::openapi::ErrorBody),
        (status = 403, description = "Refused by the caller's policy", body = crate::openapi::ErrorBody),
        (status = 413, description = "Body over the limit", body = crate::openapi::ErrorBody),
        (status = 415, description = "Body is not application/json", body = crate::openapi::ErrorBody),
        (status = 422, description = "A field breaks a rule", body = crate::openapi::ErrorBody),
        (status = 429, description = "Rate limited (Retry-After)", body = crate::openapi::ErrorBody),
    )
)]
pub(crate) async fn issue(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(req): AppJson<TokenRequest>,
) -> Result<Response, ApiError> {
    let snap = &*caller.snapshot;
    let (app_id, app) = pick_app(snap, &caller, req.app_id)?;
    let user_id: &str = match (&caller.kind, &caller.identity, req.user_id.as_deref()) {
        (CallerKind::Jwt, Some(id), asked) => {
            if asked.is_some_and(|u| u != id.user_id) {
                return Err(ApiError::forbidden(
                    "user_id_mismatch",
                    "a login-JWT caller gets tokens only for the user id in its JWT",
                ));
            }
            &id.user_id
        }
        (_, _, Some(u)) => u,
        (_, _, None) => {
            return Err(ApiError::invalid("missing_user_id", "user_id is required"));
        }
    };
    validate_user_id(user_id).map_err(|e| field_error(&e))?;
    let privileges = req.privileges.unwrap_or_default();
    let publish = privileges.publish.unwrap_or(false);
    let payload = match &req.room_id {
        Some(room) => {
            // `build` checks the room and stream IDs with the library's rules.
            let mut p = RoomPayload::new(room.as_str())
                .login(privileges.login.unwrap_or(true))
                .publish(publish);
            if let Some(list) = &req.stream_ids {
                p = p.streams(list.iter().map(String::as_str));
            }
            Some(p.build().map_err(|e| field_error(&e))?)
        }
        None => {
            if req.privileges.is_some() || req.stream_ids.is_some() {
                return Err(ApiError::invalid(
                    "room_required",
                    "privileges and stream_ids need a room_id (they make a privilege token)",
                ));
            }
            None
        }
    };
    if req.kit.is_some() && req.room_id.is_none() {
        return Err(ApiError::invalid(
            "room_required",
            "a kit token needs a room_id",
        ));
    }
    if let Some(kit) = &req.kit
        && (kit.user_name.is_empty() || kit.user_name.len() > 256)
    {
        return Err(ApiError::invalid(
            "invalid_user_name",
            "kit.user_name must be 1 to 256 bytes",
        ));
    }
    let lifetimes = &snap.config.token;
    let cap = caller.policy.ttl_cap(lifetimes.max_ttl_seconds);
    // Without a TTL in the request, the default, lowered to the caller's cap.
    let ttl = req
        .ttl_seconds
        .unwrap_or_else(|| i64::try_from(lifetimes.default_ttl_seconds.min(cap)).unwrap_or(3600));
    if ttl <= 0 {
        return Err(ApiError::invalid(
            "invalid_ttl",
            format!("ttl_seconds is {ttl}; it must be more than 0"),
        ));
    }
    if u64::try_from(ttl).unwrap_or(u64::MAX) > cap {
        return Err(ApiError::invalid(
            "ttl_too_long",
            format!("ttl_seconds is {ttl}; this caller may ask for at most {cap}"),
        ));
    }
    caller.policy.check(
        &Ask {
            app_id,
            user_id,
            room_id: req.room_id.as_deref(),
            publish,
        },
        caller.identity.as_ref(),
    )?;
    let kind = if payload.is_some() {
        Kind::privilege
    } else {
        Kind::basic
    };
    let mut claims = Claims::new(app_id, user_id, Duration::from_secs(ttl.unsigned_abs()));
    if let Some(p) = payload {
        claims = claims.payload(p);
    }
    let mode: CipherMode = req.mode.unwrap_or_default().into();
    caller.policy.check_mode(mode)?;
    let options = snap.options(mode);
    let warnings = sdk_rules(&claims, options.clock.now(), lifetimes.id_rules)?;
    if let (Some(_), Some(room)) = (&req.kit, &req.room_id) {
        // Refused before minting: the kit cannot carry these IDs.
        zego_token::validate_kit_ids(user_id, room).map_err(|e| field_error(&e))?;
    }
    let generated =
        zego_token::generate_with(&app.secret, &claims, options).map_err(|e| field_error(&e))?;
    let kit_token = match (&req.kit, &req.room_id) {
        (Some(kit), Some(room)) => Some(
            zego_token::kit_token(&generated.token, app_id, user_id, room, &kit.user_name)
                .map_err(|e| field_error(&e))?,
        ),
        _ => None,
    };
    state.metrics().token_issued(app_id, kind);
    let now = generated.ctime;
    let resp = TokenResponse {
        app_id,
        user_id: user_id.to_owned(),
        expire: generated.expire,
        expires_in: generated.expire - now,
        renew_after: zego_token::sdk::renew_after(
            generated.ctime,
            generated.expire,
            lifetimes.renew_before_seconds,
        ),
        kit_token,
        claims: ClaimsInfo {
            ctime: generated.ctime,
            expire: generated.expire,
            mode: generated.mode.as_str(),
            payload: claims.payload_str().to_owned(),
        },
        warnings: warnings.iter().map(WarningOut::from).collect(),
        token: generated.token,
    };
    Ok(json_response(&resp))
}
