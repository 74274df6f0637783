//! Funnels, targets and the running totals the indicators are computed from.

use rusqlite::{OptionalExtension, params};

use super::{Refusal, Result, Store, StoreError, new_id};
use crate::domain::indicators::TotalRow;
use crate::domain::{Period, Stage, Status, money};

/// One funnel (per region, business unit, product…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funnel {
    pub id: String,
    pub name: String,
    /// ISO 4217 code; every amount in the funnel is in this currency.
    pub currency: String,
    /// Month the fiscal year starts (1–12).
    pub fiscal_start: u32,
}

impl Funnel {
    pub fn period(&self, year: i32) -> Period {
        Period::new(year, self.fiscal_start)
    }
}

/// The name of the funnel made on first use.
pub const DEFAULT_FUNNEL: &str = "main";

fn funnel_from_row(row: &rusqlite::Row) -> rusqlite::Result<Funnel> {
    Ok(Funnel {
        id: row.get(0)?,
        name: row.get(1)?,
        currency: row.get(2)?,
        fiscal_start: row.get(3)?,
    })
}

impl Store {
    /// The small integer the cards and sums name the funnel by (see the schema).
    pub(super) fn funnel_key(&self, funnel: &Funnel) -> Result<i64> {
        self.conn
            .prepare_cached("SELECT key FROM funnels WHERE id = ?1")?
            .query_row([&funnel.id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NoSuchFunnel(funnel.name.clone()))
    }

    /// What the funnel's board remembers here under `name` (its order, its filters), as the
    /// app wrote it; `None` if nothing yet. Local to this file: not synced.
    pub fn funnel_setting(&self, funnel: &Funnel, name: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT value FROM funnel_settings
                 WHERE funnel = (SELECT key FROM funnels WHERE id = ?1) AND name = ?2",
            )?
            .query_row(params![funnel.id, name], |r| r.get(0))
            .optional()?)
    }

    /// Remembers `value` under `name` for the funnel, in place of what was there.
    pub fn set_funnel_setting(&mut self, funnel: &Funnel, name: &str, value: &str) -> Result<()> {
        let key = self.funnel_key(funnel)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO funnel_settings VALUES (?1, ?2, ?3)
                 ON CONFLICT (funnel, name) DO UPDATE SET value = excluded.value",
                params![key, name, value],
            )?;
            Ok(())
        })
    }

    pub fn funnels(&self) -> Result<Vec<Funnel>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, currency, fiscal_start FROM funnels
             WHERE deleted_at IS NULL ORDER BY name",
        )?;
        let rows = stmt.query_map([], funnel_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn funnel_by_name(&self, name: &str) -> Result<Option<Funnel>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, name, currency, fiscal_start FROM funnels
                 WHERE name = ?1 AND deleted_at IS NULL",
                [name],
                funnel_from_row,
            )
            .optional()?)
    }

    pub fn add_funnel(&mut self, name: &str, currency: &str, fiscal_start: u32) -> Result<Funnel> {
        let name = crate::domain::text::clean_line(name);
        if name.is_empty() {
            return Err(Refusal::NoFunnelName.into());
        }
        if !(1..=12).contains(&fiscal_start) {
            return Err(Refusal::FiscalStart(fiscal_start).into());
        }
        let currency = money::normalize_currency(currency).map_err(Refusal::Currency)?;
        if self.funnel_by_name(&name)?.is_some() {
            return Err(StoreError::FunnelExists(name));
        }
        let funnel = Funnel {
            id: new_id(),
            name,
            currency,
            fiscal_start,
        };
        self.write(|tx| {
            tx.execute(
                "INSERT INTO funnels (id, name, currency, fiscal_start, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    funnel.id,
                    funnel.name,
                    funnel.currency,
                    funnel.fiscal_start,
                    tx.stamp,
                    tx.actor
                ],
            )?;
            Ok(())
        })?;
        Ok(funnel)
    }

    /// The funnel to work on: the named one, or else the only/first one, created on first use
    /// with the given defaults.
    pub fn resolve_funnel(
        &mut self,
        name: Option<&str>,
        currency: &str,
        fiscal_start: u32,
    ) -> Result<Funnel> {
        if let Some(name) = name {
            return self
                .funnel_by_name(name)?
                .ok_or_else(|| StoreError::NoSuchFunnel(name.to_owned()));
        }
        if let Some(main) = self.funnel_by_name(DEFAULT_FUNNEL)? {
            return Ok(main);
        }
        match self.funnels()?.into_iter().next() {
            Some(first) => Ok(first),
            None => self.add_funnel(DEFAULT_FUNNEL, currency, fiscal_start),
        }
    }

    /// Sets the funnel-wide target of a period, or a seller's when `owner` is given.
    pub fn set_target(
        &mut self,
        funnel: &Funnel,
        period: i32,
        owner: Option<&str>,
        amount_cents: i64,
    ) -> Result<()> {
        let owner = owner
            .map(crate::domain::text::clean_line)
            .unwrap_or_default();
        self.write(|tx| tx.upsert_target(&funnel.id, period, &owner, amount_cents))
    }

    /// The period's target: funnel-wide, or a seller's.
    pub fn target(&self, funnel: &Funnel, period: i32, owner: Option<&str>) -> Result<Option<i64>> {
        // Read on every change the board makes: a cached statement.
        Ok(self
            .conn
            .prepare_cached(
                "SELECT amount_cents FROM targets
                 WHERE funnel_id = ?1 AND period = ?2 AND owner = ?3 AND deleted_at IS NULL",
            )?
            .query_row(params![funnel.id, period, owner.unwrap_or("")], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// The running totals of a funnel (a few rows per stage and owner, never a scan of cards).
    pub fn totals(&self, funnel: &Funnel) -> Result<Vec<TotalRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT period, status, stage, owner, count, value_cents FROM totals
             WHERE funnel = (SELECT key FROM funnels WHERE id = ?1) AND count <> 0",
        )?;
        let rows = stmt.query_map([&funnel.id], total_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The running totals that count in fiscal year `period`, summed by status and stage (a row
    /// each, of `owner` if given, else of every seller); `undated`: with the open cards without
    /// an expected close date (they count in the current period). What the board's footer
    /// sums after each change, without reading every seller's and period's row.
    pub fn period_sums(
        &self,
        funnel: &Funnel,
        period: i32,
        undated: bool,
        owner: Option<&str>,
    ) -> Result<Vec<TotalRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT status, stage, sum(count), sum(value_cents) FROM totals
             WHERE funnel = (SELECT key FROM funnels WHERE id = ?1) AND period IN (?2, ?3)
               AND (?4 IS NULL OR owner = ?4)
             GROUP BY status, stage",
        )?;
        // Undated totals are kept under period 0, which no fiscal year is.
        let undated = if undated { 0 } else { period };
        let rows = stmt.query_map(params![funnel.id, period, undated, owner], |r| {
            Ok(TotalRow {
                period: Some(period),
                status: status_from_index(r.get(0)?)?,
                stage: stage_from_index(r.get(1)?)?,
                owner: owner.unwrap_or_default().to_owned(),
                count: r.get(2)?,
                value_cents: i128::from(r.get::<_, i64>(3)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Distinct owners with cards in the funnel (for the quick owner filter).
    pub fn owners(&self, funnel: &Funnel) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT owner FROM totals
             WHERE funnel = (SELECT key FROM funnels WHERE id = ?1) AND count > 0 AND owner <> ''
             ORDER BY owner",
        )?;
        let rows = stmt.query_map([&funnel.id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Reads a `totals` row selected as (period, status, stage, owner, count, value_cents).
pub(crate) fn total_from_row(r: &rusqlite::Row) -> rusqlite::Result<TotalRow> {
    let period: i32 = r.get(0)?;
    Ok(TotalRow {
        period: (period != 0).then_some(period),
        status: status_from_index(r.get(1)?)?,
        stage: stage_from_index(r.get(2)?)?,
        owner: r.get(3)?,
        count: r.get(4)?,
        value_cents: i128::from(r.get::<_, i64>(5)?),
    })
}

pub(crate) fn stage_from_index(i: i64) -> rusqlite::Result<Stage> {
    usize::try_from(i)
        .ok()
        .and_then(Stage::from_index)
        .ok_or(rusqlite::Error::IntegralValueOutOfRange(0, i))
}

pub(crate) fn status_from_index(i: i64) -> rusqlite::Result<Status> {
    usize::try_from(i)
        .ok()
        .and_then(|i| Status::ALL.get(i).copied())
        .ok_or(rusqlite::Error::IntegralValueOutOfRange(0, i))
}

pub(crate) fn status_index(status: Status) -> i64 {
    match status {
        Status::Open => 0,
        Status::Won => 1,
        Status::Lost => 2,
    }
}

/// Stages are stored as their index in the journey.
impl rusqlite::ToSql for Stage {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok((self.index() as i64).into())
    }
}

impl super::Tx<'_> {
    /// Sets a target (funnel-wide when `owner` is empty), from the user or an import.
    pub(crate) fn upsert_target(
        &self,
        funnel_id: &str,
        period: i32,
        owner: &str,
        amount_cents: i64,
    ) -> Result<()> {
        money::check_cents(amount_cents).map_err(|error| Refusal::Amount {
            field: "target",
            error,
        })?;
        self.prepare_cached(
            "INSERT INTO targets (id, funnel_id, period, owner, amount_cents, updated_at, updated_by,
                hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (funnel_id, period, owner) DO UPDATE SET
                amount_cents = excluded.amount_cents, updated_at = excluded.updated_at,
                updated_by = excluded.updated_by, deleted_at = NULL",
        )?
        .execute(params![new_id(), funnel_id, period, owner, amount_cents, self.stamp, self.actor, self.hlc])?;
        Ok(())
    }
}
