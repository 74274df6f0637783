//! The queries behind the forward-looking indicators, and the daily indicator snapshots.
//!
//! Each query groups in SQL and returns a few plain rows (per group, stage path, day count or
//! distinct amount) for the pure functions of [`crate::domain::insight`]: opportunities are never
//! loaded one by one, so the cost in memory stays small at a million cards. The figures from the
//! stage history (paths, days per stage, purchase days) are read from sums the triggers keep
//! (see `super::history_sums`); the others read every card of the funnel, and their results are
//! kept until the data changes (see `super::cache`), so an unchanged database answers without
//! scanning.

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

use super::funnels::{stage_from_index, status_from_index};
use super::{Funnel, Result, Store, date_text, new_id, parse_date};
use crate::domain::insight::{DaysCount, GroupBy, GroupRow, JourneyRow, OpenValue, Snapshot};
use crate::domain::{Opportunity, Stage, text};

/// Which opportunities an indicator looks at: a period (undated open cards count in the current
/// one) and optionally one seller.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Scope<'a> {
    pub year: i32,
    pub current: bool,
    pub owner: Option<&'a str>,
}

/// `?1` funnel, `?2` period, `?3` current period, `?4` owner or NULL.
const IN_SCOPE: &str = "o.funnel_id = ?1 AND o.deleted_at IS NULL
    AND (o.period = ?2 OR (o.period = 0 AND ?3)) AND (?4 IS NULL OR o.owner = ?4)";

/// `?1` funnel, `?2` owner or NULL: the whole history of the funnel (or of one seller).
const IN_HISTORY: &str =
    "o.funnel_id = ?1 AND o.deleted_at IS NULL AND (?2 IS NULL OR o.owner = ?2)";

fn column(by: GroupBy) -> &'static str {
    match by {
        GroupBy::Owner => "o.owner",
        GroupBy::Team => "o.team",
        GroupBy::Region => "o.region",
        GroupBy::Territory => "o.territory",
    }
}

impl Store {
    /// The period's counts and values per group, status and viability.
    pub fn group_rows(&self, funnel: &Funnel, scope: Scope, by: GroupBy) -> Result<Vec<GroupRow>> {
        self.cached("group_rows", (&funnel.id, scope, by), |store| {
            store.count_groups(funnel, scope, by)
        })
    }

