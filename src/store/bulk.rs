//! Bulk loads: writing a whole file's worth of rows into an empty database (an import, a first
//! pull) several times faster than row by row. The load drops the indexes of the tables it
//! fills and the triggers that keep the derived sums, stamp rows for sync and count data
//! generations, stages the cards in a table of their own so that they are copied into the
//! file page by page, and at the end writes the sums it counted (see `super::sums`), queues
//! what it stamped, and makes the indexes and triggers again, all in its one transaction.

use rusqlite::OptionalExtension;

use super::stamps::{ENABLED, next_hlc_sql, queued_id};
use super::sums::Summed;
use super::{Refusal, Result, Store, StoreError, Tx};

/// The cache while a bulk load builds its indexes: the size of each sorted run (see
/// [`Tx::restore_derived`]).
const SORT_RUN_KIB: i64 = 4_096;

/// What a bulk load drops, to create it again: the SQL of the indexes and triggers, and the
/// tables whose sync triggers were among them; and the sync stamp of every row an import writes
/// (empty while the file has never synced: its rows are stamped by its first sync).
pub(super) struct Derived {
    sql: Vec<String>,
    synced: Vec<String>,
    hlc: String,
}

impl Derived {
    /// The sync stamp of every row the load writes (empty while the file has never synced).
    pub(super) fn hlc(&self) -> &str {
        &self.hlc
    }
}

impl Store {
    /// Runs a bulk load into an empty file with a rollback journal instead of the WAL: the
    /// load is written to the file once instead of to the WAL and then copied into it (760 MB
    /// at a million cards: ~6 s of wall time here), as safely (an interrupted load is rolled
    /// back, and opening the file puts the WAL back). Only possible while no other connection
    /// has the file open; otherwise the WAL stays.
    pub(super) fn in_load_journal<T, E: From<StoreError>>(
        &mut self,
        load: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        let journal = self.set_journal_mode("DELETE")?;
        let result = load(self);
        if journal {
            self.set_journal_mode("WAL")?;
        }
        result
    }

    /// Runs a bulk load (an import, a first pull) with foreign keys off, as SQLite copies its
    /// staged cards page by page only then (see [`Tx::stage_cards`]); the load checks every
    /// reference before it commits ([`Tx::check_references`]). The setting cannot change inside
    /// a transaction.
    pub(super) fn without_foreign_keys<T, E: From<StoreError>>(
        &mut self,
        load: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        self.set_foreign_keys(false)?;
        let result = load(self);
        self.set_foreign_keys(true)?;
        result
    }

    fn set_foreign_keys(&self, on: bool) -> Result<()> {
        Ok(self.conn.pragma_update(None, "foreign_keys", on)?)
    }

    /// Sets the journal mode; false when SQLite kept the current one (leaving the WAL is
    /// refused as busy while another connection has the file open).
    fn set_journal_mode(&self, mode: &str) -> Result<bool> {
        let set = self
            .conn
            .pragma_update_and_check(None, "journal_mode", mode, |r| r.get::<_, String>(0));
        match set.map_err(StoreError::from) {
            Ok(set) => Ok(set.eq_ignore_ascii_case(mode)),
            Err(StoreError::Busy) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// Whether the database has no opportunity at all (in any funnel, deleted or not): a load into
/// it takes the bulk path.
fn no_opportunities(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(
        conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM opportunities)", [], |r| {
            r.get(0)
        })?,
    )
}

impl Store {
    pub(super) fn is_empty(&self) -> Result<bool> {
        no_opportunities(&self.conn)
    }
}

