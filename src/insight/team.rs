//! The figures of a director's one-to-one with a team's lead: the team's RTV, GAP and factor
//! beside the other teams', one line per seller (with their upkeep and the share of their RTV
//! whose last move was not verified) and the stage the team converts worst from against the
//! whole funnel.
//!
//! A team is its sellers ([`Store::team_members`]): its figures are theirs added up, its target
//! the sum of their individual targets (a seller in two teams counts in both). Everything here
//! reads the kept sums and breakdowns, except the upkeep and the unverified share, which are
//! kept (see `Store::cached`) so that opening the one-to-one again reads no card.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::Period;
use crate::domain::Stage;
use crate::domain::indicators::{self, Summary, TotalRow};
use crate::domain::insight::{self, Conversion};
use crate::domain::upkeep::UpkeepSettings;
use crate::store::{Funnel, Refusal, Result, Scope, Store};

use super::is_current;

/// A team one-to-one's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamReview {
    pub team: String,
    /// The team's figures of the period (RTV, GAP, factor, win rate, stages).
    #[serde(skip)]
    pub summary: Summary,
    /// The other teams, by name.
    pub others: Vec<TeamLine>,
    /// The team's sellers, by name.
    pub sellers: Vec<SellerLine>,
    /// The step the team converts worst from, against the whole funnel.
    pub weakest_stage: Option<Stage>,
}

/// Another team's figures, to compare with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamLine {
    pub team: String,
    pub rtv_cents: i128,
    pub gap_cents: Option<i128>,
    pub factor: Option<f64>,
    pub win_rate: Option<f64>,
}

/// One seller of the team.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SellerLine {
    pub owner: String,
    pub rtv_cents: i128,
    /// `None` without an individual target.
    pub gap_cents: Option<i128>,
    pub factor: Option<f64>,
    pub win_rate: Option<f64>,
    /// Share of their open cards kept up (no overdue or missing next step, not inactive);
    /// `None` without an open card.
    pub upkeep: Option<f64>,
    /// Share of their RTV whose last move was made without its evidence confirmed; `None`
    /// without RTV.
    pub unverified_share: Option<f64>,
}

/// A team's one-to-one figures for a period. An unknown team is refused with the teams
/// there are.
pub fn team_review(
    store: &Store,
    funnel: &Funnel,
    team: &str,
    period: Period,
    upkeep: &UpkeepSettings,
    expected_days: &[u32; Stage::COUNT],
) -> Result<TeamReview> {
    let teams = check_team(store, funnel, team)?;
    let rows = store.totals(funnel)?;
    let members = store.team_members(funnel, team)?;
    let summary = team_summary(store, funnel, period, &rows, &members)?;
    let mut others = Vec::new();
    for other in teams.iter().filter(|t| *t != team) {
        let s = team_summary(
            store,
            funnel,
            period,
            &rows,
            &store.team_members(funnel, other)?,
        )?;
        others.push(TeamLine {
            team: other.clone(),
            rtv_cents: s.rtv_cents,
            gap_cents: s.gap_cents,
            factor: s.factor,
            win_rate: s.win_rate,
        });
    }
    let kept = upkeep_shares(store, funnel, upkeep, expected_days)?;
    let current = is_current(store, funnel, period);
    let scope = Scope {
        year: period.year,
        current,
        owner: None,
    };
    let unverified: BTreeMap<String, i128> = store
        .unverified_by_owner(funnel, scope)?
        .into_iter()
        .collect();
    let mut sellers = Vec::new();
    for owner in &members {
        let target = store.target(funnel, period.year, Some(owner))?;
        let s = indicators::summarize(&rows, period, current, target.map(i128::from), Some(owner));
        let unverified = unverified.get(owner).copied().unwrap_or(0);
        sellers.push(SellerLine {
            owner: owner.clone(),
            rtv_cents: s.rtv_cents,
            gap_cents: s.gap_cents,
            factor: s.factor,
            win_rate: s.win_rate,
            upkeep: kept.get(owner).copied().flatten(),
            unverified_share: (s.rtv_cents > 0).then(|| unverified as f64 / s.rtv_cents as f64),
        });
    }
    let weakest_stage =
        team_conversion(store, funnel, &members)?.weakest(Some(&whole_conversion(store, funnel)?));
    Ok(TeamReview {
        team: team.to_owned(),
        summary,
        others,
        sellers,
        weakest_stage,
    })
}

/// A team one-to-one is held over one of the funnel's teams (with cards in it): any other name
/// is refused, with the teams there are (returned otherwise).
pub fn check_team(store: &Store, funnel: &Funnel, team: &str) -> Result<Vec<String>> {
    let teams = store.teams(funnel)?;
    if teams.iter().any(|t| t == team) {
        return Ok(teams);
    }
    Err(Refusal::NoSuchTeam {
        name: team.to_owned(),
        teams,
    }
    .into())
}

