//! The daily snapshots of every seller and every team, beside the whole funnel's (see
//! [`super::record_snapshot`]), so that a one-to-one shows the seller's or the team's own
//! trend: RTV, factor and probability of the target over the last weeks.
//!
//! They are kept once a day, the first time the board's figures are worked out or a report is
//! made that day: working out each seller's probability reads their open values, which is a
//! background task's work, not a key press's.

use chrono::Days;

use super::team::{team_probability, team_summary};
use super::{compute, summary};
use crate::domain::Period;
use crate::domain::insight::Snapshot;
use crate::domain::review::ReviewScope;
use crate::store::{Funnel, Result, Store, StoreError};

/// Keeps today's figures of the current period for every seller and every team of the funnel,
/// unless they are kept already today (the first of them is). Like [`super::record_snapshot`],
/// a read-only database keeps none, and neither does one another window or command is writing
/// to, or a full disk: the next try keeps them.
pub fn record_scoped(store: &mut Store, funnel: &Funnel, default_factor: f64) -> Result<()> {
    if store.is_read_only() {
        return Ok(());
    }
    let today = store.today();
    let period = Period::containing(today, funnel.fiscal_start);
    let scopes: Vec<ReviewScope> = (store.owners(funnel)?.into_iter().map(ReviewScope::Owner))
        .chain(store.teams(funnel)?.into_iter().map(ReviewScope::Team))
        .collect();
    match scopes.first() {
        Some(first) if !store.has_snapshot(funnel, period.year, first, today)? => {}
        _ => return Ok(()),
    }
    let mut snaps = Vec::with_capacity(scopes.len());
    for scope in scopes {
        let snap = scoped_snapshot(store, funnel, period, &scope, default_factor)?;
        snaps.push((scope, snap));
    }
    match store.save_scoped_snapshots(funnel, period.year, &snaps) {
        Ok(()) | Err(StoreError::Busy | StoreError::Full) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Today's figures of a seller (from their own history) or a team (its sellers').
fn scoped_snapshot(
    store: &Store,
    funnel: &Funnel,
    period: Period,
    scope: &ReviewScope,
    default_factor: f64,
) -> Result<Snapshot> {
    let today = store.today();
    match scope {
        ReviewScope::Owner(owner) => {
            let own = summary(store, funnel, period, Some(owner))?;
            let insight = compute(store, funnel, own, Some(owner), default_factor)?;
            Ok(insight.snapshot(today))
        }
        ReviewScope::Team(team) => {
            let members = store.team_members(funnel, team)?;
            let rows = store.totals(funnel)?;
            let theirs = team_summary(store, funnel, period, &rows, &members)?;
            let probability = team_probability(store, funnel, &theirs, &members, default_factor)?;
            Ok(Snapshot::of(today, &theirs, probability))
        }
    }
}

/// A seller's or a team's kept figures of the current period over the last `days` days, today
/// included, oldest first.
pub fn trend(
    store: &Store,
    funnel: &Funnel,
    scope: &ReviewScope,
    days: u32,
) -> Result<Vec<Snapshot>> {
    let today = store.today();
    let period = Period::containing(today, funnel.fiscal_start);
    let since = today - Days::new(u64::from(days.saturating_sub(1)));
    store.snapshots_scoped(funnel, period.year, scope, since)
}
