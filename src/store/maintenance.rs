//! Keeping the file safe: online backups (also taken automatically before a schema upgrade) and
//! `check`, which runs SQLite's own integrity check and then the app's invariants (every card in
//! a known stage and status, the stage history ending where the card is, the running totals, the
//! period's breakdowns and the history sums equal to a recount). A check only reads, so what
//! it reports is what is on disk; `repair` (`check --repair`) is the one that writes, after a
//! copy, and only what a recount knows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, params};

use super::card_key::CardId;
use super::funnels::stage_from_index;
use super::sums::{BREAKDOWNS, RECOUNTS, UPKEEP_RECOUNT};
use super::{CardFilter, Funnel, Problem, Refusal, Result, Store, StoreError};
use crate::domain::indicators::{TotalRow, aggregate};
use crate::domain::{Opportunity, Stage, Status};

/// Opportunities recounted at a time: the recount streams, so a million cards never sit in memory.
const RECOUNT_CHUNK: usize = 10_000;

impl Store {
    /// Copies the whole database to `dest` (a new file, mode 0600) with SQLite's online backup:
    /// a consistent snapshot, taken while other windows keep reading and writing. An existing
    /// `dest` is refused unless `overwrite`; the copy is written next to `dest` first and only
    /// then put in place, so a failed backup never leaves a half-written file behind.
    pub fn backup(&self, dest: &Path, overwrite: bool) -> Result<()> {
        backup_connection(&self.conn, dest, overwrite)
    }

    /// Everything wrong with the database, one problem each; empty when all is well.
    pub fn check(&self) -> Result<Vec<Problem>> {
        let mut problems = Vec::new();
        let integrity = self.pragma_rows("integrity_check")?;
        if integrity != ["ok"] {
            // Queries over a damaged file read damaged rows: the invariants wait for a repair.
            problems.extend(integrity.into_iter().map(Problem::Integrity));
            problems.push(Problem::NotCheckedUntilRepaired);
            return Ok(problems);
        }
        problems.extend(
            (self.pragma_rows("foreign_key_check")?)
                .into_iter()
                .map(Problem::ForeignKey),
        );
        let unknown = self.unknown_stage_or_status()?;
        let readable = unknown.is_empty();
        problems.extend(unknown);
        problems.extend(self.history_mismatches()?);
        if readable {
            for funnel in self.funnels()? {
                problems.extend(self.totals_mismatches(&funnel)?);
            }
            problems.extend(self.breakdown_mismatches()?);
            problems.extend(self.history_sum_mismatches()?);
        } else {
            problems.push(Problem::TotalsNotRecounted);
        }
        Ok(problems)
    }

    /// Repairs what a recount can (`funnel check --repair`): when [`Store::check`] finds the
    /// running totals, the breakdowns or the history sums different from the cards (a file
    /// damaged by an old overflow, another program), a copy of the file is taken next to it
    /// (`NAME.bak-repair-YYYYMMDDHHMMSS`, UTC), then every table of sums is counted again in one
    /// transaction. A damaged file, unknown stages and histories are not touched: what
    /// a recount cannot know is left for the user, with the copy.
    pub fn repair(&mut self) -> Result<Repair> {
        let before = self.check()?;
        let recountable = before.iter().any(Problem::is_recountable)
            && !before.iter().any(|p| {
                matches!(
                    p,
                    Problem::NotCheckedUntilRepaired | Problem::TotalsNotRecounted
                )
            });
        let mut backup = None;
        if recountable {
            if self.read_only {
                return Err(StoreError::ReadOnly);
            }
            // A database in memory has no file to copy.
            backup = self.path().map(|path| repair_backup_path(&path));
            if let Some(copy) = &backup {
                self.backup(copy, false)?;
            }
            self.write(|tx| tx.recount_sums())?;
        }
        let left = self.check()?;
        let repaired = before.into_iter().filter(|p| !left.contains(p)).collect();
        Ok(Repair {
            backup,
            repaired,
            left,
        })
    }

