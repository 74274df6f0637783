//! `funnel one-to-one`: which one-to-one the board opens on, checked before the board takes the
//! terminal (an unknown seller or team is refused with exit code 1 and the names there are).

use super::{CliError, Context};
use crate::insight;
use crate::tui::Opening;

/// The one-to-one asked for: with a seller, or over a team (with its lead, by default the one
/// of the team's last meeting).
pub fn opening(
    ctx: &Context,
    owner: Option<String>,
    team: Option<String>,
    lead: Option<String>,
) -> Result<Opening, CliError> {
    let (store, funnel) = (&ctx.store, &ctx.funnel);
    let Some(team) = team else {
        let owner = owner.unwrap_or_default();
        insight::check_seller(store, funnel, &owner)?;
        return Ok(Opening::Seller(owner));
    };
    insight::team::check_team(store, funnel, &team)?;
    Ok(Opening::Team { team, lead })
}