/// A team's figures of the period: its sellers' rows, against the sum of their targets (none
/// when no seller has one).
pub fn team_summary(
    store: &Store,
    funnel: &Funnel,
    period: Period,
    rows: &[TotalRow],
    members: &[String],
) -> Result<Summary> {
    let mut target = None;
    for owner in members {
        if let Some(t) = store.target(funnel, period.year, Some(owner))? {
            *target.get_or_insert(0) += i128::from(t);
        }
    }
    let theirs: Vec<TotalRow> = rows
        .iter()
        .filter(|r| members.contains(&r.owner))
        .cloned()
        .collect();
    // Each row is one seller's: summed over all of them, as for the whole funnel.
    Ok(indicators::summarize(
        &theirs,
        period,
        is_current(store, funnel, period),
        target,
        None,
    ))
}

/// The stage conversion of a team's sellers' history.
pub fn team_conversion(store: &Store, funnel: &Funnel, members: &[String]) -> Result<Conversion> {
    let mut journeys = Vec::new();
    for owner in members {
        journeys.extend(store.journeys(funnel, Some(owner))?);
    }
    Ok(insight::conversion(&journeys))
}

fn whole_conversion(store: &Store, funnel: &Funnel) -> Result<Conversion> {
    Ok(insight::conversion(&store.journeys(funnel, None)?))
}

/// Each seller's kept-up share of open cards today. Reading it takes a pass over every open
/// card, so it is kept until the data changes, the day turns or an activity is logged (the
/// latest activity is not a change of the data; an activity deleted is seen at the next of
/// these).
fn upkeep_shares(
    store: &Store,
    funnel: &Funnel,
    settings: &UpkeepSettings,
    expected_days: &[u32; Stage::COUNT],
) -> Result<BTreeMap<String, Option<f64>>> {
    let today = store.today();
    let key = (
        &funnel.id,
        today.to_string(),
        store.activity_mark()?,
        format!("{settings:?}"),
        expected_days,
    );
    let counts: Vec<(String, u64, u64)> = store.cached("upkeep_by_owner", key, |store| {
        let by_owner = store.upkeep_by_owner(funnel, today, settings, expected_days)?;
        Ok(by_owner
            .into_iter()
            .map(|(owner, u)| (owner, u.kept, u.open))
            .collect())
    })?;
    Ok(counts
        .into_iter()
        .map(|(owner, kept, open)| (owner, (open > 0).then(|| kept as f64 / open as f64)))
        .collect())
}

