//! `zego-token kit-token`: a token04 plus the kit info ZEGO's prebuilt UIKits read.

use anyhow::Result;
use zego_token::{Claims, RoomPayload};

use super::mint::{client_rules, lifetime, make_token, token_inputs, warned};
use super::{Ctx, Outcome, input_error};
use crate::cli::KitTokenArgs;
use crate::output::mint::{KitMinted, print_kit_token};

/// `zego-token kit-token`.
pub(crate) fn run(ctx: &mut Ctx<'_>, a: &KitTokenArgs) -> Result<Outcome> {
    let (secret, app_id) = token_inputs(ctx, &a.token)?;
    zego_token::validate_room_id(&a.room).map_err(input_error)?;
    let mut claims = Claims::new(app_id, a.token.user_id.as_str(), lifetime(a.token.ttl)?);
    if a.pin_room {
        let p = RoomPayload::new(a.room.as_str())
            .publish(a.publish)
            .build()
            .map_err(input_error)?;
        claims = claims.payload(p);
    }
    let user_name = a.user_name.as_deref().unwrap_or(&a.token.user_id);
    // Refused before minting: the kit cannot carry these IDs.
    zego_token::validate_kit_ids(&a.token.user_id, &a.room).map_err(input_error)?;
    let generated = make_token(&a.token, &secret, &claims)?;
    let mut warnings = client_rules(ctx, &a.token, &claims, generated.ctime)?;
    let kit = zego_token::kit_token(
        &generated.token,
        app_id,
        &a.token.user_id,
        &a.room,
        user_name,
    )
    .map_err(input_error)?;
    if !a.pin_room {
        // The room rules apply to the kit's room even when the token does not pin it.
        let room_rules = zego_token::sdk::check_room_id(&a.room);
        warnings.extend(warned(ctx, &room_rules)?);
    }
    print_kit_token(
        ctx.out,
        a.token.json,
        &KitMinted {
            kit_token: &kit,
            generated: &generated,
            app_id,
            user_id: &a.token.user_id,
            room_id: &a.room,
            user_name,
            warnings,
        },
    )?;
    Ok(Outcome::Success)
}
