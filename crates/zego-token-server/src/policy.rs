//! What a caller may ask for: apps, rooms, user_ids, publish, basic tokens, cipher
//! modes, TTL.
//!
//! A basic token carries no room restriction at all: a caller whose rooms are
//! restricted (anything but `["*"]`, a rooms claim, `require_room`) gets privilege tokens
//! only, unless its policy says `allow_basic = true`.
//!
//! Each API key and each JWT issuer has one [`Policy`]. For a JWT caller the claims add
//! to it ([`crate::jwt::JwtIdentity`]): the user_id is the claim's, a rooms claim narrows
//! the rooms to exact IDs, a publish claim can only narrow what the policy allows.

use std::collections::BTreeMap;
use std::time::Duration;

use zego_token::CipherMode;

use crate::config::{CallerKind, CallerPolicyConfig};
use crate::error::ApiError;
use crate::jwt::JwtIdentity;

/// A glob with `*` matching any run of characters (including none). Everything else
/// matches itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern(String);

impl Pattern {
    /// A pattern from its text.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// Whether `s` matches.
    #[must_use]
    pub fn matches(&self, s: &str) -> bool {
        glob(self.0.as_bytes(), s.as_bytes())
    }

    /// The pattern text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Iterative wildcard match with single-star backtracking: linear in practice, never
/// exponential.
fn glob(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
        } else if pi < p.len() && p[pi] == s[si] {
            pi += 1;
            si += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

/// The policy of one API key or JWT issuer.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Apps the caller may use; `None`: all configured apps.
    pub apps: Option<Vec<u32>>,
    /// Room patterns.
    pub rooms: Vec<Pattern>,
    /// user_id patterns.
    pub user_ids: Vec<Pattern>,
    /// Whether publish may be granted.
    pub allow_publish: bool,
    /// Whether a room is required (no basic tokens).
    pub require_room: bool,
    /// Whether basic tokens (no room inside) may be given. See [`Policy::basic_default`].
    pub allow_basic: bool,
    /// The cipher modes the caller may ask for.
    pub modes: Vec<CipherMode>,
    /// TTL cap (seconds) on top of the global one.
    pub max_ttl_seconds: Option<u64>,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            apps: None,
            rooms: vec![Pattern::new("*")],
            user_ids: vec![Pattern::new("*")],
            allow_publish: true,
            require_room: false,
            allow_basic: true,
            modes: vec![CipherMode::Gcm, CipherMode::Cbc],
            max_ttl_seconds: None,
        }
    }
}

/// What a token request asks for, its fields already valid by the library's rules
/// (see `routes::token`): the one input of [`Policy::decide`].
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    /// The app named in the request; `None`: the default one.
    pub app_id: Option<u32>,
    /// Who the token is for: the request's user_id, or a JWT caller's from its login token.
    pub user_id: &'a str,
    /// The room, for a privilege token; `None`: a basic token.
    pub room_id: Option<&'a str>,
    /// Whether publish is requested.
    pub publish: bool,
    /// The lifetime asked for (more than 0); `None`: the configured default.
    pub ttl_seconds: Option<u64>,
    /// The cipher mode asked for.
    pub mode: CipherMode,
}

/// The global token lifetimes a decision applies with the caller's own cap.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// TTL of a request that names none (lowered to the caller's cap).
    pub default_ttl_seconds: u64,
    /// The global TTL cap.
    pub max_ttl_seconds: u64,
}

impl From<&crate::config::TokenConfig> for Lifetimes {
    fn from(t: &crate::config::TokenConfig) -> Self {
        Self {
            default_ttl_seconds: t.default_ttl_seconds,
            max_ttl_seconds: t.max_ttl_seconds,
        }
    }
}

/// What the policy allows for a request: everything minting needs that the request
/// does not already say. Only [`Policy::decide`] makes one.
#[derive(Debug)]
pub struct Grant<'s, A> {
    /// The app.
    pub app_id: u32,
    /// Its entry (the prepared ServerSecret).
    pub app: &'s A,
    /// The lifetime: the one asked for, or the default lowered to the caller's cap.
    pub ttl: Duration,
    /// The cipher mode.
    pub mode: CipherMode,
}

/// The app a request without `app_id` gets when it names none: the only one configured.
pub(crate) fn only_app<A>(apps: &BTreeMap<u32, A>) -> Option<u32> {
    let mut ids = apps.keys();
    match (ids.next(), ids.next()) {
        (Some(id), None) => Some(*id),
        _ => None,
    }
}

