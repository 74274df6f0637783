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
    let teams = store.teams(funnel)?;
    if !teams.iter().any(|t| t == team) {
        return Err(Refusal::NoSuchTeam {
            name: team.to_owned(),
            teams,
        }
        .into());
    }
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
/// latest activity is not a change of the data).
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
