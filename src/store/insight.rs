//! The queries behind the forward-looking indicators, and the daily indicator snapshots.
//!
//! Each query groups in SQL and returns a few plain rows (per group, stage path, day count or
//! distinct amount) for the pure functions of [`crate::domain::insight`]: opportunities are never
//! loaded one by one, so the cost in memory stays small at a million cards. None of them reads
//! every card: the figures from the stage history (paths, days per stage, purchase days) come
//! from sums the triggers keep (see `super::sums`), the period's (groups, open values,
//! top accounts) from the breakdown tables the triggers keep (see the schema), and the stale
//! list from a few index entries per stage. The period's results are also kept until the data
//! changes (see `super::cache`).

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::card_key::CardId;
use super::funnels::{stage_from_index, status_from_index};
use super::{Day, Funnel, Result, Store, Tx, date_text, new_id, parse_date};
use crate::domain::insight::{DaysCount, GroupBy, GroupRow, JourneyRow, OpenValue, Snapshot};
use crate::domain::review::ReviewScope;
use crate::domain::{Opportunity, Stage, text};

/// Which opportunities an indicator looks at: a period (undated open cards count in the current
/// one) and optionally one seller.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Scope<'a> {
    pub year: i32,
    pub current: bool,
    pub owner: Option<&'a str>,
}

/// `?1` funnel, `?2` and `?3` the periods (see [`Scope::periods`]), `?4` owner or NULL: the
/// rows of a breakdown table (see the schema) that count in the scope.
const IN_SCOPE: &str = "funnel = (SELECT key FROM funnels WHERE id = ?1) AND period IN (?2, ?3)
    AND (?4 IS NULL OR owner = ?4)";

impl Scope<'_> {
    /// The periods whose cards count: the period's own, and the undated open cards' (0) in the
    /// current one (else the period again). Two values of one key column, so that SQLite reads
    /// two ranges of a table keyed by period instead of all of it.
    fn periods(&self) -> (i32, i32) {
        (self.year, if self.current { 0 } else { self.year })
    }
}

/// A row (first stage, furthest stage, status, count) of the paths taken.
pub(super) fn journey_row(r: &rusqlite::Row) -> rusqlite::Result<JourneyRow> {
    Ok(JourneyRow {
        first: stage_from_index(r.get(0)?)?,
        last: stage_from_index(r.get(1)?)?,
        status: status_from_index(r.get(2)?)?,
        count: r.get(3)?,
    })
}

/// A (days, count) pair of a histogram, from column `at` on.
pub(super) fn days_count(r: &rusqlite::Row, at: usize) -> rusqlite::Result<DaysCount> {
    Ok(DaysCount {
        days: r.get(at)?,
        count: r.get(at + 1)?,
    })
}

fn column(by: GroupBy) -> &'static str {
    match by {
        GroupBy::Owner => "owner",
        GroupBy::Team => "team",
        GroupBy::Region => "region",
        GroupBy::Territory => "territory",
    }
}

/// The owner and value of the open viable cards of the periods `?2` and `?3` (of the seller
/// `?4`, or all) whose last stage event is a move made without its evidence confirmed: along
/// the index of such moves (a minority), each one's card and last event looked up by key (in
/// that order: `CROSS JOIN`).
pub(super) const UNVERIFIED_SQL: &str = "SELECT o.owner, o.value_cents
     FROM stage_events e INDEXED BY stage_events_unverified
     CROSS JOIN history_paths h ON h.opportunity_id = e.opportunity_id AND h.last_id = e.id
     CROSS JOIN opportunities o ON o.id = e.opportunity_id
     WHERE e.kind = 'moved' AND e.evidence_confirmed = 0 AND e.deleted_at IS NULL
       AND o.funnel = (SELECT key FROM funnels WHERE id = ?1) AND o.status = 0 AND o.stage >= 3
       AND o.deleted_at IS NULL AND o.period IN (?2, ?3) AND (?4 IS NULL OR o.owner = ?4)";

