//! Derived sums: what triggers keep beside the cards so that no figure reads every card. The
//! running `totals` (the board's footer and column headers), the period's breakdowns (groups,
//! open values, accounts: the dashboard and the probability) and the history sums (paths, days
//! per stage, purchase lead times: the reports).
//!
//! The schema steps make the tables and their triggers. Here is the rest of what those sums
//! are: the recount `funnel check` compares each table with, and the same sums counted in
//! memory by a bulk load (an import into an empty file, a first pull), which drops the
//! triggers and writes each table once at the end ([`Tx::write_sums`]). Both import and sync
//! bulk-load through this module; it knows neither of them.

mod breakdowns;
mod history;
mod totals;

pub(super) use breakdowns::{BREAKDOWNS, Tallies};
pub(super) use history::{HistorySums, RECOUNTS, Written};

use super::{Result, Tx};
use crate::domain::Opportunity;
use totals::Totals;

/// What a first pull sums of a card (see `sync::Fields::card`): texts empty and numbers
/// `None` when the row lacks them.
#[derive(Debug, Default)]
pub(super) struct PulledCard<'a> {
    pub funnel_id: &'a str,
    pub owner: &'a str,
    pub team: &'a str,
    pub region: &'a str,
    pub territory: &'a str,
    pub account: &'a str,
    pub created: &'a str,
    pub closed: &'a str,
    pub stage: Option<i64>,
    pub status: Option<i64>,
    pub period: Option<i64>,
    pub value_cents: Option<i64>,
    /// Not deleted.
    pub alive: bool,
}

/// What the triggers a bulk load drops would have added up of the cards an import writes:
/// running totals with the period's breakdowns, and history sums.
#[derive(Default)]
pub(super) struct LoadSums {
    totals: Totals,
    history: HistorySums,
}

impl LoadSums {
    /// Adds a new card that counts in `period`, with the events written with it.
    pub(super) fn add(&mut self, opp: &Opportunity, period: i32, history: Vec<Written>) {
        self.totals.add(opp, period);
        self.history.add(opp, history);
    }
}

/// What a bulk load summed as it wrote the cards.
pub(super) enum Summed<'a> {
    /// An import into one funnel (of that id): every sum.
    Imported(&'a str, LoadSums),
    /// A first pull: the breakdowns, and the history sums of the cards as if they had no
    /// history (see [`HistorySums`]); the totals are counted from the table.
    Pulled(Tallies, HistorySums),
}

/// `upkeep_counts` counted from the cards: what its triggers keep (see the schema's step 14),
/// which a bulk load drops and counts again at its end with this.
pub(in crate::store) const UPKEEP_RECOUNT: (&str, &str) = (
    "upkeep_counts",
    "SELECT funnel, what, owner, day, count(*) FROM (
    SELECT funnel, CASE WHEN next_step_due IS NULL THEN 1 ELSE 0 END AS what, owner, coalesce(next_step_due, 0) AS day FROM opportunities WHERE status = 0 AND deleted_at IS NULL
    UNION ALL SELECT funnel, 2, owner, expected_close FROM opportunities WHERE status = 0 AND deleted_at IS NULL AND expected_close IS NOT NULL
    UNION ALL SELECT funnel, 3, owner, max(coalesce(last_activity, created), created, stage_since) FROM opportunities WHERE status = 0 AND deleted_at IS NULL
    UNION ALL SELECT funnel, 10 + stage, owner, stage_since FROM opportunities WHERE status = 0 AND deleted_at IS NULL)
GROUP BY 1, 2, 3, 4",
);

impl Tx<'_> {
    /// Counts `upkeep_counts` again from the cards, after a bulk load (which drops its
    /// triggers), with each card's latest activity: a load writes the activities of cards
    /// staged apart, which their triggers cannot reach.
    fn recount_upkeep(&self) -> Result<()> {
        let (table, recount) = UPKEEP_RECOUNT;
        self.execute_batch(&format!(
            "UPDATE opportunities SET last_activity = (SELECT max(day) FROM activities a
                WHERE a.opportunity_id = opportunities.id AND a.deleted_at IS NULL)
             WHERE id IN (SELECT opportunity_id FROM activities);
             DELETE FROM {table}; INSERT INTO {table} {recount};"
        ))?;
        Ok(())
    }

    /// Counts every table of sums again from the cards and their histories, in place of what
    /// they held (`funnel check --repair`): the same recounts `check` compares them with.
    pub(super) fn recount_sums(&self) -> Result<()> {
        self.execute("DELETE FROM totals", [])?;
        self.count_totals()?;
        let breakdowns = BREAKDOWNS.iter().map(|b| (b.table, b.recount()));
        let history = RECOUNTS.iter().map(|(t, r)| (*t, r.to_string()));
        let upkeep = std::iter::once((UPKEEP_RECOUNT.0, UPKEEP_RECOUNT.1.to_string()));
        for (table, recount) in breakdowns.chain(history).chain(upkeep) {
            self.execute_batch(&format!(
                "DELETE FROM {table}; INSERT INTO {table} {recount};"
            ))?;
        }
        Ok(())
    }

    /// Writes what a bulk load summed in place of what the tables of sums held (they were
    /// empty: so was the database).
    pub(super) fn write_sums(&self, summed: Summed) -> Result<()> {
        self.execute("DELETE FROM totals", [])?;
        let (tallies, history) = match summed {
            Summed::Imported(funnel_id, LoadSums { totals, history }) => {
                (self.write_totals(funnel_id, totals)?, history)
            }
            Summed::Pulled(tallies, history) => {
                self.count_totals()?;
                (tallies, history)
            }
        };
        self.write_breakdowns(tallies)?;
        self.write_history_sums(history)?;
        self.recount_upkeep()
    }
}
