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

use zego_token::CipherMode;

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

/// What a token request asks for, after field validation.
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    /// The app.
    pub app_id: u32,
    /// The user.
    pub user_id: &'a str,
    /// The room, for a privilege token.
    pub room_id: Option<&'a str>,
    /// Whether publish is requested.
    pub publish: bool,
}

impl Policy {
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

    /// Checks the cipher mode asked for.
    ///
    /// # Errors
    ///
    /// 403 `mode_not_allowed` when the policy does not list it.
    pub fn check_mode(&self, mode: CipherMode) -> Result<(), ApiError> {
        if self.modes.contains(&mode) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "mode_not_allowed",
                format!(
                    "this caller may not get {} tokens; ask for mode \"gcm\"",
                    mode.as_str()
                ),
            ))
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

    /// Checks a request against this policy and, for a JWT caller, its claims.
    ///
    /// # Errors
    ///
    /// [`ApiError::Forbidden`] naming what is refused.
    pub fn check(&self, ask: &Ask<'_>, identity: Option<&JwtIdentity>) -> Result<(), ApiError> {
        if !self.allows_app(ask.app_id) {
            return Err(ApiError::forbidden(
                "app_not_allowed",
                format!("this caller may not get tokens for app {}", ask.app_id),
            ));
        }
        if !self.user_ids.iter().any(|p| p.matches(ask.user_id)) {
            return Err(ApiError::forbidden(
                "user_id_not_allowed",
                "this caller may not get tokens for this user_id",
            ));
        }
        let rooms_claim = identity.and_then(|i| i.rooms.as_ref());
        match ask.room_id {
            None if self.require_room || rooms_claim.is_some() || !self.allow_basic => {
                return Err(ApiError::forbidden(
                    "room_required",
                    "this caller may only get privilege tokens: give a room_id",
                ));
            }
            None => {}
            Some(room) => {
                if !self.rooms.iter().any(|p| p.matches(room)) {
                    return Err(ApiError::forbidden(
                        "room_not_allowed",
                        "this caller may not get tokens for this room",
                    ));
                }
                if let Some(list) = rooms_claim
                    && !list.iter().any(|r| r == room)
                {
                    return Err(ApiError::forbidden(
                        "room_not_allowed",
                        "the login token does not grant this room",
                    ));
                }
            }
        }
        if ask.publish {
            let claim_ok = identity.and_then(|i| i.may_publish).unwrap_or(true);
            if !self.allow_publish || !claim_ok {
                return Err(ApiError::forbidden(
                    "publish_not_allowed",
                    "this caller may not grant the publish privilege",
                ));
            }
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

    #[test]
    fn restricted_rooms_mean_no_basic_tokens_by_default() {
        assert!(Policy::basic_default(&[Pattern::new("*")], false));
        assert!(!Policy::basic_default(&[Pattern::new("room-*")], false));
        assert!(!Policy::basic_default(&[Pattern::new("*")], true));
        let p = Policy {
            rooms: vec![Pattern::new("room-*")],
            allow_basic: false,
            ..Policy::default()
        };
        let basic = Ask {
            app_id: 1,
            user_id: "u",
            room_id: None,
            publish: false,
        };
        assert_eq!(p.check(&basic, None).unwrap_err().code(), "room_required");
        let p = Policy {
            allow_basic: true,
            ..p
        };
        assert!(p.check(&basic, None).is_ok());
        let gcm_only = Policy {
            modes: vec![CipherMode::Gcm],
            ..Policy::default()
        };
        assert!(gcm_only.check_mode(CipherMode::Gcm).is_ok());
        assert_eq!(
            gcm_only.check_mode(CipherMode::Cbc).unwrap_err().code(),
            "mode_not_allowed"
        );
    }

    #[test]
    fn jwt_claims_narrow_the_policy() {
        let p = Policy {
            allow_publish: true,
            ..Policy::default()
        };
        let id = JwtIdentity {
            user_id: "u".into(),
            rooms: Some(vec!["r1".into()]),
            may_publish: Some(false),
        };
        let ask = |room: Option<&'static str>, publish| Ask {
            app_id: 1,
            user_id: "u",
            room_id: room,
            publish,
        };
        assert!(p.check(&ask(Some("r1"), false), Some(&id)).is_ok());
        let code = |r: Result<(), ApiError>| r.unwrap_err().code();
        assert_eq!(
            code(p.check(&ask(Some("r2"), false), Some(&id))),
            "room_not_allowed"
        );
        assert_eq!(code(p.check(&ask(None, false), Some(&id))), "room_required");
        assert_eq!(
            code(p.check(&ask(Some("r1"), true), Some(&id))),
            "publish_not_allowed"
        );
    }
}
