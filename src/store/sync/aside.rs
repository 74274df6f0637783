//! Rows pulled from the hub that fail a check: kept aside in `sync_aside` with why, instead of
//! applied (or of stopping the pull, and every later one, at the first). Each sync fetches them
//! again; one that passes then is applied and leaves, one that still fails stays.

use std::collections::HashSet;

use rusqlite::OptionalExtension;

use super::synced_table;
pub use crate::store::texts::Flaw;
use crate::store::{Result, Store, StoreError, Tx};

impl Flaw {
    /// How it is kept: a kind and its detail.
    fn parts(&self) -> (&'static str, String) {
        let (kind, detail) = match self {
            Flaw::Shape(reason) => ("shape", reason.as_str()),
            Flaw::Mismatch { column } => ("mismatch", column.as_str()),
            Flaw::Nested { column } => ("nested", column.as_str()),
            Flaw::BadStamp => ("stamp", ""),
            Flaw::Ahead { minutes } => return ("ahead", minutes.to_string()),
            Flaw::CardAside => ("card", ""),
            Flaw::Amount { column } => ("amount", column.as_str()),
            Flaw::Activity { column } => ("activity", column.as_str()),
            Flaw::Field { table, column } => return ("field", format!("{table}.{column}")),
            Flaw::Rewritten => ("rewritten", ""),
            Flaw::Refused(reason) => ("refused", reason.as_str()),
        };
        (kind, detail.to_owned())
    }

    fn from_parts(kind: &str, detail: String) -> Flaw {
        match kind {
            "shape" => Flaw::Shape(detail),
            "mismatch" => Flaw::Mismatch { column: detail },
            "nested" => Flaw::Nested { column: detail },
            "stamp" => Flaw::BadStamp,
            "ahead" => Flaw::Ahead {
                minutes: detail.parse().unwrap_or_default(),
            },
            "card" => Flaw::CardAside,
            "amount" => Flaw::Amount { column: detail },
            "activity" => Flaw::Activity { column: detail },
            "field" => {
                let (table, column) = detail.split_once('.').unwrap_or(("", &detail));
                Flaw::Field {
                    table: table.to_owned(),
                    column: column.to_owned(),
                }
            }
            "rewritten" => Flaw::Rewritten,
            _ => Flaw::Refused(detail),
        }
    }

    /// The flaw of a row this file refused to write, if the error concerns that row alone
    /// (else the pull stops on it: a full disk is no reason to skip a row).
    pub(super) fn of_error(error: &StoreError) -> Option<Flaw> {
        use crate::store::Refusal;
        match error {
            StoreError::Invalid(refusal) => match refusal.as_ref() {
                Refusal::PulledAmount { column, .. } => Some(Flaw::Amount {
                    column: (*column).to_owned(),
                }),
                Refusal::Nested { column } => Some(Flaw::Nested {
                    column: column.clone(),
                }),
                _ => None,
            },
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, message))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Some(Flaw::Refused(message.clone().unwrap_or_default()))
            }
            _ => None,
        }
    }
}

/// A pulled row kept aside: the row as the hub sent it, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flawed {
    pub table: &'static str,
    pub id: String,
    pub hlc: String,
    pub data: String,
    pub flaw: Flaw,
}

impl Tx<'_> {
    /// Keeps `row` aside (in place of what was kept of it before).
    pub(super) fn keep_aside(&self, row: &Flawed) -> Result<()> {
        let (kind, detail) = row.flaw.parts();
        self.prepare_cached(
            "INSERT OR REPLACE INTO sync_aside (tbl, row_id, hlc, data, kind, detail, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(rusqlite::params![
            row.table, row.id, row.hlc, row.data, kind, detail, self.stamp
        ])?;
        Ok(())
    }

    /// `table`'s row `id` made it: whatever was kept aside of it goes.
    pub(super) fn unkeep(&self, table: &str, id: &str) -> Result<()> {
        self.prepare_cached("DELETE FROM sync_aside WHERE tbl = ?1 AND row_id = ?2")?
            .execute([table, id])?;
        Ok(())
    }

    /// Whether any row is kept aside, and the cards kept aside.
    pub(super) fn aside(&self) -> Result<(bool, HashSet<String>)> {
        let any = (self.query_row("SELECT 1 FROM sync_aside LIMIT 1", [], |_| Ok(())))
            .optional()?
            .is_some();
        let mut stmt = self.prepare("SELECT row_id FROM sync_aside WHERE tbl = 'opportunities'")?;
        let cards = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok((any, cards))
    }
}

impl Store {
    /// Keeps rows aside (see [`Flawed`]); those kept before under the same ids are replaced.
    pub fn keep_aside(&mut self, rows: &[Flawed]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        self.write(|tx| rows.iter().try_for_each(|row| tx.keep_aside(row)))
    }

    /// How many pulled rows are kept aside.
    pub fn kept_aside_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM sync_aside", [], |r| r.get(0))?)
    }

    /// The rows kept aside, oldest first.
    pub fn kept_aside(&self) -> Result<Vec<Flawed>> {
        let mut stmt = self.conn.prepare(
            "SELECT tbl, row_id, hlc, data, kind, detail FROM sync_aside ORDER BY at, tbl, row_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                Flaw::from_parts(&r.get::<_, String>(4)?, r.get(5)?),
            ))
        })?;
        let mut kept = Vec::new();
        for row in rows {
            let (table, id, hlc, data, flaw) = row?;
            // Only synced tables are ever kept.
            if let Some(table) = synced_table(&table) {
                kept.push(Flawed {
                    table,
                    id,
                    hlc,
                    data,
                    flaw,
                });
            }
        }
        Ok(kept)
    }
}
