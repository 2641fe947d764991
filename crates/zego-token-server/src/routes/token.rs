//! `POST /v1/token`: mint a token04 (and optionally a UIKit kit token).
//!
//! One way through: parse (400/413/415/422 on the body's shape) → validate the fields
//! by the library's rules (422) → one policy decision, [`Policy::decide`](crate::policy::Policy::decide) (app, user,
//! room, publish, TTL, mode: 403, or 422 for an app that cannot be chosen or a TTL over
//! the cap) → ZEGO's client rules on the final claims (422 under `token.id_rules =
//! "sdk"`) → mint → answer. The
//! app's prepared [`ServerSecret`](zego_token::ServerSecret) comes from the request's
//! snapshot, so the hot path does no key schedule and takes no lock.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zego_token::{CipherMode, Claims, Field, RoomPayload, RoomPrivileges, validate_user_id};

use crate::auth::Caller;
use crate::config::IdRules;
use crate::error::{ApiError, AppJson, json_response};
use crate::jwt::JwtIdentity;
use crate::metrics::Kind;
use crate::policy::{Ask, Grant, Lifetimes};
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
pub(crate) struct PrivilegesRequest {
    /// May log in to the room. Default true.
    pub login: Option<bool>,
    /// May publish streams. Default false.
    pub publish: Option<bool>,
}

/// Ask for a UIKit kit token as well (needs `room_id`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct KitRequest {
    /// The display name shown by the kit.
    pub user_name: String,
}

/// A stream ID: 1 to 255 characters of `A-Z a-z 0-9 - _`.
// Only a schema for the OpenAPI document: requests carry plain strings, checked by the
// library's `validate_stream_id`, whose rule this pattern restates.
#[derive(ToSchema)]
#[schema(min_length = 1, max_length = 255, pattern = "^[A-Za-z0-9_-]+$")]
pub(crate) struct StreamId(#[allow(dead_code)] String);

/// The body of `POST /v1/token`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TokenRequest {
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
pub(crate) struct ClaimsInfo {
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
pub(crate) struct TokenResponse {
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
pub(crate) struct WarningOut {
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

/// A request whose fields keep the library's rules: what the policy decides on, plus
/// what only minting needs.
struct Valid<'r> {
    ask: Ask<'r>,
    payload: Option<RoomPrivileges>,
    /// The kit's user name and room, when a kit token is asked for.
    kit: Option<(&'r str, &'r str)>,
}

/// The request's fields by the library's rules (422 naming the field), and who the
/// token is for: a JWT caller's user_id comes from its login token (403
/// `user_id_mismatch` when the request names another one).
fn validate<'r>(
    req: &'r TokenRequest,
    identity: Option<&'r JwtIdentity>,
) -> Result<Valid<'r>, ApiError> {
    if req.app_id == Some(0) {
        return Err(ApiError::invalid(
            "invalid_app_id",
            "app_id is 0; use the AppID from ZEGO's console",
        ));
    }
    let user_id: &str = match (identity, req.user_id.as_deref()) {
        (Some(id), asked) => {
            if asked.is_some_and(|u| u != id.user_id) {
                return Err(ApiError::forbidden(
                    "user_id_mismatch",
                    "a login-JWT caller gets tokens only for the user id in its JWT",
                ));
            }
            &id.user_id
        }
        (None, Some(u)) => u,
        (None, None) => {
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
    let kit = match (&req.kit, &req.room_id) {
        (None, _) => None,
        (Some(_), None) => {
            return Err(ApiError::invalid(
                "room_required",
                "a kit token needs a room_id",
            ));
        }
        (Some(kit), Some(room)) => {
            if kit.user_name.is_empty() || kit.user_name.len() > 256 {
                return Err(ApiError::invalid(
                    "invalid_user_name",
                    "kit.user_name must be 1 to 256 bytes",
                ));
            }
            Some((kit.user_name.as_str(), room.as_str()))
        }
    };
    let ttl_seconds = match req.ttl_seconds {
        None => None,
        Some(ttl) if ttl <= 0 => {
            return Err(ApiError::invalid(
                "invalid_ttl",
                format!("ttl_seconds is {ttl}; it must be more than 0"),
            ));
        }
        Some(ttl) => Some(ttl.unsigned_abs()),
    };
    Ok(Valid {
        ask: Ask {
            app_id: req.app_id,
            user_id,
            room_id: req.room_id.as_deref(),
            publish,
            ttl_seconds,
            mode: req.mode.unwrap_or_default().into(),
        },
        payload,
        kit,
    })
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

/// Mints what `grant` allows for `valid`, after ZEGO's client rules on the final
/// claims, and builds the answer.
fn mint(
    snap: &Snapshot,
    valid: Valid<'_>,
    grant: &Grant<'_, AppEntry>,
) -> Result<TokenResponse, ApiError> {
    let Valid { ask, payload, kit } = valid;
    let tokens = &snap.config.token;
    let mut claims = Claims::new(grant.app_id, ask.user_id, grant.ttl);
    if let Some(p) = payload {
        claims = claims.payload(p);
    }
    let options = snap.options(grant.mode);
    let warnings = sdk_rules(&claims, options.clock.now(), tokens.id_rules)?;
    if let Some((_, room)) = kit {
        // After the SDK rules (whose refusal names the rule), before minting.
        zego_token::validate_kit_ids(ask.user_id, room).map_err(|e| field_error(&e))?;
    }
    let generated = zego_token::generate_with(&grant.app.secret, &claims, options)
        .map_err(|e| field_error(&e))?;
    let kit_token = kit
        .map(|(name, room)| {
            zego_token::kit_token(&generated.token, grant.app_id, ask.user_id, room, name)
        })
        .transpose()
        .map_err(|e| field_error(&e))?;
    Ok(TokenResponse {
        app_id: grant.app_id,
        user_id: ask.user_id.to_owned(),
        expire: generated.expire,
        expires_in: generated.expire - generated.ctime,
        renew_after: zego_token::sdk::renew_after(
            generated.ctime,
            generated.expire,
            tokens.renew_before_seconds,
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
    })
}

/// Issue a token: parse → validate (the library's rules) → one policy decision → mint
/// → answer.
#[utoipa::path(
    post,
    path = "/v1/token",
    tag = "tokens",
    request_body = TokenRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A new token", body = TokenResponse),
        (status = 400, description = "Body is not JSON", body = crate::error::ErrorBody),
        (status = 401, description = "No or unknown credentials (WWW-Authenticate)", body = crate::error::ErrorBody),
        (status = 403, description = "Refused by the caller's policy", body = crate::error::ErrorBody),
        (status = 413, description = "Body over the limit", body = crate::error::ErrorBody),
        (status = 415, description = "Body is not application/json", body = crate::error::ErrorBody),
        (status = 422, description = "A field breaks a rule", body = crate::error::ErrorBody),
        (status = 429, description = "Rate limited (Retry-After)", body = crate::error::ErrorBody),
    )
)]
pub(crate) async fn issue(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(req): AppJson<TokenRequest>,
) -> Result<Response, ApiError> {
    let snap = &*caller.snapshot;
    let identity = caller.identity.as_ref();
    let valid = validate(&req, identity)?;
    let lifetimes = Lifetimes::from(&snap.config.token);
    let grant = caller
        .policy
        .decide(&snap.apps, lifetimes, &valid.ask, identity)?;
    let kind = if valid.payload.is_some() {
        Kind::privilege
    } else {
        Kind::basic
    };
    let resp = mint(snap, valid, &grant)?;
    state.metrics().token_issued(grant.app_id, kind);
    Ok(json_response(&resp))
}
