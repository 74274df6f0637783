//! Writing many opportunities at once (imports): one transaction, all or nothing.
//!
//! An imported row whose id already exists updates that opportunity, so re-importing a file
//! never duplicates. Rows that bring their history, evidence, answers and people (JSON) have
//! them merged by id: history is append-only, so events already present are kept as they are.

use rusqlite::{OptionalExtension, Statement, params};
use std::collections::HashMap;

use super::card_key::CardKey;
use super::funnels::status_index;
use super::history_sums::{HistorySums, Written};
use super::opportunities::{INSERT_EVENT, insert_card, period_in};
use super::schema::BREAKDOWNS;
use super::sync::PulledCard;
use super::{Funnel, Result, Store, StoreError, Tx};
use crate::domain::{Answer, EventKind, Evidence, Opportunity, Person, Stage, StageEvent, Status};

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

/// An [`Imported`] checked for the store: its texts cleaned and within bounds, its amounts not
/// negative, in the funnel it is imported into. Checking writes nothing, so a file reader does
/// it on its own thread while the store writes the rows before.
#[derive(Debug, Clone)]
pub struct Checked(Imported);

impl Imported {
    /// Checks the opportunity's fields (as every write of a card does) for `funnel`.
    pub fn checked(mut self, funnel: &Funnel) -> Result<Checked> {
        let opp = &mut self.opportunity;
        opp.funnel_id.clone_from(&funnel.id);
        super::validate_fields(&mut opp.fields)
            .map_err(|e| StoreError::Invalid(format!("{}: {e}", opp.id)))?;
        Ok(Checked(self))
    }
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

/// How far an import has got, told to whoever started it (a command shows it while a million
/// rows take seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportProgress {
    /// This many rows written so far (told every [`PROGRESS_EVERY`] rows).
    Written(usize),
    /// Every row is written; the import is finishing (indexes and sums after a bulk load,
    /// then the commit).
    Finishing,
}

/// Rows between two [`ImportProgress::Written`].
pub const PROGRESS_EVERY: usize = 4096;

/// What an import tells its progress to, if anything.
pub type OnProgress<'p> = Option<&'p mut dyn FnMut(ImportProgress)>;

/// Receives the rows of one import inside its transaction (see [`Store::import_with`]).
pub struct Importer<'a> {
    tx: Tx<'a>,
    funnel: &'a Funnel,
    /// The database held no opportunity when the import began: no imported id can be stored
    /// yet, so none is looked up (a million lookups saved when loading a new file).
    empty: bool,
    /// Kept in a bulk load, whose `totals` and `history_sums` triggers are dropped; handed out
    /// while another thread counts the new cards (see [`Importer::sum_apart`]).
    sums: Option<LoadSums>,
    /// The new cards are counted by another thread: a card with records is refused.
    apart: bool,
    /// The statements writing a new card and its "created" event, prepared once: the
    /// connection's cache would hash their text for every row (4% of a million-row load).
    insert: [Statement<'a>; 2],
    stats: ImportStats,
    progress: OnProgress<'a>,
}

impl Store {
    /// Imports opportunities (and targets) into `funnel` in one transaction. With `dry_run`, the
    /// transaction is rolled back: the counts say what would change and nothing is written.
    /// `items` is consumed as it is written, so a generator can stream into it without holding
    /// every row in memory. Items must be checked as the file readers check them: ids unique
    /// within one import, amounts not negative, scores and question numbers in range (a load
    /// into an empty database does not run the CHECK constraints again).
    pub fn import(
        &mut self,
        funnel: &Funnel,
        items: impl IntoIterator<Item = Imported>,
        targets: &[ImportedTarget],
        dry_run: bool,
        progress: OnProgress,
    ) -> Result<ImportStats> {
        self.import_with(funnel, dry_run, progress, |importer| {
            for item in items {
                importer.add(&item.checked(funnel)?)?;
            }
            for t in targets {
                importer.add_target(t)?;
            }
            Ok(())
        })
    }

