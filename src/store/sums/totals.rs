//! Running totals per (funnel, period, status, stage, owner), which the board's footer and
//! column headers read instead of every card: triggers keep `totals` (schema step 1, made again
//! with the funnel keys and the compact cards); a bulk load drops them and sums the cards it
//! writes here instead, with their breakdowns, then writes the rows once.

use rusqlite::params;
use std::collections::HashMap;

use super::breakdowns::{Counted, Tallies};
use crate::domain::Opportunity;
use crate::store::funnels::status_index;
use crate::store::{Result, Tx};

/// Counts and sums of the cards a bulk load writes, by owner, then period, status and stage,
/// and the period's breakdowns: what the dropped `totals` triggers would have added up (without
/// a copy of the owner per card for `totals`).
#[derive(Default)]
pub(super) struct Totals(HashMap<String, HashMap<Group, Sums>>, Tallies);

/// (period, status, stage) of a totals row, with the indexes the table keeps.
type Group = (i32, i64, i64);
/// (count, value in cents).
type Sums = (i64, i64);

impl Totals {
    pub(super) fn add(&mut self, opp: &Opportunity, period: i32) {
        let owner = &opp.fields.owner;
        let groups = match self.0.get_mut(owner) {
            Some(groups) => groups,
            None => self.0.entry(owner.clone()).or_default(),
        };
        let key = (period, status_index(opp.status), opp.stage.index() as i64);
        let (count, cents) = groups.entry(key).or_default();
        *count += 1;
        *cents += opp.fields.value_cents;
        let f = &opp.fields;
        self.1.add_card(&Counted {
            funnel_id: &opp.funnel_id,
            period: i64::from(period),
            status: status_index(opp.status),
            stage: opp.stage.index() as i64,
            value_cents: f.value_cents,
            owner: &f.owner,
            team: &f.team,
            region: &f.region,
            territory: &f.territory,
            account: &f.account,
        });
    }
}

impl Tx<'_> {
    /// Writes the running totals an import summed (into the funnel of id `funnel_id`) into the
    /// emptied `totals`; returns the breakdowns summed with them.
    pub(super) fn write_totals(&self, funnel_id: &str, totals: Totals) -> Result<Tallies> {
        let Totals(by_owner, tallies) = totals;
        let mut insert = self.prepare(
            "INSERT INTO totals
             VALUES ((SELECT key FROM funnels WHERE id = ?1), ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (owner, groups) in &by_owner {
            for ((period, status, stage), (count, cents)) in groups {
                insert.execute(params![
                    funnel_id, period, status, stage, owner, count, cents
                ])?;
            }
        }
        Ok(tallies)
    }

    /// Counts the emptied `totals` from the cards (after a first pull, which sums none).
    pub(super) fn count_totals(&self) -> Result<()> {
        self.execute(
            "INSERT INTO totals
             SELECT funnel, period, status, stage, owner, count(*), sum(value_cents)
             FROM opportunities WHERE deleted_at IS NULL
             GROUP BY funnel, period, status, stage, owner",
            [],
        )?;
        Ok(())
    }
}
