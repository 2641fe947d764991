//! `zego-token generate`: a basic token, a privilege token for a room, or a raw payload.

use anyhow::Result;
use zego_token::{Claims, Payload, RoomPayload};

use super::mint::{client_rules, lifetime, make_token, token_inputs};
use super::{Ctx, Outcome, input_error};
use crate::cli::GenerateArgs;
use crate::output::mint::{Minted, print_generate};

/// `zego-token generate`.
pub(crate) fn run(ctx: &mut Ctx<'_>, a: &GenerateArgs) -> Result<Outcome> {
    let (secret, app_id) = token_inputs(ctx, &a.token)?;
    let privileges = match &a.room {
        Some(room) => {
            let mut p = RoomPayload::new(room.as_str())
                .login(!a.no_login)
                .publish(a.publish);
            // No --stream: no list at all (`null`, any stream), as the official samples.
            if !a.streams.is_empty() {
                p = p.streams(a.streams.iter().map(String::as_str));
            }
            Some(p.build().map_err(input_error)?)
        }
        None => None,
    };
    let payload = match (&privileges, &a.payload) {
        (Some(p), _) => Payload::from(p),
        (None, Some(raw)) => Payload::raw(raw.as_str()),
        (None, None) => Payload::empty(),
    };
    let claims =
        Claims::new(app_id, a.token.user_id.as_str(), lifetime(a.token.ttl)?).payload(payload);
    let generated = make_token(&a.token, &secret, &claims)?;
    let warnings = client_rules(ctx, &a.token, &claims, generated.ctime)?;
    print_generate(
        ctx.out,
        a.token.json,
        &Minted {
            generated: &generated,
            app_id,
            claims: &claims,
            privileges: privileges.as_ref(),
            warnings,
        },
    )?;
    Ok(Outcome::Success)
}