impl Policy {
    /// The policy of an API key or a JWT issuer from its policy keys: the one
    /// conversion, for both. `kind` gives what differs: `allow_publish`'s default (true
    /// for an API key, false for an issuer) and whether a rooms claim requires a room
    /// (and so turns basic tokens off by default). The keys were checked with the config.
    pub(crate) fn from_config(config: &CallerPolicyConfig, kind: CallerKind) -> Self {
        let rooms: Vec<Pattern> = config.rooms.iter().map(Pattern::new).collect();
        let require_room = kind.room_required(config);
        Self {
            apps: config.apps.clone(),
            allow_basic: config
                .allow_basic
                .unwrap_or_else(|| Self::basic_default(&rooms, require_room)),
            rooms,
            user_ids: config.user_ids.iter().map(Pattern::new).collect(),
            allow_publish: config.allow_publish.unwrap_or(kind.default_publish()),
            require_room,
            modes: Self::modes_from(config.modes.as_deref()),
            max_ttl_seconds: config.max_ttl_seconds,
        }
    }

    /// Whether basic tokens are allowed when the config does not say: only for a
    /// caller whose rooms are unrestricted (`["*"]`, no rooms claim, no `require_room`).
    #[must_use]
    pub fn basic_default(rooms: &[Pattern], room_required: bool) -> bool {
        !room_required && rooms.iter().any(|p| p.as_str() == "*")
    }

    /// The modes of a config's `modes` list (already checked); `None`: both.
    #[must_use]
    pub fn modes_from(list: Option<&[String]>) -> Vec<CipherMode> {
        match list {
            None => vec![CipherMode::Gcm, CipherMode::Cbc],
            Some(l) => l
                .iter()
                .filter_map(|m| match m.as_str() {
                    "gcm" => Some(CipherMode::Gcm),
                    "cbc" => Some(CipherMode::Cbc),
                    _ => None,
                })
                .collect(),
        }
    }

    /// Whether the caller may use `app_id`.
    #[must_use]
    pub fn allows_app(&self, app_id: u32) -> bool {
        self.apps.as_ref().is_none_or(|a| a.contains(&app_id))
    }

    /// The effective TTL cap given the global one.
    #[must_use]
    pub fn ttl_cap(&self, global: u64) -> u64 {
        self.max_ttl_seconds.map_or(global, |m| m.min(global))
    }

