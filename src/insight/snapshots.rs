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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::{OpportunityFields, Stage};
    use crate::store::{Clock, NewOpportunity};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, d).unwrap()
    }

    fn on(store: &mut Store, d: u32) {
        store.set_clock(Clock::Fixed(day(d).and_hms_opt(9, 0, 0).unwrap()));
    }

    /// A viable card (its stage's evidence left unchecked) of a seller of team north.
    fn viable(store: &mut Store, funnel: &Funnel, owner: &str, euros: i64) -> String {
        let fields = OpportunityFields {
            title: format!("{owner} {euros}"),
            value_cents: euros * 100,
            owner: owner.into(),
            team: "north".into(),
            ..Default::default()
        };
        let new = NewOpportunity {
            fields,
            stage: Some(Stage::CommitsToInvest),
        };
        store.add_opportunity(funnel, new).unwrap().id
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    /// Two days of a seller with a target and one without, in one team, against figures worked
    /// out by hand; a second try the same day keeps nothing new, and the trend is the window's.
    #[test]
    fn each_seller_and_team_keeps_a_day_of_figures_and_the_trend_reads_them_back() {
        let mut store = Store::open_in_memory().unwrap();
        on(&mut store, 4);
        let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
        store
            .set_target(&funnel, 2026, Some("ana"), 1_000_00)
            .unwrap();
        let first = viable(&mut store, &funnel, "ana", 600);
        viable(&mut store, &funnel, "bo", 200);
        record_scoped(&mut store, &funnel, 3.0).unwrap();

        // Day 5: ana wins her first card and opens another.
        on(&mut store, 5);
        store.mark_won(&first, None, day(5)).unwrap();
        viable(&mut store, &funnel, "ana", 500);
        record_scoped(&mut store, &funnel, 3.0).unwrap();
        // Later the same day: kept already, nothing changes.
        viable(&mut store, &funnel, "ana", 9_000);
        record_scoped(&mut store, &funnel, 3.0).unwrap();

        let ana = trend(&store, &funnel, &ReviewScope::Owner("ana".into()), 90).unwrap();
        let figures: Vec<_> = ana
            .iter()
            .map(|s| {
                (
                    s.day,
                    s.rtv_cents,
                    s.sales_to_date_cents,
                    s.target_cents,
                    s.gap_cents,
                )
            })
            .collect();
        assert_eq!(
            figures,
            [
                (day(4), 600_00, 0, Some(1_000_00), Some(1_000_00)),
                (day(5), 500_00, 600_00, Some(1_000_00), Some(400_00)),
            ]
        );
        // 600 / 1000, then 500 / 400.
        assert_eq!((ana[0].factor, ana[1].factor), (Some(0.6), Some(1.25)));
        // Day 4: 600 open can never make 1000. Day 5: the card won from stage 3 makes that
        // stage's win rate 1, so the 500 open there closes the 400 left surely.
        assert!(close(ana[0].probability, 0.0), "{:?}", ana[0]);
        assert!(close(ana[1].probability, 1.0), "{:?}", ana[1]);

        // Bo has no target: no GAP, factor or probability.
        let bo = trend(&store, &funnel, &ReviewScope::Owner("bo".into()), 90).unwrap();
        assert_eq!(bo.len(), 2);
        assert_eq!(
            (
                bo[1].rtv_cents,
                bo[1].gap_cents,
                bo[1].factor,
                bo[1].probability
            ),
            (200_00, None, None, None)
        );

        // The team: both sellers' cards against ana's target (the only one).
        let north = trend(&store, &funnel, &ReviewScope::Team("north".into()), 90).unwrap();
        let figures: Vec<_> = north
            .iter()
            .map(|s| (s.rtv_cents, s.sales_to_date_cents, s.gap_cents, s.factor))
            .collect();
        assert_eq!(
            figures,
            [
                (800_00, 0, Some(1_000_00), Some(0.8)),
                (700_00, 600_00, Some(400_00), Some(1.75)),
            ]
        );
        assert!(close(north[0].probability, 0.0) && close(north[1].probability, 1.0));

        // The window: today only.
        let today = trend(&store, &funnel, &ReviewScope::Owner("ana".into()), 1).unwrap();
        assert_eq!(today, ana[1..]);
        // The whole funnel's snapshots are not these.
        assert!(store.snapshots(&funnel, 2026, day(1)).unwrap().is_empty());
    }
}
