//! `zego-token verify`: check a token as ZEGO's server would, and say why it fails.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};
use zego_token::{Error, FixedClock, Validation};

use super::read::{check_stdin_once, parse_given, privileges_of, warnings_of};
use super::{Ctx, Outcome, now};
use crate::cli::VerifyArgs;
use crate::input::{NO_SECRET_HELP, read_token};
use crate::output::verify::{Verified, print_verified};

/// `zego-token verify`.
pub(crate) fn run(ctx: &mut Ctx<'_>, a: &VerifyArgs) -> Result<Outcome> {
    check_stdin_once(&a.token, &a.secret)?;
    for (flag, value) in [
        ("--user-id", &a.user_id),
        ("--room", &a.room),
        ("--stream", &a.stream),
    ] {
        if value.as_deref() == Some("") {
            bail!("{flag} is empty: give the value to expect, or leave {flag} out");
        }
    }
    let text = read_token(&a.token, ctx.stdin)?;
    let app_id = ctx.app_id(a.app_id, a.secret.demo)?;
    let secret = ctx.secret(&a.secret)?;
    let Some(secret) = secret else {
        bail!("verify needs the ServerSecret: {NO_SECRET_HELP}");
    };
    let given = parse_given(&text);
    // A kit token carries the appID its kit initialises the SDK with.
    let kit_app = given
        .as_ref()
        .ok()
        .and_then(|g| g.kit.as_ref())
        .and_then(|k| k.app_id);
    let Some(app_id) = app_id.or(kit_app) else {
        bail!(
            "verify needs the app id: pass --app-id N (the AppID the SDK is initialised with) or set ZEGO_APP_ID"
        );
    };
    let now = now(&a.clock);
    let mut v = Validation::new(app_id)
        .leeway(Duration::from_secs(a.leeway))
        .clock(Arc::new(FixedClock(now)));
    if let Some(room) = &a.room {
        v = v.room_id(room.as_str());
    }
    if a.publish {
        v = v.require_publish();
    }
    if let Some(stream) = &a.stream {
        v = v.stream_id(stream.as_str());
    }
    let mut warnings = Vec::new();
    let decoded = given.and_then(|g| {
        let d = zego_token::decode_envelope(&g.env, &secret.secret)?;
        Ok((g, d))
    });
    let (decoded, privileges, result) = match decoded {
        Ok((given, d)) => {
            let kit = given.kit.as_ref();
            // Without --user-id, a kit token's user is the kit info's userID.
            let user = a
                .user_id
                .as_deref()
                .or_else(|| kit.and_then(|k| k.user_id.as_deref()));
            if let Some(user) = user {
                v = v.user_id(user);
            }
            warnings = warnings_of(&given, Some(&d), now, false);
            let privileges = privileges_of(&d);
            let r = zego_token::check(&d, &v).and_then(|()| match kit.map(|k| k.app_id) {
                // The kit initialises its SDK with the kit info's appID.
                Some(kit_app) if kit_app != Some(d.claims.app_id) => Err(Error::AppIdMismatch {
                    expected: kit_app.unwrap_or(0),
                    found: d.claims.app_id,
                }),
                _ => Ok(()),
            });
            (Some(d), privileges, r)
        }
        Err(e) => (None, None, Err(e)),
    };
    print_verified(
        ctx.out,
        a.json,
        &Verified {
            decoded: decoded.as_ref(),
            privileges: privileges.as_ref(),
            warnings,
            result: &result,
            now,
        },
    )?;
    Ok(Outcome::from_ok(result.is_ok()))
}