/// Whether a scope's (`?3` owner, `?4` team) snapshot of the period is kept for a day.
pub(super) const HAS_SNAPSHOT_SQL: &str = "SELECT EXISTS (SELECT 1 FROM indicator_snapshots
     WHERE funnel_id = ?1 AND period = ?2 AND owner = ?3 AND team = ?4 AND day = ?5
       AND deleted_at IS NULL)";

/// A scope's (`?3` owner, `?4` team) snapshots of a period from a day on.
pub(super) const SNAPSHOTS_SQL: &str =
    "SELECT day, rtv_cents, sales_to_date_cents, target_cents, gap_cents, factor, probability
     FROM indicator_snapshots
     WHERE funnel_id = ?1 AND period = ?2 AND owner = ?3 AND team = ?4 AND day >= ?5
       AND deleted_at IS NULL
     ORDER BY day";

impl Store {
    /// The period's counts and values per group, status and viability.
    pub fn group_rows(&self, funnel: &Funnel, scope: Scope, by: GroupBy) -> Result<Vec<GroupRow>> {
        self.cached("group_rows", (&funnel.id, scope, by), |store| {
            store.count_groups(funnel, scope, by)
        })
    }

    fn count_groups(&self, funnel: &Funnel, scope: Scope, by: GroupBy) -> Result<Vec<GroupRow>> {
        let sql = format!(
            "SELECT {col}, status, viable, sum(count), sum(value_cents) FROM group_totals
             WHERE {IN_SCOPE} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
            col = column(by)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let (period, undated) = scope.periods();
        let rows = stmt.query_map(params![funnel.id, period, undated, scope.owner], |r| {
            Ok(GroupRow {
                name: text::clean_line(&r.get::<_, String>(0)?),
                status: status_from_index(r.get(1)?)?,
                viable: r.get(2)?,
                count: r.get(3)?,
                value_cents: i128::from(r.get::<_, i64>(4)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sellers' individual targets of a period.
    pub fn owner_targets(&self, funnel: &Funnel, year: i32) -> Result<Vec<(String, i128)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT owner, amount_cents FROM targets
             WHERE funnel_id = ?1 AND period = ?2 AND owner <> '' AND deleted_at IS NULL",
        )?;
        let rows = stmt.query_map(params![funnel.id, year], |r| {
            Ok((r.get(0)?, i128::from(r.get::<_, i64>(1)?)))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many opportunities took each path (created stage, furthest stage, status), from the
    /// stage history. A card without history counts from its current stage. Read from the sums
    /// the triggers keep (see `super::sums`).
    pub fn journeys(&self, funnel: &Funnel, owner: Option<&str>) -> Result<Vec<JourneyRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT first, last, status, sum(count) FROM journey_counts
             WHERE funnel = (SELECT key FROM funnels WHERE id = ?1) AND (?2 IS NULL OR owner = ?2)
             GROUP BY 1, 2, 3 HAVING sum(count) <> 0 ORDER BY 1, 2, 3",
        )?;
        let rows = stmt.query_map(params![funnel.id, owner], journey_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Days spent in a stage per visit (from an arrival to the next event of the card; visits
    /// still going on are left out), as a histogram per stage.
    pub fn stage_days(
        &self,
        funnel: &Funnel,
        owner: Option<&str>,
    ) -> Result<Vec<(Stage, DaysCount)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT stage, days, sum(count) FROM stage_day_counts
             WHERE funnel = (SELECT key FROM funnels WHERE id = ?1) AND (?2 IS NULL OR owner = ?2)
             GROUP BY 1, 2 HAVING sum(count) <> 0 ORDER BY 1, 2",
        )?;
        let rows = stmt.query_map(params![funnel.id, owner], |r| {
            Ok((stage_from_index(r.get(0)?)?, days_count(r, 1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Days from creation to winning, as a histogram (cards imported after they closed, created
    /// later than won, say nothing about lead time).
    pub fn purchase_days(&self, funnel: &Funnel, owner: Option<&str>) -> Result<Vec<DaysCount>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT days, sum(count) FROM purchase_day_counts
             WHERE funnel = (SELECT key FROM funnels WHERE id = ?1) AND (?2 IS NULL OR owner = ?2)
             GROUP BY 1 HAVING sum(count) <> 0 ORDER BY 1",
        )?;
        let rows = stmt.query_map(params![funnel.id, owner], |r| days_count(r, 0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The period's open opportunities, counted per stage and equal value. Not kept: its only
    /// reader, the probability of the target, is (these rows are ~150k distinct amounts at a
    /// million cards, a megabyte of JSON to write for nothing). One period at a time: SQLite
    /// then groups the rows in key order as it reads them, where both periods at once would
    /// need a sort.
    pub fn open_values(&self, funnel: &Funnel, scope: Scope) -> Result<Vec<OpenValue>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT stage, value_cents, sum(count) FROM open_value_counts
             WHERE funnel = (SELECT key FROM funnels WHERE id = ?1) AND period = ?2 AND (?3 IS NULL OR owner = ?3)
             GROUP BY 1, 2 ORDER BY 1, 2",
        )?;
        let mut read = |period: i32| -> Result<Vec<OpenValue>> {
            let rows = stmt.query_map(params![funnel.id, period, scope.owner], |r| {
                Ok(OpenValue {
                    stage: stage_from_index(r.get(0)?)?,
                    value_cents: r.get(1)?,
                    count: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let (period, undated) = scope.periods();
        let dated = read(period)?;
        if undated == period {
            return Ok(dated);
        }
        Ok(merge_open_values(dated, read(undated)?))
    }

    /// The accounts holding the most RTV in the period, biggest first (cards without an account
    /// are not a customer to depend on).
    pub fn top_accounts(
        &self,
        funnel: &Funnel,
        scope: Scope,
        limit: usize,
    ) -> Result<Vec<(String, i128)>> {
        self.cached("top_accounts", (&funnel.id, scope, limit), |store| {
            store.sum_top_accounts(funnel, scope, limit)
        })
    }

    fn sum_top_accounts(
        &self,
        funnel: &Funnel,
        scope: Scope,
        limit: usize,
    ) -> Result<Vec<(String, i128)>> {
        let sql = format!(
            "SELECT account, sum(value_cents) FROM account_totals
             WHERE {IN_SCOPE} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?5"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let (period, undated) = scope.periods();
        let rows = stmt.query_map(
            params![funnel.id, period, undated, scope.owner, limit as i64],
            |r| {
                Ok((
                    text::clean_line(&r.get::<_, String>(0)?),
                    i128::from(r.get::<_, i64>(1)?),
                ))
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Open cards in a stage for longer than its expected days, the most overdue first.
    pub fn stale(
        &self,
        funnel: &Funnel,
        owner: Option<&str>,
        today: NaiveDate,
        expected_days: &[u32; Stage::COUNT],
        limit: usize,
    ) -> Result<Vec<Opportunity>> {
        // The ids are kept, not the cards: a card is a handful of lookups by key away, and
        // the same at the same data generation.
        let params = (&funnel.id, owner, date_text(today), expected_days, limit);
        let ids = self.cached("stale", params, |store| {
            store.find_stale(funnel, owner, today, expected_days, limit)
        })?;
        ids.iter().map(|id| self.opportunity(id)).collect()
    }

    /// Overdue days grow with the time in the stage, so a stage's most overdue cards are its
    /// oldest arrivals: a few entries of `opportunities_overdue` per stage, merged. For a
    /// seller's list each entry's card is read for its owner.
    fn find_stale(
        &self,
        funnel: &Funnel,
        owner: Option<&str>,
        today: NaiveDate,
        expected_days: &[u32; Stage::COUNT],
        limit: usize,
    ) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT v.id, v.stage_since FROM opportunities v INDEXED BY opportunities_overdue
             WHERE v.funnel = (SELECT key FROM funnels WHERE id = ?1) AND v.status = 0
               AND v.deleted_at IS NULL AND v.stage = ?3 AND v.stage_since < ?4
               AND (?2 IS NULL OR v.owner = ?2)
             ORDER BY v.stage_since, v.id LIMIT ?5",
        )?;
        // (days overdue, id) of each stage's most overdue cards.
        let mut stale: Vec<(i64, String)> = Vec::new();
        for stage in Stage::ALL {
            let expected = i64::from(expected_days[stage.index()]);
            // Stale: more than the expected days in the stage, so arrived before this day.
            let since = today - chrono::Days::new(expected.unsigned_abs());
            let rows = stmt.query_map(
                params![funnel.id, owner, stage, Day(since), limit as i64],
                |r| {
                    let arrived = r.get::<_, Day>(1)?.0;
                    Ok((
                        (today - arrived).num_days() - expected,
                        r.get::<_, CardId>(0)?.0,
                    ))
                },
            )?;
            for row in rows {
                stale.push(row?);
            }
        }
        stale.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(stale.into_iter().take(limit).map(|(_, id)| id).collect())
    }

    /// Per seller (of the scope's, or all), the value of their open viable cards of the period
    /// whose last stage event is a move made without its evidence confirmed ("unverified").
    /// Read along the index of such moves; kept until the data changes. Sellers without such a
    /// card are left out.
    pub fn unverified_by_owner(
        &self,
        funnel: &Funnel,
        scope: Scope,
    ) -> Result<Vec<(String, i128)>> {
        self.cached("unverified_by_owner", (&funnel.id, scope), |store| {
            let (period, undated) = scope.periods();
            let mut stmt = store.conn.prepare_cached(UNVERIFIED_SQL)?;
            let mut rows = stmt.query(params![funnel.id, period, undated, scope.owner])?;
            // Added up here: SQLite would sort the cards to group them.
            let mut by_owner = BTreeMap::<String, i128>::new();
            while let Some(row) = rows.next()? {
                *by_owner.entry(row.get(0)?).or_default() += i128::from(row.get::<_, i64>(1)?);
            }
            Ok(by_owner.into_iter().collect())
        })
    }

    /// A mark that changes when an activity is logged: the upkeep reads each card's latest
    /// activity, which is not a change of the data for [`Store::cached`].
    pub fn activity_mark(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT coalesce(max(rowid), 0) FROM activities")?
            .query_row([], |r| r.get(0))?)
    }

    /// Keeps the day's funnel-wide indicators of a period (rewrites the day's row if there is
    /// one).
    pub fn save_snapshot(&mut self, funnel: &Funnel, year: i32, snap: &Snapshot) -> Result<()> {
        self.write(|tx| insert_snapshot(tx, funnel, year, ("", ""), snap))
    }

    /// Keeps the day's indicators of sellers and teams of a period, in one transaction
    /// (rewrites their rows of the day if there are some).
    pub fn save_scoped_snapshots(
        &mut self,
        funnel: &Funnel,
        year: i32,
        snaps: &[(ReviewScope, Snapshot)],
    ) -> Result<()> {
        self.write(|tx| {
            for (scope, snap) in snaps {
                insert_snapshot(tx, funnel, year, owner_team(scope), snap)?;
            }
            Ok(())
        })
    }

    /// Whether a seller's or team's indicators of the period are kept for `day`.
    pub fn has_snapshot(
        &self,
        funnel: &Funnel,
        year: i32,
        scope: &ReviewScope,
        day: NaiveDate,
    ) -> Result<bool> {
        let (owner, team) = owner_team(scope);
        Ok(self
            .conn
            .prepare_cached(HAS_SNAPSHOT_SQL)?
            .query_row(params![funnel.id, year, owner, team, date_text(day)], |r| {
                r.get(0)
            })?)
    }

    /// The period's funnel-wide snapshots from `since` on, oldest first.
    pub fn snapshots(&self, funnel: &Funnel, year: i32, since: NaiveDate) -> Result<Vec<Snapshot>> {
        self.read_snapshots(funnel, year, ("", ""), since)
    }

    /// A seller's or a team's snapshots of the period from `since` on, oldest first.
    pub fn snapshots_scoped(
        &self,
        funnel: &Funnel,
        year: i32,
        scope: &ReviewScope,
        since: NaiveDate,
    ) -> Result<Vec<Snapshot>> {
        self.read_snapshots(funnel, year, owner_team(scope), since)
    }

    fn read_snapshots(
        &self,
        funnel: &Funnel,
        year: i32,
        (owner, team): (&str, &str),
        since: NaiveDate,
    ) -> Result<Vec<Snapshot>> {
        let mut stmt = self.conn.prepare_cached(SNAPSHOTS_SQL)?;
        let rows = stmt.query_map(
            params![funnel.id, year, owner, team, date_text(since)],
            |r| {
                Ok(Snapshot {
                    day: parse_date(&r.get::<_, String>(0)?)?,
                    rtv_cents: i128::from(r.get::<_, i64>(1)?),
                    sales_to_date_cents: i128::from(r.get::<_, i64>(2)?),
                    target_cents: r.get::<_, Option<i64>>(3)?.map(i128::from),
                    gap_cents: r.get::<_, Option<i64>>(4)?.map(i128::from),
                    factor: r.get(5)?,
                    probability: r.get(6)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The (owner, team) columns of a scope's snapshots (both '' for the whole funnel).
fn owner_team(scope: &ReviewScope) -> (&str, &str) {
    match scope {
        ReviewScope::Owner(owner) => (owner, ""),
        ReviewScope::Team(team) => ("", team),
    }
}

/// Writes one day's snapshot of a scope, replacing the one kept for that day.
fn insert_snapshot(
    tx: &Tx,
    funnel: &Funnel,
    year: i32,
    (owner, team): (&str, &str),
    snap: &Snapshot,
) -> Result<()> {
    let clamp = |c: i128| i64::try_from(c).unwrap_or(if c < 0 { i64::MIN } else { i64::MAX });
    tx.execute(
        "INSERT INTO indicator_snapshots (id, funnel_id, period, owner, team, day, rtv_cents,
            sales_to_date_cents, target_cents, gap_cents, factor, probability,
            updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (funnel_id, period, owner, team, day) DO UPDATE SET
            rtv_cents = excluded.rtv_cents,
            sales_to_date_cents = excluded.sales_to_date_cents,
            target_cents = excluded.target_cents, gap_cents = excluded.gap_cents,
            factor = excluded.factor, probability = excluded.probability,
            updated_at = excluded.updated_at, updated_by = excluded.updated_by,
            deleted_at = NULL",
        params![
            new_id(),
            funnel.id,
            year,
            owner,
            team,
            date_text(snap.day),
            clamp(snap.rtv_cents),
            clamp(snap.sales_to_date_cents),
            snap.target_cents.map(clamp),
            snap.gap_cents.map(clamp),
            snap.factor,
            snap.probability,
            tx.stamp,
            tx.actor
        ],
    )?;
    Ok(())
}

/// Two lists of open values in (stage, value) order as one, equal values counted together.
fn merge_open_values(a: Vec<OpenValue>, b: Vec<OpenValue>) -> Vec<OpenValue> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match (x.stage, x.value_cents).cmp(&(y.stage, y.value_cents)) {
                Ordering::Less => a.next(),
                Ordering::Greater => b.next(),
                Ordering::Equal => a.next().zip(b.next()).map(|(x, y)| OpenValue {
                    count: x.count + y.count,
                    ..x
                }),
            },
            _ => a.next().or_else(|| b.next()),
        };
        match next {
            Some(value) => merged.push(value),
            None => return merged,
        }
    }
}
