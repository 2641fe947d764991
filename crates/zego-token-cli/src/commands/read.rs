//! What `inspect` and `verify` share: the token as given (token04 or kit token), the
//! one-stdin rule, and the library's warnings about a token.

use anyhow::{Result, bail};
use zego_token::{Decoded, Error, KitInfo, RoomPrivileges, UntrustedEnvelope};

use crate::cli::SecretArgs;
use crate::output::WarningJson;

/// A token as given: a plain token04, or a kit token split at `#`.
pub(super) struct Given {
    /// The header of the token04 (of a kit token: of its part before `#`).
    pub(super) env: UntrustedEnvelope,
    /// The kit info of a kit token.
    pub(super) kit: Option<KitInfo>,
}

/// Reads a token04 or a kit token: the kit info first, then the token04's header.
pub(super) fn parse_given(text: &str) -> Result<Given, Error> {
    let (token04, kit) = zego_token::parse_kit_token(text)?;
    Ok(Given {
        env: zego_token::inspect(token04)?,
        kit,
    })
}

/// Refuses to read both the token and the secret from stdin.
pub(super) fn check_stdin_once(token_arg: &str, secret: &SecretArgs) -> Result<()> {
    if token_arg == "-" && secret.secret_stdin {
        bail!(
            "both the token (TOKEN is -) and the secret (--secret-stdin) would come from stdin: pass the token as the argument, or the secret with --secret-file or ZEGO_SERVER_SECRET"
        );
    }
    Ok(())
}

/// The library's warnings about a token, as JSON; first, for `inspect`
/// (`with_expiry`), that the header's expiry has passed (`verify`'s verdict covers it).
pub(super) fn warnings_of(
    given: &Given,
    decoded: Option<&Decoded>,
    now: i64,
    with_expiry: bool,
) -> Vec<WarningJson> {
    let expire = given.env.untrusted_expire();
    let expired = (with_expiry && expire <= now).then(|| WarningJson::expired(expire, now));
    expired
        .into_iter()
        .chain(
            zego_token::sdk::token_warnings(&given.env, decoded, given.kit.as_ref(), now)
                .iter()
                .map(WarningJson::from),
        )
        .collect()
}

/// The room privileges of a decoded token, when its payload is a room document.
pub(super) fn privileges_of(d: &Decoded) -> Option<RoomPrivileges> {
    d.claims.room_privileges().ok().flatten()
}
