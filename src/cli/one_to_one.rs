//! `funnel one-to-one`: which one-to-one the board opens on, checked before the board takes the
//! terminal (an unknown seller or team is refused with exit code 1 and the names there are).

use super::{CliError, Context};
use crate::insight;
use crate::store::{Refusal, StoreError};
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
    let teams = store.teams(funnel)?;
    if !teams.contains(&team) {
        return Err(StoreError::from(Refusal::NoSuchTeam { name: team, teams }).into());
    }
    Ok(Opening::Team { team, lead })
}