/// The probability that a team reaches its target: its sellers' open cards, each closing at
/// the rate of the team's history for its stage (as [`super::compute`] does for a seller).
/// `None` without a target.
pub fn team_probability(
    store: &Store,
    funnel: &Funnel,
    summary: &Summary,
    members: &[String],
    default_factor: f64,
) -> Result<Option<f64>> {
    let Some(target) = summary.target_cents else {
        return Ok(None);
    };
    let conversion = team_conversion(store, funnel, members)?;
    let required = insight::required_factor(&conversion, default_factor);
    let win = conversion.win_probabilities(1.0 / required.value);
    let current = is_current(store, funnel, summary.period);
    let mut open = Vec::new();
    for owner in members {
        let scope = Scope {
            year: summary.period.year,
            current,
            owner: Some(owner),
        };
        // Each seller's values apart: the programme takes equal values in any order.
        open.extend(store.open_values(funnel, scope)?);
    }
    Ok(Some(insight::probability_of_target(
        summary.sales_to_date_cents,
        target,
        &open,
        &win,
    )))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::{ActivityKind, NewActivity, OpportunityFields};
    use crate::store::{Clock, MoveOutcome, NewOpportunity};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn on(store: &mut Store, m: u32, d: u32) {
        store.set_clock(Clock::Fixed(day(m, d).and_hms_opt(9, 0, 0).unwrap()));
    }

    fn add(store: &mut Store, f: &Funnel, who: (&str, &str), euros: i64, stage: Stage) -> String {
        let fields = OpportunityFields {
            title: format!("{} {euros}", who.0),
            value_cents: euros * 100,
            owner: who.0.into(),
            team: who.1.into(),
            ..Default::default()
        };
        let new = NewOpportunity {
            fields,
            stage: Some(stage),
        };
        store.add_opportunity(f, new).unwrap().id
    }

    /// North (ana with a target, bo without) beside south (cy), worked out by hand.
    #[test]
    fn a_teams_figures_sellers_and_weakest_stage_beside_the_other_teams() {
        let mut store = Store::open_in_memory().unwrap();
        on(&mut store, 5, 4);
        let f = store.resolve_funnel(None, "EUR", 1).unwrap();
        store.set_target(&f, 2026, Some("ana"), 1_000_00).unwrap();
        store.set_target(&f, 2026, Some("cy"), 500_00).unwrap();
        let (ana, bo, cy) = (("ana", "north"), ("bo", "north"), ("cy", "south"));
        let kept = add(&mut store, &f, ana, 600, Stage::CommitsToInvest);
        store
            .set_next_step(&kept, None, "Call", Some(day(12, 1)), None)
            .unwrap();
        let forced = add(&mut store, &f, ana, 300, Stage::ProblemRecognized);
        let moved = store
            .move_stage(&forced, None, Stage::CommitsToInvest, true)
            .unwrap();
        assert!(matches!(moved, MoveOutcome::Moved(_)));
        add(&mut store, &f, bo, 200, Stage::ProblemRecognized);
        let lost = add(&mut store, &f, bo, 50, Stage::ProblemRecognized);
        store.mark_lost(&lost, None, "budget", day(5, 4)).unwrap();
        add(&mut store, &f, cy, 400, Stage::CommitsToInvest);
        let won = add(&mut store, &f, cy, 100, Stage::CommitsToInvest);
        store.mark_won(&won, None, day(5, 4)).unwrap();
        let period = Period::containing(day(5, 4), 1);
        let (settings, expected) = (UpkeepSettings::default(), [60; Stage::COUNT]);

        let review = team_review(&store, &f, "north", period, &settings, &expected).unwrap();
        assert_eq!(review.team, "north");
        let s = &review.summary;
        assert_eq!(
            (s.rtv_cents, s.target_cents, s.gap_cents, s.factor),
            (900_00, Some(1_000_00), Some(1_000_00), Some(0.9))
        );
        assert_eq!((s.won_count, s.lost_count, s.win_rate), (0, 1, Some(0.0)));
        assert_eq!(
            review.others,
            [TeamLine {
                team: "south".into(),
                rtv_cents: 400_00,
                gap_cents: Some(400_00),
                factor: Some(1.0),
                win_rate: Some(1.0),
            }]
        );
        assert_eq!(
            review.sellers,
            [
                SellerLine {
                    owner: "ana".into(),
                    rtv_cents: 900_00,
                    gap_cents: Some(1_000_00),
                    factor: Some(0.9),
                    win_rate: None,
                    // One of her two open cards has a dated next step.
                    upkeep: Some(0.5),
                    // 300 of her 900 moved on without evidence.
                    unverified_share: Some(1.0 / 3.0),
                },
                SellerLine {
                    owner: "bo".into(),
                    rtv_cents: 0,
                    gap_cents: None,
                    factor: None,
                    win_rate: Some(0.0),
                    upkeep: Some(0.0),
                    unverified_share: None,
                },
            ]
        );
        // North's only decided step: bo's card lost from stage 1, as in the whole funnel.
        assert_eq!(review.weakest_stage, Some(Stage::ProblemRecognized));

        let refused = team_review(&store, &f, "west", period, &settings, &expected).unwrap_err();
        assert!(refused.to_string().contains("north, south"), "{refused}");
    }

    /// The upkeep share follows a logged activity at once, though an activity is no change of
    /// the data the kept figures follow.
    #[test]
    fn a_logged_activity_updates_the_kept_upkeep_share() {
        let mut store = Store::open_in_memory().unwrap();
        on(&mut store, 5, 4);
        let f = store.resolve_funnel(None, "EUR", 1).unwrap();
        let card = add(
            &mut store,
            &f,
            ("ana", "north"),
            600,
            Stage::CommitsToInvest,
        );
        store
            .set_next_step(&card, None, "Call", Some(day(12, 1)), None)
            .unwrap();
        // Weeks later, without a touch: inactive.
        on(&mut store, 6, 15);
        let period = Period::containing(day(6, 15), 1);
        let (settings, expected) = (UpkeepSettings::default(), [60; Stage::COUNT]);
        let upkeep = |store: &Store| {
            let review = team_review(store, &f, "north", period, &settings, &expected).unwrap();
            review.sellers[0].upkeep
        };
        assert_eq!(upkeep(&store), Some(0.0));
        let call = NewActivity {
            kind: ActivityKind::Call,
            on: day(6, 15),
            at: None,
            with: String::new(),
            summary: "Checked in".into(),
        };
        store.log_activity(&card, &call).unwrap();
        assert_eq!(upkeep(&store), Some(1.0));
    }
}
