//! The indicators as the report, the footer, the dashboard and the one-to-one show them: the
//! store's grouped queries fed to the pure math of [`crate::domain::insight`], in one place so
//! that every screen and `report --json` agree on every figure.

pub mod changes;
pub mod snapshots;
pub mod team;

use chrono::NaiveDate;
use std::collections::BTreeMap;

use crate::domain::Period;
use crate::domain::indicators::{self, Summary};
use crate::domain::insight::{
    self, Concentration, Conversion, GroupBy, GroupFigures, Judgement, LeadTimes, RequiredFactor,
    Snapshot,
};
use crate::store::{Funnel, Refusal, Result, Scope, Store, StoreError};

/// Everything forward-looking about one period (and optionally one seller).
#[derive(Debug, Clone, PartialEq)]
pub struct Insight {
    pub summary: Summary,
    /// The seller the figures are about; `None` for the whole funnel.
    pub owner: Option<String>,
    pub conversion: Conversion,
    pub lead_times: LeadTimes,
    pub required: RequiredFactor,
    /// Probability of reaching the target; `None` without a target.
    pub probability: Option<f64>,
    pub concentration: Concentration,
}

impl Insight {
    /// The funnel factor against the required one (none once the target is reached).
    pub fn judgement(&self) -> Option<Judgement> {
        self.summary
            .factor
            .map(|f| Judgement::of(f, self.required.value))
    }

    pub fn snapshot(&self, day: NaiveDate) -> Snapshot {
        Snapshot::of(day, &self.summary, self.probability)
    }
}

/// A one-to-one is held with one of the funnel's sellers (someone with cards in it): any other
/// name is refused, with the sellers there are.
pub fn check_seller(store: &Store, funnel: &Funnel, owner: &str) -> Result<()> {
    let owners = store.owners(funnel)?;
    if owners.iter().any(|o| o == owner) {
        return Ok(());
    }
    Err(Refusal::NoSuchSeller {
        name: owner.to_owned(),
        sellers: owners,
    }
    .into())
}

/// Whether a period is the one today falls in (undated open cards count in it).
pub fn is_current(store: &Store, funnel: &Funnel, period: Period) -> bool {
    period == Period::containing(store.today(), funnel.fiscal_start)
}

/// The period's figures, from the running totals.
pub fn summary(
    store: &Store,
    funnel: &Funnel,
    period: Period,
    owner: Option<&str>,
) -> Result<Summary> {
    let rows = store.totals(funnel)?;
    let target = store.target(funnel, period.year, owner)?.map(i128::from);
    Ok(indicators::summarize(
        &rows,
        period,
        is_current(store, funnel, period),
        target,
        owner,
    ))
}

/// The forward-looking figures around a summary. History (conversion, lead times, required
/// factor) is the scope's own: the whole funnel's, or the seller's.
pub fn compute(
    store: &Store,
    funnel: &Funnel,
    summary: Summary,
    owner: Option<&str>,
    default_factor: f64,
) -> Result<Insight> {
    let scope = Scope {
        year: summary.period.year,
        current: is_current(store, funnel, summary.period),
        owner,
    };
    let conversion = insight::conversion(&store.journeys(funnel, owner)?);
    let required = insight::required_factor(&conversion, default_factor);
    let lead_times = insight::lead_times(
        &store.stage_days(funnel, owner)?,
        &store.purchase_days(funnel, owner)?,
    );
    // A stage without closed history closes at the viable rate the required factor stands for.
    let win = conversion.win_probabilities(1.0 / required.value);
    // Kept like the queries (see `Store::cached`): with tens of thousands of distinct open
    // amounts, the exact programme takes longer than the whole board may.
    let probability = match summary.target_cents {
        Some(target) => Some(store.cached(
            "probability_of_target",
            (&funnel.id, scope, summary.sales_to_date_cents, target, win),
            |store| {
                Ok(insight::probability_of_target(
                    summary.sales_to_date_cents,
                    target,
                    &store.open_values(funnel, scope)?,
                    &win,
                ))
            },
        )?),
        None => None,
    };
    let concentration =
        insight::concentration(store.top_accounts(funnel, scope, 3)?, summary.rtv_cents);
    Ok(Insight {
        summary,
        owner: owner.map(str::to_owned),
        conversion,
        lead_times,
        required,
        probability,
        concentration,
    })
}

/// Win rates by group for a period; sellers' targets when grouped by owner.
pub fn groups(
    store: &Store,
    funnel: &Funnel,
    period: Period,
    by: GroupBy,
) -> Result<Vec<GroupFigures>> {
    let scope = Scope {
        year: period.year,
        current: is_current(store, funnel, period),
        owner: None,
    };
    let targets: BTreeMap<String, i128> = if by == GroupBy::Owner {
        store
            .owner_targets(funnel, period.year)?
            .into_iter()
            .collect()
    } else {
        BTreeMap::new()
    };
    Ok(insight::group_figures(
        &store.group_rows(funnel, scope, by)?,
        &targets,
    ))
}

/// Keeps today's funnel-wide figures of the period (one row a day, the latest wins). A
/// read-only database keeps none, and neither does one another window or command is writing
/// to, or a full disk: looking at the figures must not fail (the next look keeps them).
pub fn record_snapshot(store: &mut Store, funnel: &Funnel, insight: &Insight) -> Result<()> {
    if store.is_read_only() {
        return Ok(());
    }
    let day = store.today();
    match store.save_snapshot(funnel, insight.summary.period.year, &insight.snapshot(day)) {
        Ok(()) | Err(StoreError::Busy | StoreError::Full) => Ok(()),
        Err(e) => Err(e),
    }
}
