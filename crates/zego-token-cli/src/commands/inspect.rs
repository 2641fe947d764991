//! `zego-token inspect`: a token's header without a secret, its claims with one.

use anyhow::Result;

use super::read::{check_stdin_once, parse_given, privileges_of, warnings_of};
use super::{Ctx, Outcome, now};
use crate::cli::InspectArgs;
use crate::input::read_token;
use crate::output::inspect::{Inspected, print_inspected, print_unparsed};

/// `zego-token inspect`.
pub(crate) fn run(ctx: &mut Ctx<'_>, a: &InspectArgs) -> Result<Outcome> {
    check_stdin_once(&a.token, &a.secret)?;
    let text = read_token(&a.token, ctx.stdin)?;
    let secret = ctx.secret(&a.secret)?;
    let now = now(&a.clock);
    let given = match parse_given(&text) {
        Ok(g) => g,
        Err(e) => {
            print_unparsed(ctx.out, a.json, &e, now)?;
            return Ok(Outcome::Rejected);
        }
    };
    let decoded = secret
        .as_ref()
        .map(|s| zego_token::decode_envelope(&given.env, &s.secret));
    let (claims, error) = match &decoded {
        Some(Ok(d)) => (Some(d), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    let privileges = claims.and_then(privileges_of);
    print_inspected(
        ctx.out,
        a.json,
        &Inspected {
            env: &given.env,
            kit: given.kit.as_ref(),
            secret: secret.as_ref().map(|s| &s.source),
            decoded: claims,
            privileges: privileges.as_ref(),
            warnings: warnings_of(&given, claims, now, true),
            error,
            now,
        },
    )?;
    Ok(Outcome::from_ok(error.is_none()))
}
