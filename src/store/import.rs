//! Writing many opportunities at once (imports): one transaction, all or nothing.
//!
//! An imported row whose id already exists updates that opportunity, so re-importing a file
//! never duplicates. Rows that bring their history, evidence, answers and people (JSON) have
//! them merged by id: history is append-only, so events already present are kept as they are.

use rusqlite::params;

use super::{Funnel, Result, Store, StoreError, Tx};
use crate::domain::{Answer, EventKind, Evidence, Opportunity, Person, StageEvent};

/// Everything attached to an opportunity, as a lossless export carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Records {
    pub history: Vec<StageEvent>,
    pub evidence: Vec<Evidence>,
    pub answers: Vec<Answer>,
    pub people: Vec<Person>,
}

/// One opportunity to import; `records` only when the source carries them (JSON).
#[derive(Debug, Clone)]
pub struct Imported {
    pub opportunity: Opportunity,
    pub records: Option<Records>,
}

/// A target to import (funnel-wide when `owner` is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedTarget {
    pub period: i32,
    pub owner: String,
    pub amount_cents: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportStats {
    pub added: usize,
    pub updated: usize,
}

impl Store {
    /// Imports opportunities (and targets) into `funnel` in one transaction. With `dry_run`, the
    /// transaction is rolled back: the counts say what would change and nothing is written.
    /// `items` is consumed as it is written, so a generator or a file reader can stream into it
    /// without holding every row in memory.
    pub fn import(
        &mut self,
        funnel: &Funnel,
        items: impl IntoIterator<Item = Imported>,
        targets: &[ImportedTarget],
        dry_run: bool,
    ) -> Result<ImportStats> {
        // Into an empty database, indexes are built once after the load instead of row by row,
        // and the running totals summed once (several times faster at a million rows).
        let bulk = !dry_run && self.is_empty()?;
        let result = self.write(|tx| {
            let derived = if bulk {
                Some(tx.suspend_derived()?)
            } else {
                None
            };
            let mut stats = ImportStats::default();
            for mut item in items {
                item.opportunity.funnel_id = funnel.id.clone();
                super::validate_fields(&mut item.opportunity.fields)
                    .map_err(|e| StoreError::Invalid(format!("{}: {e}", item.opportunity.id)))?;
                if tx.import_one(&item)? {
                    stats.updated += 1;
                } else {
                    stats.added += 1;
                }
            }
            for t in targets {
                tx.upsert_target(&funnel.id, t.period, &t.owner, t.amount_cents)?;
            }
            if let Some(derived) = derived {
                tx.restore_derived(&derived)?;
            }
            if dry_run {
                // Unwinds the transaction; the counts are carried out in the error.
                return Err(StoreError::DryRun(stats));
            }
            Ok(stats)
        });
        match result {
            Err(StoreError::DryRun(stats)) => Ok(stats),
            other => other,
        }
    }