    /// The one policy decision of a token request, the same for API-key and JWT callers
    /// (a JWT caller's claims narrow it: `identity`): app, user, room (or a basic
    /// token), publish, TTL and cipher mode, in that order; the first refusal is the
    /// answer.
    ///
    /// # Errors
    ///
    /// 403 naming what this caller may not have (`app_not_allowed`,
    /// `user_id_not_allowed`, `room_required`, `room_not_allowed`,
    /// `publish_not_allowed`, `mode_not_allowed`); 422 when the app cannot be chosen
    /// (`app_id_required`, `unknown_app`) or the TTL is over the cap (`ttl_too_long`).
    pub fn decide<'s, A>(
        &self,
        apps: &'s BTreeMap<u32, A>,
        lifetimes: Lifetimes,
        ask: &Ask<'_>,
        identity: Option<&JwtIdentity>,
    ) -> Result<Grant<'s, A>, ApiError> {
        let (app_id, app) = self.app(apps, ask.app_id)?;
        if !self.user_ids.iter().any(|p| p.matches(ask.user_id)) {
            return Err(ApiError::forbidden(
                "user_id_not_allowed",
                "this caller may not get tokens for this user_id",
            ));
        }
        self.room(ask.room_id, identity)?;
        if ask.publish && !self.allows_publish(identity) {
            return Err(ApiError::forbidden(
                "publish_not_allowed",
                "this caller may not grant the publish privilege",
            ));
        }
        let cap = self.ttl_cap(lifetimes.max_ttl_seconds);
        let ttl = match ask.ttl_seconds {
            None => self.default_ttl(lifetimes),
            Some(ttl) if ttl > cap => {
                return Err(ApiError::invalid(
                    "ttl_too_long",
                    format!("ttl_seconds is {ttl}; this caller may ask for at most {cap}"),
                ));
            }
            Some(ttl) => ttl,
        };
        if !self.modes.contains(&ask.mode) {
            return Err(ApiError::forbidden(
                "mode_not_allowed",
                format!(
                    "this caller may not get {} tokens; ask for mode \"gcm\"",
                    ask.mode.as_str()
                ),
            ));
        }
        Ok(Grant {
            app_id,
            app,
            ttl: Duration::from_secs(ttl),
            mode: ask.mode,
        })
    }

    /// The app named, else the only one configured, else the only one this caller may
    /// use. A caller limited to some apps learns nothing about the others, configured
    /// or not.
    fn app<'s, A>(
        &self,
        apps: &'s BTreeMap<u32, A>,
        asked: Option<u32>,
    ) -> Result<(u32, &'s A), ApiError> {
        let app_id = match asked.or_else(|| only_app(apps)) {
            Some(id) => id,
            None => {
                let mut usable = apps.keys().copied().filter(|id| self.allows_app(*id));
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
        };
        if !self.allows_app(app_id) {
            return Err(ApiError::forbidden(
                "app_not_allowed",
                format!("this caller may not use app {app_id}"),
            ));
        }
        match apps.get(&app_id) {
            Some(app) => Ok((app_id, app)),
            None => Err(ApiError::invalid(
                "unknown_app",
                format!("app {app_id} is not configured on this server"),
            )),
        }
    }

    /// The app a request without `app_id` gets from this caller, if there is one.
    pub(crate) fn default_app<A>(&self, apps: &BTreeMap<u32, A>) -> Option<u32> {
        self.app(apps, None).ok().map(|(id, _)| id)
    }

    /// The TTL of a request that names none: the default, lowered to the caller's cap.
    #[must_use]
    pub fn default_ttl(&self, lifetimes: Lifetimes) -> u64 {
        lifetimes
            .default_ttl_seconds
            .min(self.ttl_cap(lifetimes.max_ttl_seconds))
    }

    /// Whether a basic token (no room) may be given: not with `require_room`, a JWT's
    /// rooms claim (a basic token would bypass it) or `allow_basic = false`.
    #[must_use]
    pub fn allows_basic(&self, identity: Option<&JwtIdentity>) -> bool {
        self.allow_basic && !self.require_room && identity.is_none_or(|i| i.rooms.is_none())
    }

    /// Whether publish may be granted: the policy must allow it, and a JWT's publish
    /// claim can only narrow that.
    #[must_use]
    pub fn allows_publish(&self, identity: Option<&JwtIdentity>) -> bool {
        self.allow_publish && identity.and_then(|i| i.may_publish).unwrap_or(true)
    }

    /// A privilege token's room against the patterns and a JWT's rooms claim; a basic
    /// token (no room) against [`Policy::allows_basic`].
    fn room(&self, room: Option<&str>, identity: Option<&JwtIdentity>) -> Result<(), ApiError> {
        let rooms_claim = identity.and_then(|i| i.rooms.as_deref());
        let Some(room) = room else {
            if !self.allows_basic(identity) {
                return Err(ApiError::forbidden(
                    "room_required",
                    "this caller may only get privilege tokens: give a room_id",
                ));
            }
            return Ok(());
        };
        if !self.rooms.iter().any(|p| p.matches(room)) {
            return Err(ApiError::forbidden(
                "room_not_allowed",
                "this caller may not get tokens for this room",
            ));
        }
        if rooms_claim.is_some_and(|list| !list.iter().any(|r| r == room)) {
            return Err(ApiError::forbidden(
                "room_not_allowed",
                "the login token does not grant this room",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let m = |p: &str, s: &str| Pattern::new(p).matches(s);
        assert!(m("*", ""));
        assert!(m("*", "anything"));
        assert!(m("room-*", "room-1"));
        assert!(m("room-*", "room-"));
        assert!(!m("room-*", "room"));
        assert!(m("*-vip", "a-vip"));
        assert!(m("a*b*c", "axxbyyc"));
        assert!(!m("a*b*c", "axxbyy"));
        assert!(m("exact", "exact"));
        assert!(!m("exact", "exactly"));
        assert!(m("**", "x"));
        assert!(!m(&"a*".repeat(30), &"a".repeat(29)));
    }

    const LIFETIMES: Lifetimes = Lifetimes {
        default_ttl_seconds: 3600,
        max_ttl_seconds: 86_400,
    };

    fn ask(room_id: Option<&str>, publish: bool) -> Ask<'_> {
        Ask {
            app_id: None,
            user_id: "u",
            room_id,
            publish,
            ttl_seconds: None,
            mode: CipherMode::Gcm,
        }
    }

    fn refusal(
        p: &Policy,
        apps: &BTreeMap<u32, ()>,
        ask: &Ask<'_>,
        id: Option<&JwtIdentity>,
    ) -> &'static str {
        p.decide(apps, LIFETIMES, ask, id).unwrap_err().code()
    }

    #[test]
    fn restricted_rooms_mean_no_basic_tokens_by_default() {
        let apps = BTreeMap::from([(1, ())]);
        assert!(Policy::basic_default(&[Pattern::new("*")], false));
        assert!(!Policy::basic_default(&[Pattern::new("room-*")], false));
        assert!(!Policy::basic_default(&[Pattern::new("*")], true));
        let p = Policy {
            rooms: vec![Pattern::new("room-*")],
            allow_basic: false,
            ..Policy::default()
        };
        assert_eq!(refusal(&p, &apps, &ask(None, false), None), "room_required");
        let p = Policy {
            allow_basic: true,
            ..p
        };
        assert!(p.decide(&apps, LIFETIMES, &ask(None, false), None).is_ok());
        let gcm_only = Policy {
            modes: vec![CipherMode::Gcm],
            ..Policy::default()
        };
        assert!(
            gcm_only
                .decide(&apps, LIFETIMES, &ask(None, false), None)
                .is_ok()
        );
        let cbc = Ask {
            mode: CipherMode::Cbc,
            ..ask(None, false)
        };
        assert_eq!(refusal(&gcm_only, &apps, &cbc, None), "mode_not_allowed");
    }

    #[test]
    fn jwt_claims_narrow_the_policy() {
        let apps = BTreeMap::from([(1, ())]);
        let p = Policy {
            allow_publish: true,
            ..Policy::default()
        };
        let id = JwtIdentity {
            user_id: "u".into(),
            rooms: Some(vec!["r1".into()]),
            may_publish: Some(false),
        };
        assert!(
            p.decide(&apps, LIFETIMES, &ask(Some("r1"), false), Some(&id))
                .is_ok()
        );
        assert_eq!(
            refusal(&p, &apps, &ask(Some("r2"), false), Some(&id)),
            "room_not_allowed"
        );
        assert_eq!(
            refusal(&p, &apps, &ask(None, false), Some(&id)),
            "room_required"
        );
        assert_eq!(
            refusal(&p, &apps, &ask(Some("r1"), true), Some(&id)),
            "publish_not_allowed"
        );
        // The same request without the claims is allowed: the claims only narrow.
        assert!(
            p.decide(&apps, LIFETIMES, &ask(Some("r1"), true), None)
                .is_ok()
        );
    }

    #[test]
    fn the_app_is_the_one_named_the_only_one_or_the_only_usable_one() {
        let one = BTreeMap::from([(7, ())]);
        let two = BTreeMap::from([(7, ()), (8, ())]);
        let any = Policy::default();
        let only_8 = Policy {
            apps: Some(vec![8]),
            ..Policy::default()
        };
        let pick = |p: &Policy, apps: &BTreeMap<u32, ()>, app_id| {
            p.decide(
                apps,
                LIFETIMES,
                &Ask {
                    app_id,
                    ..ask(None, false)
                },
                None,
            )
            .map(|g| g.app_id)
            .map_err(|e| e.code())
        };
        assert_eq!(pick(&any, &one, None), Ok(7));
        assert_eq!(pick(&any, &two, None), Err("app_id_required"));
        assert_eq!(pick(&only_8, &two, None), Ok(8));
        assert_eq!(pick(&only_8, &two, Some(7)), Err("app_not_allowed"));
        assert_eq!(pick(&any, &two, Some(9)), Err("unknown_app"));
        // Not even whether app 9 exists is told to a caller limited to app 8.
        assert_eq!(pick(&only_8, &two, Some(9)), Err("app_not_allowed"));
        assert_eq!(pick(&only_8, &one, None), Err("app_not_allowed"));
    }

    #[test]
    fn the_ttl_is_the_one_asked_for_or_the_default_lowered_to_the_cap() {
        let apps = BTreeMap::from([(1, ())]);
        let capped = Policy {
            max_ttl_seconds: Some(600),
            ..Policy::default()
        };
        let ttl = |p: &Policy, ttl_seconds| {
            p.decide(
                &apps,
                LIFETIMES,
                &Ask {
                    ttl_seconds,
                    ..ask(None, false)
                },
                None,
            )
            .map(|g| g.ttl.as_secs())
            .map_err(|e| e.code())
        };
        assert_eq!(ttl(&Policy::default(), None), Ok(3600));
        assert_eq!(ttl(&capped, None), Ok(600));
        assert_eq!(ttl(&capped, Some(600)), Ok(600));
        assert_eq!(ttl(&capped, Some(601)), Err("ttl_too_long"));
        assert_eq!(ttl(&Policy::default(), Some(86_401)), Err("ttl_too_long"));
        assert_eq!(ttl(&Policy::default(), Some(86_400)), Ok(86_400));
    }
}