    /// Runs `fill` in one import transaction, all or nothing: it writes through the
    /// [`Importer`], and when it fails (a file with bad rows) nothing is kept. A file reader
    /// can so check and write each row as it reads it. `dry_run` as in [`Store::import`];
    /// `progress` is told how far it has got.
    pub fn import_with<E: From<StoreError>>(
        &mut self,
        funnel: &Funnel,
        dry_run: bool,
        progress: OnProgress,
        fill: impl FnOnce(&mut Importer) -> Result<(), E>,
    ) -> Result<ImportStats, E> {
        if !dry_run && self.is_empty()? {
            self.in_load_journal(|store| {
                store.without_foreign_keys(|store| {
                    store.import_in_one(funnel, dry_run, progress, fill)
                })
            })
        } else {
            self.import_in_one(funnel, dry_run, progress, fill)
        }
    }

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

    fn import_in_one<E: From<StoreError>>(
        &mut self,
        funnel: &Funnel,
        dry_run: bool,
        mut progress: OnProgress,
        fill: impl FnOnce(&mut Importer) -> Result<(), E>,
    ) -> Result<ImportStats, E> {
        self.transact(!dry_run, |tx| {
            let empty = tx.is_empty()?;
            // Into an empty database, indexes are built once after the load instead of row by
            // row, the running totals summed as the cards go by and every row stamped for sync
            // as it is written (several times faster at a million rows).
            let bulk = if empty && !dry_run {
                let derived = tx.suspend_derived(true)?;
                tx.stage_cards()?;
                Some(derived)
            } else {
                None
            };
            let mut importer = Importer {
                tx: Tx {
                    hlc: bulk.as_ref().map_or("", |b| &b.hlc),
                    ..*tx
                },
                funnel,
                empty,
                sums: bulk.as_ref().map(|_| LoadSums::default()),
                apart: false,
                insert: [
                    tx.prepare_held(&insert_card(&funnel_key(tx, funnel)?.to_string()))?,
                    tx.prepare_held(INSERT_EVENT)?,
                ],
                stats: ImportStats::default(),
                progress: progress.as_mut().map(|p| &mut **p as _),
            };
            let filled = fill(&mut importer);
            let Importer {
                sums,
                stats,
                insert,
                progress,
                ..
            } = importer;
            if let (Ok(()), Some(progress)) = (&filled, progress) {
                progress(ImportProgress::Finishing);
            }
            // Finalized before the staged cards' table is dropped.
            drop(insert);
            if let (Some(bulk), Some(sums)) = (bulk.as_ref(), sums) {
                let restored = match filled {
                    Ok(()) => {
                        let LoadSums {
                            totals,
                            history: history_sums,
                        } = sums;
                        // Checked while the cards' pages are still in the cache (0.1 s less at
                        // a million cards than after the indexes are built); what follows
                        // writes no table with a foreign key.
                        (tx.unstage_cards())
                            .and_then(|()| tx.check_references())
                            .and_then(|()| {
                                tx.restore_derived(
                                    bulk,
                                    Summed::Imported(&funnel.id, totals),
                                    history_sums,
                                )
                            })
                    }
                    Err(_) => Ok(()),
                };
                // Connection settings are no part of the transaction: back to normal even when
                // it is rolled back.
                tx.bulk_settings(false, false)?;
                restored?;
            } else if filled.is_ok() {
                // Foreign keys are off all the same when another process wrote cards between
                // the look that chose the bulk path and this transaction.
                tx.check_references()?;
            }
            filled?;
            Ok(stats)
        })
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

impl<'a> Importer<'a> {
    /// Whether the import began on a database without any opportunity (so no id is stored).
    pub fn into_empty(&self) -> bool {
        self.empty
    }

    /// The stored opportunity with this id, in whichever funnel (what a row of a file updates).
    pub fn stored(&self, id: &str) -> Result<Option<Opportunity>> {
        if self.empty {
            return Ok(None);
        }
        match self.tx.load(id) {
            Ok(found) => Ok(Some(found)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The funnel the rows go to.
    pub fn funnel(&self) -> &'a Funnel {
        self.funnel
    }

    /// Adds one opportunity to the funnel, or updates the stored one with its id.
    pub fn add(&mut self, Checked(item): &Checked) -> Result<()> {
        match self.stored(&item.opportunity.id)? {
            Some(current) => {
                self.update(item, &current)?;
                self.stats.updated += 1;
            }
            None => {
                let opp = &item.opportunity;
                if self.apart && item.records.is_some() {
                    return Err(counted_as_written(opp));
                }
                let period = period_in(opp, self.funnel.fiscal_start);
                let [insert_card, insert_event] = &mut self.insert;
                self.tx.insert_with(insert_card, opp, period)?;
                let created;
                let history = match &item.records {
                    None => {
                        let kind = EventKind::Created;
                        created = (self.tx).record_event_with(
                            insert_event,
                            opp,
                            kind,
                            None,
                            true,
                            "import",
                        )?;
                        created_alone(self.tx.stamp, &created, opp)
                    }
                    Some(records) => self.tx.import_records(&opp.id, records)?,
                };
                if let Some(sums) = &mut self.sums {
                    sums.add(opp, period, history);
                }
                self.stats.added += 1;
                self.tell_progress();
                return Ok(());
            }
        }
        if let Some(records) = &item.records {
            self.tx.import_records(&item.opportunity.id, records)?;
        }
        self.tell_progress();
        Ok(())
    }

    /// Tells the rows written so far, every [`PROGRESS_EVERY`] rows.
    fn tell_progress(&mut self) {
        let written = self.stats.added + self.stats.updated;
        if let Some(progress) = &mut self.progress
            && written.is_multiple_of(PROGRESS_EVERY)
        {
            progress(ImportProgress::Written(written));
        }
    }

    /// In a bulk load, the counts of the cards to come, for the thread that reads them to keep
    /// (the writing thread is the slower one); they come back with [`Importer::sums_back`].
    /// Meanwhile only cards without records are taken: those are written with their "created"
    /// event alone, so the reading thread counts them as they will be.
    pub fn sum_apart(&mut self) -> Option<NewCards> {
        let sums = self.sums.take()?;
        self.apart = true;
        Some(NewCards {
            sums,
            stamp: self.tx.stamp.to_owned(),
            fiscal_start: self.funnel.fiscal_start,
        })
    }

    /// Takes back the counts handed out by [`Importer::sum_apart`].
    pub fn sums_back(&mut self, new: NewCards) {
        self.sums = Some(new.sums);
        self.apart = false;
    }

    /// Sets a target of the funnel (replacing the one of the same period and owner).
    pub fn add_target(&mut self, t: &ImportedTarget) -> Result<()> {
        (self.tx).upsert_target(&self.funnel.id, t.period, &t.owner, t.amount_cents)
    }

    /// Writes an imported card over the stored one.
    fn update(&self, item: &Imported, current: &Opportunity) -> Result<()> {
        let mut updated = item.opportunity.clone();
        updated.version = current.version;
        let moved = item.records.is_none() && updated.stage != current.stage;
        if moved {
            updated.stage_since = self.tx.today;
        }
        self.tx.save(&mut updated)?;
        if moved {
            // An import is no evidence: a stage change it brings is unverified.
            let from = Some(current.stage);
            (self.tx).record_event(&updated, EventKind::Moved, from, false, "import")?;
        }
        Ok(())
    }
}

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

/// What the triggers a bulk load drops would have added up of the cards it writes: running
/// totals with the period's breakdowns, and history sums.
#[derive(Default)]
struct LoadSums {
    totals: Totals,
    history: HistorySums,
}

impl LoadSums {
    fn add(&mut self, opp: &Opportunity, period: i32, history: Vec<Written>) {
        self.totals.add(opp, period);
        self.history.add(opp, history);
    }
}

/// The counts of a bulk load's new cards, kept by the thread that reads them (see
/// [`Importer::sum_apart`]).
pub struct NewCards {
    sums: LoadSums,
    /// The load's stamp: the time of each card's "created" event.
    stamp: String,
    fiscal_start: u32,
}

impl NewCards {
    /// Counts a new card without records, as it will be written: with its "created" event.
    pub fn add(&mut self, Checked(item): &Checked) -> Result<()> {
        let opp = &item.opportunity;
        if item.records.is_some() {
            return Err(counted_as_written(opp));
        }
        let period = period_in(opp, self.fiscal_start);
        // Its event's id only orders events of one stamp: one event has none to order.
        self.sums
            .add(opp, period, created_alone(&self.stamp, "", opp));
        Ok(())
    }
}

/// Counts and sums of the cards a bulk load writes, by owner, then period, status and stage,
/// and the period's breakdowns: what the dropped `totals` triggers would have added up (without
/// a copy of the owner per card for `totals`).
#[derive(Default)]
pub(super) struct Totals(HashMap<String, HashMap<Group, Sums>>, Tallies);

/// What a bulk load summed as it wrote the cards.
pub(super) enum Summed<'a> {
    /// An import into one funnel (of that id): running totals and breakdowns.
    Imported(&'a str, Totals),
    /// A first pull: the breakdowns (the totals are counted from the table).
    Pulled(Tallies),
}

/// (period, status, stage) of a totals row, with the indexes the table keeps.
type Group = (i32, i64, i64);
/// (count, value in cents).
type Sums = (i64, i64);

impl Totals {
    fn add(&mut self, opp: &Opportunity, period: i32) {
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

/// What the breakdowns count of a live card (written by an import, or pulled).
struct Counted<'a> {
    funnel_id: &'a str,
    period: i64,
    status: i64,
    stage: i64,
    value_cents: i64,
    owner: &'a str,
    team: &'a str,
    region: &'a str,
    territory: &'a str,
    account: &'a str,
}

/// Counts and sums of each breakdown table's rows (see the schema), in [`BREAKDOWNS`] order.
/// Keys are numbers only, texts standing for their place in `names`: a million cards make
/// three keys each, hashed and compared without an allocation (text keys cost 2 s of a 1M
/// import).
#[derive(Default)]
pub(super) struct Tallies {
    names: Names,
    tables: [HashMap<Key, Sums>; BREAKDOWNS.len()],
}

/// A breakdown's key: its columns in order (texts by their number in [`Names`]), then zeros.
type Key = [i64; 8];

impl Tallies {
    fn add_card(&mut self, card: &Counted) {
        let keys = breakdown_keys(card, &mut self.names);
        for (table, key) in self.tables.iter_mut().zip(keys) {
            if let Some(key) = key {
                let (count, cents) = table.entry(key).or_default();
                *count += 1;
                *cents += card.value_cents;
            }
        }
    }

    /// A card of a first pull: counted when it is live.
    pub(super) fn add_pulled(&mut self, card: &PulledCard) {
        let (Some(period), Some(status), Some(stage), true) =
            (card.period, card.status, card.stage, card.alive)
        else {
            return;
        };
        self.add_card(&Counted {
            funnel_id: card.funnel_id,
            period,
            status,
            stage,
            value_cents: card.value_cents.unwrap_or(0),
            owner: card.owner,
            team: card.team,
            region: card.region,
            territory: card.territory,
            account: card.account,
        });
    }
}

/// Each text of the keys once, numbered in order of appearance.
#[derive(Default)]
struct Names {
    numbers: HashMap<String, i64>,
    texts: Vec<String>,
}

impl Names {
    fn number(&mut self, text: &str) -> i64 {
        if let Some(&n) = self.numbers.get(text) {
            return n;
        }
        let n = self.texts.len() as i64;
        self.texts.push(text.to_owned());
        self.numbers.insert(text.to_owned(), n);
        n
    }
}

/// A card's key in each breakdown table when it counts there: what the triggers a bulk load
/// drops would have written (the bulk load's tests compare the tables with a recount).
fn breakdown_keys(card: &Counted, names: &mut Names) -> [Option<Key>; BREAKDOWNS.len()] {
    let (funnel, period) = (names.number(card.funnel_id), card.period);
    let owner = names.number(card.owner);
    let open = card.status == status_index(Status::Open);
    let viable = card.stage >= Stage::CommitsToInvest.index() as i64;
    let group = [
        funnel,
        period,
        card.status,
        i64::from(viable),
        owner,
        names.number(card.team),
        names.number(card.region),
        names.number(card.territory),
    ];
    let open_value = [funnel, period, card.stage, card.value_cents, owner, 0, 0, 0];
    let account = (open && viable && !card.account.is_empty()).then(|| {
        [
            funnel,
            period,
            names.number(card.account),
            owner,
            0,
            0,
            0,
            0,
        ]
    });
    [Some(group), open.then_some(open_value), account]
}

/// The history a new card without records is written with: its "created" event.
fn created_alone<'a>(stamp: &str, id: &'a str, opp: &Opportunity) -> Vec<Written<'a>> {
    vec![Written {
        at: stamp.to_owned(),
        id,
        kind: EventKind::Created,
        to_stage: opp.stage,
    }]
}

/// Why a card with records is refused while new cards are counted apart.
fn counted_as_written(opp: &Opportunity) -> StoreError {
    StoreError::Invalid(format!(
        "{}: a card with records is counted as it is written",
        opp.id
    ))
}

/// The key the cards of `funnel` hold.
fn funnel_key(conn: &rusqlite::Connection, funnel: &Funnel) -> Result<i64> {
    let sql = "SELECT key FROM funnels WHERE id = ?1";
    Ok(conn.query_row(sql, [&funnel.id], |r| r.get(0))?)
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
    fn is_empty(&self) -> Result<bool> {
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
        let next = super::sync::next_hlc_sql("''");
        let enabled = super::sync::ENABLED;
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
        let definition = sql.strip_prefix("CREATE TABLE ").ok_or_else(|| {
            StoreError::Invalid(format!("unexpected schema of opportunities: {sql}"))
        })?;
        self.execute_batch(&format!("CREATE TEMP TABLE {definition}"))?;
        Ok(())
    }

    /// Copies the staged cards into the file's empty table and drops the staging table. SQLite
    /// copies them page by page (its transfer optimization) as the tables are defined alike, no
    /// INSERT trigger is left (see [`Tx::suspend_derived`]) and foreign keys are off; else it
    /// inserts them one by one, just as well but not packed.
    pub(super) fn unstage_cards(&self) -> Result<()> {
        self.execute_batch(
            "INSERT INTO main.opportunities SELECT * FROM temp.opportunities;
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
            Some((table, parent)) => Err(StoreError::Invalid(format!(
                "a row of {table} refers to a missing row of {parent}"
            ))),
            None => Ok(()),
        }
    }

    /// Writes the history sums of the loaded cards (summed as they were written, see
    /// [`HistorySums`]), the period's breakdowns (summed likewise) and their running totals
    /// (summed as an import wrote them, else counted from the table), counts the load as one
    /// data generation (so figures kept before it are computed again) and queues the rows an
    /// import stamped for sync if it is on, then creates the indexes and triggers again.
    pub(super) fn restore_derived(
        &self,
        derived: &Derived,
        summed: Summed,
        history_sums: HistorySums,
    ) -> Result<()> {
        self.count_generation()?;
        self.write_history_sums(history_sums)?;
        self.execute("DELETE FROM totals", [])?;
        let tallies = match summed {
            Summed::Imported(funnel_id, Totals(totals, tallies)) => {
                let mut insert = self.prepare(
                    "INSERT INTO totals
                     VALUES ((SELECT key FROM funnels WHERE id = ?1), ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                for (owner, groups) in &totals {
                    for ((period, status, stage), (count, cents)) in groups {
                        insert.execute(params![
                            funnel_id, period, status, stage, owner, count, cents
                        ])?;
                    }
                }
                tallies
            }
            Summed::Pulled(tallies) => {
                self.execute(
                    "INSERT INTO totals
                     SELECT funnel, period, status, stage, owner, count(*), sum(value_cents)
                     FROM opportunities WHERE deleted_at IS NULL
                     GROUP BY funnel, period, status, stage, owner",
                    [],
                )?;
                tallies
            }
        };
        self.write_breakdowns(tallies)?;
        // What the sync insert triggers would have done row by row once the file syncs: the
        // rows were stamped as they were written, and are queued.
        for table in derived.synced.iter().filter(|_| !derived.hlc.is_empty()) {
            self.execute(
                &format!(
                    "INSERT INTO sync_outbox (tbl, row_id, base) SELECT '{table}', {}, ''
                     FROM {table} WHERE hlc = ?1 ON CONFLICT DO NOTHING",
                    super::sync::queued_id(table)
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

    /// Writes the period's breakdowns in place of what they held.
    fn write_breakdowns(&self, tallies: Tallies) -> Result<()> {
        let Tallies { names, tables } = tallies;
        for (b, tally) in BREAKDOWNS.iter().zip(tables) {
            self.execute(&format!("DELETE FROM {}", b.table), [])?;
            let mut insert = self.prepare(&b.insert())?;
            for (key, (count, cents)) in tally {
                let mut values: Vec<rusqlite::types::Value> = (b.text_columns())
                    .zip(key)
                    .map(|(text, part)| match text {
                        true => names.texts[part as usize].clone().into(),
                        false => part.into(),
                    })
                    .collect();
                values.push(count.into());
                if b.sums_value {
                    values.push(cents.into());
                }
                insert.execute(rusqlite::params_from_iter(values))?;
            }
        }
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

    /// Statements are cached on the connection: an import of many cards prepares each once.
    /// Returns the events written (those already there are kept as they are).
    fn import_records<'r>(&self, id: &str, records: &'r Records) -> Result<Vec<Written<'r>>> {
        let mut written = Vec::with_capacity(records.history.len());
        if !records.history.is_empty() {
            let mut insert = self.prepare_cached(
                "INSERT INTO stage_events (id, opportunity_id, at, kind, from_stage, to_stage,
                    evidence_confirmed, note, updated_at, updated_by, hlc)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (id) DO NOTHING",
            )?;
            for e in &records.history {
                let at = e.at.format(super::STAMP).to_string();
                let added = insert.execute(params![
                    e.id,
                    CardKey(id),
                    at,
                    e.kind.key(),
                    e.from_stage,
                    e.to_stage,
                    e.evidence_confirmed,
                    e.note,
                    self.stamp,
                    self.actor,
                    self.hlc
                ])?;
                if added > 0 {
                    written.push(Written {
                        at,
                        id: &e.id,
                        kind: e.kind,
                        to_stage: e.to_stage,
                    });
                }
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
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::OpportunityFields;

    /// While another thread counts a bulk load's new cards as cards without records, a card
    /// with records (whose history is counted as it is written) is refused, not miscounted.
    #[test]
    fn a_card_with_records_is_refused_while_new_cards_are_counted_apart() {
        let (mut store, funnel) = super::super::tests::setup();
        let card = || {
            let fields = OpportunityFields {
                title: "A".into(),
                ..Default::default()
            };
            let id = super::super::new_id();
            let opportunity = Opportunity::open(
                id,
                funnel.id.clone(),
                fields,
                Stage::CommitsToInvest,
                store.today(),
            );
            Imported {
                opportunity,
                records: Some(Records::default()),
            }
        };
        let with_records = card().checked(&funnel).unwrap();
        let result = store.import_with(&funnel, false, None, |importer| {
            let mut apart = importer.sum_apart().expect("a bulk load keeps counts");
            assert!(apart.add(&with_records).is_err());
            let refused = importer.add(&with_records);
            importer.sums_back(apart);
            refused
        });
        let err = result.unwrap_err().to_string();
        assert!(err.contains("counted as it is written"), "{err}");
        assert!(store.is_empty().unwrap(), "nothing kept");
    }

    /// A bulk import writes with foreign keys off: the check before it commits is what refuses
    /// a row that refers to nothing (every row it writes refers to rows it wrote before).
    #[test]
    fn with_foreign_keys_off_a_row_that_refers_to_nothing_is_refused() {
        let (mut store, _) = super::super::tests::setup();
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