    /// Targets of a funnel, every period and owner (for export).
    pub fn targets(&self, funnel: &Funnel) -> Result<Vec<ImportedTarget>> {
        let mut stmt = self.conn.prepare(
            "SELECT period, owner, amount_cents FROM targets
             WHERE funnel_id = ?1 AND deleted_at IS NULL ORDER BY period, owner",
        )?;
        let rows = stmt.query_map([&funnel.id], |r| {
            Ok(ImportedTarget {
                period: r.get(0)?,
                owner: r.get(1)?,
                amount_cents: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// All records of one opportunity (for a lossless export).
    pub fn records(&self, id: &str) -> Result<Records> {
        Ok(Records {
            history: self.history(id)?,
            evidence: self.evidence(id)?,
            answers: self.answers(id)?,
            people: self.people(id)?,
        })
    }
}

/// What a bulk load drops, to create it again: the SQL of the indexes and triggers, and the
/// tables whose sync triggers were among them.
pub(super) struct Derived {
    sql: Vec<String>,
    synced: Vec<String>,
}

impl Store {
    /// Whether the database has no opportunity at all (in any funnel, deleted or not).
    pub(super) fn is_empty(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM opportunities)", [], |r| {
                r.get(0)
            })?)
    }
}

impl Tx<'_> {
    /// Drops the indexes of the tables a bulk load (an import, a first pull) fills, the
    /// triggers that keep `totals` and those that stamp and queue new rows for sync (done once
    /// for all rows afterwards); primary keys and unique constraints stay, so duplicates are
    /// still refused. Inside the load's transaction: a failed load rolls the drop back too.
    pub(super) fn suspend_derived(&self) -> Result<Derived> {
        let mut stmt = self.prepare(
            "SELECT name, type, sql, tbl_name FROM sqlite_schema WHERE sql IS NOT NULL
               AND ((type = 'index' AND tbl_name IN
                     ('opportunities', 'stage_events', 'evidence', 'answers', 'people'))
                 OR (type = 'trigger' AND name LIKE 'totals\\_%' ESCAPE '\\')
                 OR (type = 'trigger' AND name LIKE '%\\_sync\\_insert' ESCAPE '\\'))",
        )?;
        let found: Vec<(String, String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        // The unique indexes that stay are bigger than the default cache at a million cards:
        // a larger one for the load avoids re-reading them from disk for every row.
        self.pragma_update(None, "cache_size", -super::BULK_CACHE_KIB)?;
        for (name, kind, _, _) in &found {
            self.execute_batch(&format!("DROP {kind} \"{name}\""))?;
        }
        let synced = found
            .iter()
            .filter(|(name, ..)| name.ends_with("_sync_insert"))
            .map(|(.., table)| table.clone())
            .collect();
        let sql = found.into_iter().map(|(_, _, sql, _)| sql).collect();
        Ok(Derived { sql, synced })
    }

    /// Sums the running totals from the loaded cards, then creates the indexes and triggers
    /// again.
    pub(super) fn restore_derived(&self, derived: &Derived) -> Result<()> {
        self.execute_batch(
            "DELETE FROM totals;
             INSERT INTO totals
             SELECT funnel_id, period, status, stage, owner, count(*), sum(value_cents)
             FROM opportunities WHERE deleted_at IS NULL
             GROUP BY funnel_id, period, status, stage, owner;",
        )?;
        // What the sync insert triggers would have done row by row: queue and stamp.
        let stamp = super::sync::next_hlc_sql("''");
        for table in &derived.synced {
            self.execute_batch(&format!(
                "INSERT INTO sync_outbox (tbl, row_id, base) SELECT '{table}', id, '' FROM {table}
                   WHERE hlc = '' AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled')
                   ON CONFLICT DO NOTHING;
                 UPDATE {table} SET hlc = {stamp} WHERE hlc = '';"
            ))?;
        }
        for sql in &derived.sql {
            self.execute_batch(sql)?;
        }
        self.pragma_update(None, "cache_size", -super::CACHE_KIB)?;
        Ok(())
    }

    /// Inserts or updates one imported opportunity; true when it already existed.
    fn import_one(&self, item: &Imported) -> Result<bool> {
        let incoming = &item.opportunity;
        let existing = match self.load(&incoming.id) {
            Ok(opp) => Some(opp),
            Err(StoreError::NotFound(_)) => None,
            Err(e) => return Err(e),
        };
        match &existing {
            Some(current) => {
                let mut updated = incoming.clone();
                updated.version = current.version;
                if item.records.is_none() && updated.stage != current.stage {
                    updated.stage_since = self.today;
                }
                self.save(&mut updated)?;
                if item.records.is_none() && updated.stage != current.stage {
                    // An import is no evidence: a stage change it brings is unverified.
                    self.record_event(
                        &updated,
                        EventKind::Moved,
                        Some(current.stage),
                        false,
                        "import",
                    )?;
                }
            }
            None => {
                self.insert(incoming)?;
                if item.records.is_none() {
                    self.record_event(incoming, EventKind::Created, None, true, "import")?;
                }
            }
        }
        if let Some(records) = &item.records {
            self.import_records(&incoming.id, records)?;
        }
        Ok(existing.is_some())
    }

    /// Statements are cached on the connection: an import of many cards prepares each once.
    fn import_records(&self, id: &str, records: &Records) -> Result<()> {
        if !records.history.is_empty() {
            let mut insert = self.prepare_cached(
                "INSERT INTO stage_events (id, opportunity_id, at, kind, from_stage, to_stage,
                    evidence_confirmed, note, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING",
            )?;
            for e in &records.history {
                insert.execute(params![
                    e.id,
                    id,
                    e.at.format(super::STAMP).to_string(),
                    e.kind.key(),
                    e.from_stage,
                    e.to_stage,
                    e.evidence_confirmed,
                    e.note,
                    self.stamp,
                    self.actor
                ])?;
            }
        }
        for e in &records.evidence {
            self.upsert_evidence(id, e)?;
        }
        for a in &records.answers {
            self.upsert_answer(id, a)?;
        }
        for p in &records.people {
            self.upsert_person(id, p)?;
        }
        Ok(())
    }
}