    /// The rows a checking pragma returns, each row's columns joined.
    fn pragma_rows(&self, pragma: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(&format!("PRAGMA {pragma}"))?;
        let columns = stmt.column_count();
        let rows = stmt.query_map([], |r| {
            (0..columns)
                .map(|i| {
                    r.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                        rusqlite::types::Value::Text(t) => t,
                        rusqlite::types::Value::Integer(i) => i.to_string(),
                        rusqlite::types::Value::Null => "-".into(),
                        other => format!("{other:?}"),
                    })
                })
                .collect::<rusqlite::Result<Vec<_>>>()
                .map(|cells| cells.join(" "))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn unknown_stage_or_status(&self) -> Result<Vec<Problem>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, stage, status FROM opportunities WHERE deleted_at IS NULL
             AND (stage NOT BETWEEN 0 AND ?1 OR status NOT IN (0, 1, 2)) ORDER BY id",
        )?;
        let rows = stmt.query_map([Stage::COUNT as i64 - 1], |r| {
            let (CardId(id), stage, status): (CardId, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            Ok(if stage_from_index(stage).is_err() {
                Problem::UnknownStage { id, stage }
            } else {
                Problem::UnknownStatus { id, status }
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Live cards whose newest history event does not end in the card's stage (cards imported
    /// without any history have nothing to compare).
    fn history_mismatches(&self) -> Result<Vec<Problem>> {
        let mut stmt = self.conn.prepare(
            "SELECT o.id, o.stage, e.to_stage FROM opportunities o
             JOIN stage_events e ON e.id = (
                SELECT id FROM stage_events WHERE opportunity_id = o.id AND deleted_at IS NULL
                ORDER BY at DESC, id DESC LIMIT 1)
             WHERE o.deleted_at IS NULL AND e.to_stage <> o.stage ORDER BY o.id",
        )?;
        let rows = stmt.query_map([], |r| {
            let (CardId(id), stage, last): (CardId, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            Ok(Problem::HistoryEnds { id, stage, last })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Compares the running totals of a funnel with a recount of its cards.
    fn totals_mismatches(&self, funnel: &Funnel) -> Result<Vec<Problem>> {
        let mut recount = Tally::default();
        let mut chunk: Vec<Opportunity> = Vec::with_capacity(RECOUNT_CHUNK);
        let all = CardFilter {
            closed_too: true,
            ..CardFilter::default()
        };
        self.for_each_opportunity(funnel, &all, |opp| {
            chunk.push(opp);
            if chunk.len() == RECOUNT_CHUNK {
                recount.add(aggregate(&chunk, funnel.fiscal_start));
                chunk.clear();
            }
            Ok(())
        })?;
        recount.add(aggregate(&chunk, funnel.fiscal_start));
        let mut kept = Tally::default();
        kept.add(self.stored_totals(funnel)?);
        let mut problems = Vec::new();
        let keys: std::collections::BTreeSet<_> = recount.0.keys().chain(kept.0.keys()).collect();
        for key in keys {
            let counted = recount.0.get(key).copied().unwrap_or_default();
            let stored = kept.0.get(key).copied().unwrap_or_default();
            if counted != stored {
                let (period, status, stage, owner) = key;
                problems.push(Problem::Totals {
                    funnel: funnel.name.clone(),
                    period: *period,
                    status: *status,
                    stage: *stage,
                    owner: owner.clone(),
                    kept: stored,
                    recount: counted,
                });
            }
        }
        Ok(problems)
    }

    /// The period's breakdown tables and the upkeep counts (see the schema) that differ from a
    /// recount of the cards.
    fn breakdown_mismatches(&self) -> Result<Vec<Problem>> {
        let tables = BREAKDOWNS.iter().map(|b| (b.table, b.recount()));
        // The upkeep counts are counted from the cards alone too.
        let upkeep = std::iter::once((UPKEEP_RECOUNT.0, UPKEEP_RECOUNT.1.to_string()));
        self.kept_mismatches(tables.chain(upkeep), |table, rows| Problem::Breakdown {
            table,
            rows,
        })
    }

    /// The history sums (see `super::sums`) that differ from a recount of the cards and
    /// their histories.
    fn history_sum_mismatches(&self) -> Result<Vec<Problem>> {
        let tables = RECOUNTS.iter().map(|(t, r)| (*t, r.to_string()));
        self.kept_mismatches(tables, |table, rows| Problem::HistorySum { table, rows })
    }

    /// For each table of kept counts that differs from its recount, how many rows do (rows
    /// counting nothing, which triggers may leave behind, are skipped), as `problem` says.
    fn kept_mismatches(
        &self,
        tables: impl Iterator<Item = (&'static str, String)>,
        problem: fn(&'static str, i64) -> Problem,
    ) -> Result<Vec<Problem>> {
        let mut problems = Vec::new();
        for (table, recount) in tables {
            let differ: i64 = self.conn.query_row(
                &format!(
                    "SELECT (SELECT count(*) FROM
                                (SELECT * FROM {table} WHERE count <> 0 EXCEPT {recount}))
                          + (SELECT count(*) FROM ({recount} EXCEPT SELECT * FROM {table}))"
                ),
                [],
                |r| r.get(0),
            )?;
            if differ > 0 {
                problems.push(problem(table, differ));
            }
        }
        Ok(problems)
    }

    /// Every running-total row of a funnel, zero ones included (a row of zero cards must also be
    /// worth zero).
    fn stored_totals(&self, funnel: &Funnel) -> Result<Vec<TotalRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT period, status, stage, owner, count, value_cents FROM totals
             WHERE funnel = (SELECT key FROM funnels WHERE id = ?1)
               AND (count <> 0 OR value_cents <> 0)",
        )?;
        let rows = stmt.query_map(params![funnel.id], super::funnels::total_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// What [`Store::repair`] did.
#[derive(Debug)]
pub struct Repair {
    /// The copy taken before repairing (none when there was nothing a recount repairs).
    pub backup: Option<PathBuf>,
    /// Problems found before and gone after.
    pub repaired: Vec<Problem>,
    /// Problems still there.
    pub left: Vec<Problem>,
}

type TallyKey = (Option<i32>, Status, Stage, String);

/// Totals rows summed by key (chunks of a recount, or the stored rows).
#[derive(Default)]
struct Tally(BTreeMap<TallyKey, (i64, i128)>);

impl Tally {
    fn add(&mut self, rows: Vec<TotalRow>) {
        for row in rows {
            let sum = self
                .0
                .entry((row.period, row.status, row.stage, row.owner))
                .or_default();
            sum.0 += row.count;
            sum.1 += row.value_cents;
        }
    }
}

/// Where the copy taken before a repair goes, as the one before an upgrade.
fn repair_backup_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stamp = chrono::Utc::now().format("%Y%m%d%H%M%S");
    path.with_file_name(format!("{name}.bak-repair-{stamp}"))
}

/// Backs up a connection's main database to `dest`; see [`Store::backup`].
pub(super) fn backup_connection(source: &Connection, dest: &Path, overwrite: bool) -> Result<()> {
    if !overwrite && dest.exists() {
        return Err(Refusal::BackupExists(dest.to_owned()).into());
    }
    let partial = partial_path(dest);
    super::create_private(&partial)?;
    let copied = copy_into(source, &partial).and_then(|()| {
        let placed = if overwrite {
            std::fs::rename(&partial, dest)
        } else {
            // A hard link fails if `dest` appeared meanwhile: never replaces without --force.
            std::fs::hard_link(&partial, dest)
        };
        placed.map_err(|source| StoreError::Create {
            path: dest.to_owned(),
            source,
        })
    });
    // After a rename there is nothing left to remove; in every other case the partial copy goes.
    let _ = std::fs::remove_file(&partial);
    copied
}

/// A hidden name next to `dest`, on the same file system so the final rename is atomic.
fn partial_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

/// A copy of the database in memory, to try changes on (a dry run on a read-only file).
pub(super) fn copy_in_memory(source: &Connection) -> Result<Connection> {
    let mut to = Connection::open_in_memory()?;
    Backup::new(source, &mut to)?.run_to_completion(i32::MAX, Duration::from_millis(10), None)?;
    Ok(to)
}

fn copy_into(source: &Connection, dest: &Path) -> Result<()> {
    let mut to = Connection::open(dest)?;
    {
        let backup = Backup::new(source, &mut to)?;
        // Every page in one step: one consistent snapshot. A step only retries when the source
        // is locked, which in WAL mode is brief (a checkpoint).
        backup.run_to_completion(i32::MAX, Duration::from_millis(10), None)?;
    }
    // The copy is a plain self-contained file (no -wal next to it).
    to.pragma_update(None, "journal_mode", "DELETE")?;
    to.close().map_err(|(_, e)| StoreError::from(e))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{new, setup};
    use super::*;
    use crate::store::card_key::{self, CardKey};
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    /// A file store with a few cards in several states.
    fn filled(dir: &Path) -> (Store, Funnel) {
        let mut store = Store::open(&dir.join("funnel.db")).unwrap();
        let funnel = store.resolve_funnel(None, "EUR", 4).unwrap();
        let a = store
            .add_opportunity(&funnel, new("a", 100, Stage::PreFunnel))
            .unwrap();
        let b = store
            .add_opportunity(&funnel, new("b", 250, Stage::Closing))
            .unwrap();
        store
            .move_stage(&a.id, None, Stage::ImpactDefined, true)
            .unwrap();
        store.mark_won(&b.id, None, store.today()).unwrap();
        (store, funnel)
    }

    fn all(store: &Store, funnel: &Funnel) -> Vec<Opportunity> {
        let filter = CardFilter {
            closed_too: true,
            ..CardFilter::default()
        };
        store.opportunities(funnel, &filter).unwrap()
    }

    #[test]
    fn a_sound_database_has_no_problems() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = filled(dir.path());
        assert_eq!(store.check().unwrap(), []);
    }

    #[test]
    fn backup_is_a_private_complete_copy_and_never_overwrites_by_accident() {
        let dir = tempfile::tempdir().unwrap();
        let (store, funnel) = filled(dir.path());
        let dest = dir.path().join("copy.db");
        store.backup(&dest, false).unwrap();
        assert_eq!(mode(&dest), 0o600);
        let copy = Store::open(&dest).unwrap();
        assert_eq!(all(&copy, &funnel), all(&store, &funnel));
        assert!(copy.check().unwrap().is_empty());
        drop(copy);

        std::fs::write(&dest, "precious").unwrap();
        let refused = store.backup(&dest, false).unwrap_err();
        assert!(refused.to_string().contains("already exists"), "{refused}");
        assert_eq!(std::fs::read(&dest).unwrap(), b"precious");
        store.backup(&dest, true).unwrap();
        assert_eq!(mode(&dest), 0o600);
        assert_eq!(all(&Store::open(&dest).unwrap(), &funnel).len(), 2);
        // Nothing left over next to the copy.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.contains("partial"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
    }

    #[test]
    fn backup_works_while_another_connection_is_writing() {
        let dir = tempfile::tempdir().unwrap();
        let (store, funnel) = filled(dir.path());
        let before = all(&store, &funnel);
        // Another window is in the middle of a change (holds the write lock, uncommitted).
        let mut other = Store::open(&dir.path().join("funnel.db")).unwrap();
        let id = before[0].id.clone();
        let tx = other.conn.transaction().unwrap();
        tx.execute(
            "UPDATE opportunities SET title = 'half-done' WHERE id = ?1",
            [CardKey(&id)],
        )
        .unwrap();
        let dest = dir.path().join("copy.db");
        store.backup(&dest, false).unwrap();
        drop(tx);
        // The copy holds the last committed state, not the uncommitted change.
        assert_eq!(all(&Store::open(&dest).unwrap(), &funnel), before);
    }

    #[test]
    fn check_reports_each_broken_invariant() {
        let (store, funnel) = setup();
        let mut store = store;
        let a = store
            .add_opportunity(&funnel, new("a", 100, Stage::PreFunnel))
            .unwrap();
        let b = store
            .add_opportunity(&funnel, new("b", 200, Stage::Closing))
            .unwrap();
        let c = store
            .add_opportunity(&funnel, new("c", 300, Stage::Closing))
            .unwrap();
        store
            .conn
            .execute_batch(&format!(
                "UPDATE totals SET value_cents = value_cents + 1 WHERE stage = 7;
                 UPDATE stage_events SET to_stage = 3 WHERE opportunity_id = {};",
                card_key::id_from_text_sql(&format!("'{}'", a.id))
            ))
            .unwrap();
        // The sums follow the history's change (their triggers fire for any writer); a sum
        // changed by hand does not.
        store
            .conn
            .execute_batch("UPDATE journey_counts SET count = count + 1 WHERE status = 0")
            .unwrap();
        let problems = store.check().unwrap();
        assert!(
            matches!(
                problems.as_slice(),
                [
                    Problem::HistoryEnds { id, stage: 0, last: 3 },
                    Problem::Totals {
                        stage: Stage::Closing,
                        kept: (2, 501),
                        recount: (2, 500),
                        ..
                    },
                    Problem::HistorySum {
                        table: "journey_counts",
                        ..
                    },
                ] if *id == a.id
            ),
            "{problems:#?}"
        );

        // A stage no version of funnel writes (another program ignoring the CHECK constraint).
        store
            .conn
            .execute_batch(&format!(
                "PRAGMA ignore_check_constraints = ON;
                 UPDATE opportunities SET stage = 9 WHERE id = {};
                 UPDATE opportunities SET status = 5 WHERE id = {};",
                card_key::id_from_text_sql(&format!("'{}'", b.id)),
                card_key::id_from_text_sql(&format!("'{}'", c.id))
            ))
            .unwrap();
        let problems = store.check().unwrap();
        let unknown_stage = Problem::UnknownStage { id: b.id, stage: 9 };
        let unknown_status = Problem::UnknownStatus {
            id: c.id,
            status: 5,
        };
        assert!(problems.contains(&unknown_stage), "{problems:#?}");
        assert!(problems.contains(&unknown_status), "{problems:#?}");
        assert_eq!(problems.last(), Some(&Problem::TotalsNotRecounted));
    }

    #[test]
    fn check_runs_sqlite_integrity_check() {
        let (mut store, funnel) = setup();
        for i in 0..50 {
            store
                .add_opportunity(&funnel, new(&format!("card {i}"), i, Stage::PreFunnel))
                .unwrap();
        }
        // Redefine an index behind SQLite's back: its entries no longer match the table.
        store
            .conn
            .execute_batch(
                "PRAGMA writable_schema = ON;
                 UPDATE sqlite_master SET sql = 'CREATE INDEX people_by_opportunity ON people(name)'
                   WHERE name = 'people_by_opportunity';
                 UPDATE sqlite_master SET sql = replace(sql, 'value_cents DESC, id', 'title, id')
                   WHERE name = 'opportunities_board';
                 PRAGMA writable_schema = RESET;",
            )
            .unwrap();
        let problems = store.check().unwrap();
        assert!(
            matches!(problems[0], Problem::Integrity(_)),
            "{problems:#?}"
        );
        assert_eq!(problems.last(), Some(&Problem::NotCheckedUntilRepaired));
    }

    /// A schema step only tests know: today's files are then "made by an older version".
    const NEXT: &str = "ALTER TABLE opportunities ADD COLUMN probability INTEGER";

    /// The real migrations followed by one more step.
    fn with_next(step: &'static str) -> Vec<&'static str> {
        let mut steps = super::super::schema::MIGRATIONS.to_vec();
        steps.push(step);
        steps
    }

    fn current() -> i64 {
        super::super::schema::MIGRATIONS.len() as i64
    }

    fn upgrade_copies(dir: &Path) -> Vec<PathBuf> {
        let mut found: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains("funnel.db.bak-v"))
            .collect();
        found.sort();
        found
    }

    fn user_version(path: &Path) -> i64 {
        Connection::open(path)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn an_older_database_is_copied_then_upgraded_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("funnel.db");
        let (store, funnel) = filled(dir.path());
        let before = all(&store, &funnel);
        drop(store);
        assert!(upgrade_copies(dir.path()).is_empty(), "no copy on creation");

        let steps = with_next(NEXT);
        let upgraded = Store::open_with(&path, &steps).unwrap();
        assert_eq!(all(&upgraded, &funnel), before);
        assert!(upgraded.check().unwrap().is_empty());
        drop(upgraded);
        assert_eq!(user_version(&path), current() + 1);

        let copies = upgrade_copies(dir.path());
        assert_eq!(copies.len(), 1, "{copies:?}");
        let name = copies[0]
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let prefix = format!("funnel.db.bak-v{}-", current());
        let stamp = name.strip_prefix(&prefix).unwrap();
        assert!(
            stamp.len() == 14 && stamp.bytes().all(|b| b.is_ascii_digit()),
            "{name}"
        );
        assert_eq!(mode(&copies[0]), 0o600);
        assert_eq!(user_version(&copies[0]), current());
        assert_eq!(all(&Store::open(&copies[0]).unwrap(), &funnel), before);

        // Up to date: opening again copies nothing.
        drop(Store::open_with(&path, &steps).unwrap());
        assert_eq!(upgrade_copies(dir.path()), copies);
    }

    #[test]
    fn a_failed_upgrade_leaves_the_database_as_it_was_and_the_copy_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("funnel.db");
        let (store, funnel) = filled(dir.path());
        let before = all(&store, &funnel);
        drop(store);
        let steps = with_next("ALTER TABLE nowhere ADD x");
        let err = Store::open_with(&path, &steps).err().unwrap();
        assert!(matches!(err, StoreError::Migration(_)), "{err}");
        assert_eq!(user_version(&path), current());
        assert_eq!(all(&Store::open(&path).unwrap(), &funnel), before);
        assert_eq!(upgrade_copies(dir.path()).len(), 1);
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("funnel.db");
        drop(Store::open_with(&path, &with_next(NEXT)).unwrap());
        let bytes = std::fs::read(&path).unwrap();
        let err = Store::open(&path).err().unwrap();
        let n = super::super::schema::MIGRATIONS.len();
        assert!(
            matches!(err, StoreError::TooNew { found, supported, .. } if found == n + 1 && supported == n),
            "{err}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        assert!(upgrade_copies(dir.path()).is_empty());
    }

    #[test]
    fn a_full_disk_fails_the_action_with_a_message_and_writes_nothing_half() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, funnel) = filled(dir.path());
        // SQLite's own size limit stands in for a full disk: the file may not grow any more.
        let pages: i64 = store
            .conn
            .pragma_query_value(None, "page_count", |r| r.get(0))
            .unwrap();
        store
            .conn
            .pragma_update(None, "max_page_count", pages)
            .unwrap();
        let long = "x".repeat(2000);
        let mut added = 0;
        let err = loop {
            match store.add_opportunity(&funnel, new(&long, 100, Stage::PreFunnel)) {
                Ok(_) => added += 1,
                Err(e) => break e,
            }
            assert!(added < 10_000, "the limit never bit");
        };
        assert!(matches!(err, StoreError::Full), "{err}");
        assert!(err.to_string().starts_with("the disk is full"));
        assert_eq!(all(&store, &funnel).len(), 2 + added);
        assert!(store.check().unwrap().is_empty());

        // A whole import that does not fit is refused as a whole.
        let before = all(&store, &funnel);
        let items: Vec<_> = (0..50)
            .map(|i| {
                let mut opportunity = before[0].clone();
                opportunity.id = super::super::new_id();
                opportunity.fields.title = format!("{long}{i}");
                super::super::Imported {
                    opportunity,
                    records: None,
                }
            })
            .collect();
        let err = store.import(&funnel, items, &[], false, None).unwrap_err();
        assert!(matches!(err, StoreError::Full), "{err}");
        assert_eq!(all(&store, &funnel), before);
        assert!(store.check().unwrap().is_empty());
    }
}
