//! Writing many opportunities at once (imports): one transaction, all or nothing.
//!
//! An imported row whose id already exists updates that opportunity, so re-importing a file
//! never duplicates. Rows that bring their history, evidence, answers and people (JSON) have
//! them merged by id: history is append-only, so events already present are kept as they are.

use rusqlite::{Statement, params};

use super::card_key::CardKey;
use super::opportunities::{INSERT_EVENT, insert_card, period_in};
use super::records::Records;
use super::sums::{LoadSums, Summed, Written};
use super::{Funnel, Refusal, Result, Store, StoreError, Tx};
use crate::domain::{EventKind, Opportunity};

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
        super::validate_fields(&mut opp.fields).map_err(|refusal| Refusal::Card {
            id: opp.id.clone(),
            refusal: Box::new(refusal),
        })?;
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
                    hlc: bulk.as_ref().map_or("", |b| b.hlc()),
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
                        // Checked while the cards' pages are still in the cache (0.1 s less at
                        // a million cards than after the indexes are built); what follows
                        // writes no table with a foreign key.
                        (tx.unstage_cards())
                            .and_then(|()| tx.check_references())
                            .and_then(|()| {
                                tx.restore_derived(bulk, Summed::Imported(&funnel.id, sums))
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
                    Some(records) => self.tx.import_records(opp, records)?,
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
            self.tx.import_records(&item.opportunity, records)?;
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
    Refusal::CountedAsWritten(opp.id.clone()).into()
}

/// The key the cards of `funnel` hold.
fn funnel_key(conn: &rusqlite::Connection, funnel: &Funnel) -> Result<i64> {
    let sql = "SELECT key FROM funnels WHERE id = ?1";
    Ok(conn.query_row(sql, [&funnel.id], |r| r.get(0))?)
}

impl Tx<'_> {
    /// Statements are cached on the connection: an import of many cards prepares each once.
    /// Returns the events written (those already there are kept as they are), each with the
    /// card's owner and team as imported (a bulk load's card is staged apart, where the
    /// schema's trigger would not find them).
    fn import_records<'r>(
        &self,
        opp: &Opportunity,
        records: &'r Records,
    ) -> Result<Vec<Written<'r>>> {
        let id = opp.id.as_str();
        let mut written = Vec::with_capacity(records.history.len());
        if !records.history.is_empty() {
            let mut insert = self.prepare_cached(
                "INSERT INTO stage_events (id, opportunity_id, at, kind, from_stage, to_stage,
                    evidence_confirmed, note, updated_at, updated_by, hlc, card_owner, card_team)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
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
                    e.by.as_deref().unwrap_or(self.actor),
                    self.hlc,
                    opp.fields.owner,
                    opp.fields.team
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
        for a in &records.activities {
            self.insert_activity(id, a)?;
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{OpportunityFields, Stage};

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
}