impl Tx<'_> {
    pub(super) fn is_empty(&self) -> Result<bool> {
        no_opportunities(self)
    }

    /// Drops the indexes of the tables a bulk load (an import, a first pull) fills, the
    /// triggers that keep `totals` and the period's breakdowns (their names start with
    /// `totals_`) and the history sums, those that count data generations (the load counts
    /// one) and those that stamp and queue new rows for sync (an import stamps rows as it
    /// writes them; they are queued at the end); primary keys and unique constraints stay, so
    /// duplicates are still refused. Inside the load's transaction: a failed load rolls the
    /// drop back too. `values_checked`: see [`Tx::bulk_settings`].
    pub(super) fn suspend_derived(&self, values_checked: bool) -> Result<Derived> {
        let mut stmt = self.prepare(
            "SELECT name, type, sql, tbl_name FROM sqlite_schema WHERE sql IS NOT NULL
               AND ((type = 'index' AND tbl_name IN
                     ('opportunities', 'stage_events', 'evidence', 'answers', 'people'))
                 OR (type = 'trigger' AND name LIKE 'totals\\_%' ESCAPE '\\')
                 OR (type = 'trigger' AND name LIKE 'generation\\_%' ESCAPE '\\')
                 OR (type = 'trigger' AND name LIKE 'history\\_sums\\_%' ESCAPE '\\')
                 OR (type = 'trigger' AND name LIKE '%\\_sync\\_insert' ESCAPE '\\'))",
        )?;
        let found: Vec<(String, String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        self.bulk_settings(true, values_checked)?;
        for (name, kind, _, _) in &found {
            self.execute_batch(&format!("DROP {kind} \"{name}\""))?;
        }
        let synced = found
            .iter()
            .filter(|(name, ..)| name.ends_with("_sync_insert"))
            .map(|(.., table)| table.clone())
            .collect();
        let sql = found.into_iter().map(|(_, _, sql, _)| sql).collect();
        let next = next_hlc_sql("''");
        let enabled = ENABLED;
        let hlc = self.query_row(
            &format!("SELECT CASE WHEN {enabled} THEN {next} ELSE '' END"),
            [],
            |r| r.get(0),
        )?;
        Ok(Derived { sql, synced, hlc })
    }

    /// Makes the table a bulk load writes its cards to: `opportunities` in the TEMP schema,
    /// defined as the file's (its statement read from the schema: same columns, key and CHECKs),
    /// which the load's statements write as they name it without a schema (TEMP comes first).
    /// Inserted one by one in id order, the cards left the file's pages a tenth empty (SQLite
    /// splits a full page evenly); copied in one `INSERT … SELECT *` from a table defined alike
    /// ([`Tx::unstage_cards`]), they fill each page as VACUUM does: 249 -> 231 B a card. TEMP
    /// is a temporary file (SQLite's default) behind a small cache, so the load takes no more
    /// memory (in memory: 230 MB more at a million cards, and slower).
    pub(super) fn stage_cards(&self) -> Result<()> {
        let sql: String = self.query_row(
            "SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name = 'opportunities'",
            [],
            |r| r.get(0),
        )?;
        // SQLite keeps a table's statement as `CREATE TABLE name (…)`.
        let definition = (sql.strip_prefix("CREATE TABLE "))
            .ok_or_else(|| Refusal::UnexpectedSchema(sql.clone()))?;
        self.execute_batch(&format!("CREATE TEMP TABLE {definition}"))?;
        Ok(())
    }

    /// Copies the staged cards into the file's empty table and drops the staging table. SQLite
    /// copies them page by page (its transfer optimization) as the tables are defined alike, no
    /// INSERT trigger is left (see [`Tx::suspend_derived`]) and foreign keys are off; else it
    /// inserts them one by one, just as well but not packed. Each staged card first gets the
    /// day of its latest activity, loaded beside it, which the activities' triggers could not
    /// write on a card staged apart (set on the copied cards, it grew them and split their
    /// pages).
    pub(super) fn unstage_cards(&self) -> Result<()> {
        self.execute_batch(
            "UPDATE temp.opportunities SET last_activity = (SELECT max(day) FROM main.activities a
                WHERE a.opportunity_id = temp.opportunities.id AND a.deleted_at IS NULL)
             WHERE id IN (SELECT opportunity_id FROM main.activities);
             INSERT INTO main.opportunities SELECT * FROM temp.opportunities;
             DROP TABLE temp.opportunities;",
        )?;
        Ok(())
    }

    /// With foreign keys off (a bulk import), refuses the transaction if one of its rows refers
    /// to a row that does not exist, as SQLite would have refused the statement that wrote it
    /// (0.5 s at a million cards with their history).
    pub(super) fn check_references(&self) -> Result<()> {
        let on: bool = self.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
        if on {
            return Ok(());
        }
        let broken: Option<(String, String)> = self
            .query_row(
                "SELECT \"table\", parent FROM pragma_foreign_key_check LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match broken {
            Some((table, parent)) => Err(Refusal::MissingParent { table, parent }.into()),
            None => Ok(()),
        }
    }

    /// Writes the sums of the loaded cards (see [`Summed`]), counts the load as one data
    /// generation (so figures kept before it are computed again) and queues the rows an import
    /// stamped for sync if it is on, then creates the indexes and triggers again.
    pub(super) fn restore_derived(&self, derived: &Derived, summed: Summed) -> Result<()> {
        self.count_generation()?;
        self.write_sums(summed)?;
        // What the sync insert triggers would have done row by row once the file syncs: the
        // rows were stamped as they were written, and are queued.
        for table in derived.synced.iter().filter(|_| !derived.hlc.is_empty()) {
            self.execute(
                &format!(
                    "INSERT INTO sync_outbox (tbl, row_id, base) SELECT '{table}', {}, ''
                     FROM {table} WHERE hlc = ?1 ON CONFLICT DO NOTHING",
                    queued_id(table)
                ),
                [&derived.hlc],
            )?;
        }
        // SQLite sorts an index's entries in runs as large as the cache, each sorted on a
        // helper thread when it has one: a small cache for the builds lets a second core sort
        // (the thread that read the file is done), 1.6 -> 1.2 s for the board index at 1M.
        self.pragma_update(None, "threads", 1)?;
        self.pragma_update(None, "cache_size", -SORT_RUN_KIB)?;
        for sql in &derived.sql {
            self.execute_batch(sql)?;
        }
        self.pragma_update(None, "threads", 0)?;
        Ok(())
    }

    /// Connection settings for a bulk load (`on`), or back to the usual ones. CHECK
    /// constraints are skipped only for values already checked (an import's, not a hub's).
    pub(super) fn bulk_settings(&self, on: bool, values_checked: bool) -> Result<()> {
        // The unique indexes that stay are bigger than the default cache at a million cards:
        // a larger one for the load avoids re-reading them from disk for every row.
        let cache = if on {
            super::BULK_CACHE_KIB
        } else {
            super::CACHE_KIB
        };
        self.pragma_update(None, "cache_size", -cache)?;
        // CHECK constraints are left out of the statements compiled meanwhile (the pragma makes
        // SQLite compile every statement again): each value a load writes is checked before,
        // by the file readers and `validate_fields` or by its type (stages, statuses, event
        // kinds are enums), and SQLite builds the list of `stage_events.kind` anew for every
        // row it checks (1.6 s of CPU at a million cards).
        self.pragma_update(None, "ignore_check_constraints", on && values_checked)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    /// A bulk import writes with foreign keys off: the check before it commits is what refuses
    /// a row that refers to nothing (every row it writes refers to rows it wrote before).
    #[test]
    fn with_foreign_keys_off_a_row_that_refers_to_nothing_is_refused() {
        let (mut store, _) = crate::store::tests::setup();
        store.set_foreign_keys(false).unwrap();
        let err = store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO stage_events (id, opportunity_id, at, kind, to_stage,
                        evidence_confirmed, updated_at, updated_by)
                     VALUES ('e', 'no such card', '', 'created', 0, 1, '', '')",
                    [],
                )?;
                tx.check_references()
            })
            .unwrap_err();
        assert!(err.to_string().contains("stage_events"), "{err}");
        let events: i64 = (store.conn)
            .query_row("SELECT count(*) FROM stage_events", [], |r| r.get(0))
            .unwrap();
        assert_eq!(events, 0, "rolled back");
    }
}