    fn count_groups(&self, funnel: &Funnel, scope: Scope, by: GroupBy) -> Result<Vec<GroupRow>> {
        let sql = format!(
            "SELECT {col}, o.status, o.stage >= ?5, count(*), sum(o.value_cents)
             FROM opportunities o WHERE {IN_SCOPE} GROUP BY 1, 2, 3",
            col = column(by)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                funnel.id,
                scope.year,
                scope.current,
                scope.owner,
                Stage::CommitsToInvest
            ],
            |r| {
                Ok(GroupRow {
                    name: text::clean_line(&r.get::<_, String>(0)?),
                    status: status_from_index(r.get(1)?)?,
                    viable: r.get(2)?,
                    count: r.get(3)?,
                    value_cents: i128::from(r.get::<_, i64>(4)?),
                })
            },
        )?;
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
    /// the triggers keep (see `super::history_sums`).
    pub fn journeys(&self, funnel: &Funnel, owner: Option<&str>) -> Result<Vec<JourneyRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT first, last, status, sum(count) FROM journey_counts
             WHERE funnel_id = ?1 AND (?2 IS NULL OR owner = ?2)
             GROUP BY 1, 2, 3 HAVING sum(count) <> 0 ORDER BY 1, 2, 3",
        )?;
        let rows = stmt.query_map(params![funnel.id, owner], |r| {
            Ok(JourneyRow {
                first: stage_from_index(r.get(0)?)?,
                last: stage_from_index(r.get(1)?)?,
                status: status_from_index(r.get(2)?)?,
                count: r.get(3)?,
            })
        })?;
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
             WHERE funnel_id = ?1 AND (?2 IS NULL OR owner = ?2)
             GROUP BY 1, 2 HAVING sum(count) <> 0 ORDER BY 1, 2",
        )?;
        let rows = stmt.query_map(params![funnel.id, owner], |r| {
            Ok((
                stage_from_index(r.get(0)?)?,
                DaysCount {
                    days: r.get(1)?,
                    count: r.get(2)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Days from creation to winning, as a histogram (cards imported after they closed, created
    /// later than won, say nothing about lead time).
    pub fn purchase_days(&self, funnel: &Funnel, owner: Option<&str>) -> Result<Vec<DaysCount>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT days, sum(count) FROM purchase_day_counts
             WHERE funnel_id = ?1 AND (?2 IS NULL OR owner = ?2)
             GROUP BY 1 HAVING sum(count) <> 0 ORDER BY 1",
        )?;
        let rows = stmt.query_map(params![funnel.id, owner], |r| {
            Ok(DaysCount {
                days: r.get(0)?,
                count: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The period's open opportunities, counted per stage and equal value.
    pub fn open_values(&self, funnel: &Funnel, scope: Scope) -> Result<Vec<OpenValue>> {
        self.cached("open_values", (&funnel.id, scope), |store| {
            store.count_open_values(funnel, scope)
        })
    }

    fn count_open_values(&self, funnel: &Funnel, scope: Scope) -> Result<Vec<OpenValue>> {
        let sql = format!(
            "SELECT o.stage, o.value_cents, count(*) FROM opportunities o
             WHERE {IN_SCOPE} AND o.status = 0 GROUP BY 1, 2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![funnel.id, scope.year, scope.current, scope.owner],
            |r| {
                Ok(OpenValue {
                    stage: stage_from_index(r.get(0)?)?,
                    value_cents: r.get(1)?,
                    count: r.get(2)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
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
            "SELECT o.account, sum(o.value_cents) FROM opportunities o
             WHERE {IN_SCOPE} AND o.status = 0 AND o.stage >= ?5 AND o.account <> ''
             GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?6"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                funnel.id,
                scope.year,
                scope.current,
                scope.owner,
                Stage::CommitsToInvest,
                limit as i64
            ],
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

    fn find_stale(
        &self,
        funnel: &Funnel,
        owner: Option<&str>,
        today: NaiveDate,
        expected_days: &[u32; Stage::COUNT],
        limit: usize,
    ) -> Result<Vec<String>> {
        let expected = Stage::ALL
            .map(|s| format!("WHEN {} THEN {}", s.index(), expected_days[s.index()]))
            .join(" ");
        let sql = format!(
            "SELECT o.id FROM opportunities o
             WHERE {IN_HISTORY} AND o.status = 0
               AND julianday(?3) - julianday(o.stage_since) > (CASE o.stage {expected} END)
             ORDER BY julianday(?3) - julianday(o.stage_since) - (CASE o.stage {expected} END)
                DESC, o.id
             LIMIT ?4"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![funnel.id, owner, date_text(today), limit as i64],
            |r| r.get(0),
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Keeps the day's indicators of a period (rewrites today's row if there is one).
    pub fn save_snapshot(&mut self, funnel: &Funnel, year: i32, snap: &Snapshot) -> Result<()> {
        let clamp = |c: i128| i64::try_from(c).unwrap_or(if c < 0 { i64::MIN } else { i64::MAX });
        self.write(|tx| {
            tx.execute(
                "INSERT INTO indicator_snapshots (id, funnel_id, period, day, rtv_cents,
                    sales_to_date_cents, target_cents, gap_cents, factor, probability,
                    updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT (funnel_id, period, day) DO UPDATE SET
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
        })
    }

    /// The period's snapshots from `since` on, oldest first.
    pub fn snapshots(&self, funnel: &Funnel, year: i32, since: NaiveDate) -> Result<Vec<Snapshot>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT day, rtv_cents, sales_to_date_cents, target_cents, gap_cents, factor,
                    probability
             FROM indicator_snapshots
             WHERE funnel_id = ?1 AND period = ?2 AND day >= ?3 AND deleted_at IS NULL
             ORDER BY day",
        )?;
        let rows = stmt.query_map(params![funnel.id, year, date_text(since)], |r| {
            Ok(Snapshot {
                day: parse_date(&r.get::<_, String>(0)?)?,
                rtv_cents: i128::from(r.get::<_, i64>(1)?),
                sales_to_date_cents: i128::from(r.get::<_, i64>(2)?),
                target_cents: r.get::<_, Option<i64>>(3)?.map(i128::from),
                gap_cents: r.get::<_, Option<i64>>(4)?.map(i128::from),
                factor: r.get(5)?,
                probability: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
