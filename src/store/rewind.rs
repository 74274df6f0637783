//! Undo and redo of the board's own changes: each step written back in one transaction (the
//! card to a snapshot or deleted again, a history event withdrawn or put back, evidence
//! withdrawn or confirmed again), refused as a conflict if another writer changed the card.

use rusqlite::{OptionalExtension, params};

use super::card_key::CardKey;
use super::{Result, Store};
use crate::domain::{Opportunity, Stage};

/// Undo and redo of the board's own changes.
impl Store {
    /// Writes one undo or redo step in one transaction, so a crash never leaves half of it:
    /// the card back to a snapshot (or deleted again), a history event withdrawn or put back,
    /// and evidence withdrawn or confirmed again. Returns the card's new version and the id of
    /// the event withdrawn, if any.
    pub fn rewind(&mut self, step: &Rewind) -> Result<(i64, Option<String>)> {
        self.write(|tx| {
            let version = match step.card {
                Some(snapshot) => {
                    tx.execute(
                        "UPDATE opportunities SET deleted_at = NULL WHERE id = ?1 AND version = ?2",
                        params![CardKey(step.id), step.version],
                    )?;
                    let current = tx.load_at(step.id, Some(step.version))?;
                    let mut opp = Opportunity {
                        version: current.version,
                        updated_at: current.updated_at,
                        updated_by: current.updated_by,
                        ..snapshot.clone()
                    };
                    tx.save(&mut opp)?;
                    opp.version
                }
                None => {
                    tx.soft_delete(step.id, Some(step.version))?;
                    step.version + 1
                }
            };
            let mut retracted = None;
            match step.event {
                EventStep::Keep => {}
                EventStep::RetractLast => {
                    retracted = tx
                        .query_row(
                            "SELECT id FROM stage_events WHERE opportunity_id = ?1 AND deleted_at IS NULL
                             ORDER BY at DESC, id DESC LIMIT 1",
                            [CardKey(step.id)],
                            |r| r.get::<_, String>(0),
                        )
                        .optional()?;
                    if let Some(event) = &retracted {
                        tx.execute(
                            "UPDATE stage_events SET deleted_at = ?2, updated_at = ?2, updated_by = ?3 WHERE id = ?1",
                            params![event, tx.stamp, tx.actor],
                        )?;
                    }
                }
                EventStep::Restore(event) => {
                    tx.execute(
                        "UPDATE stage_events SET deleted_at = NULL, updated_at = ?2, updated_by = ?3 WHERE id = ?1",
                        params![event, tx.stamp, tx.actor],
                    )?;
                }
            }
            match step.evidence {
                EvidenceStep::Keep => {}
                EvidenceStep::Withdraw(stage) => {
                    tx.execute(
                        "UPDATE evidence SET deleted_at = ?3, updated_at = ?3, updated_by = ?4
                         WHERE opportunity_id = ?1 AND stage = ?2 AND deleted_at IS NULL",
                        params![CardKey(step.id), stage, tx.stamp, tx.actor],
                    )?;
                }
                EvidenceStep::Confirm(stage, note) => {
                    let evidence = crate::domain::Evidence {
                        stage,
                        confirmed_on: tx.today,
                        note: note.to_owned(),
                    };
                    tx.upsert_evidence(step.id, &evidence)?;
                }
            }
            Ok((version, retracted))
        })
    }
}

/// One undo or redo step (see [`Store::rewind`]).
#[derive(Debug, Clone, Copy)]
pub struct Rewind<'a> {
    pub id: &'a str,
    /// The version the session last wrote: another writer's change since is a conflict.
    pub version: i64,
    /// The card to write back; `None`: delete it.
    pub card: Option<&'a Opportunity>,
    pub event: EventStep<'a>,
    pub evidence: EvidenceStep<'a>,
}

#[derive(Debug, Clone, Copy)]
pub enum EventStep<'a> {
    Keep,
    RetractLast,
    Restore(&'a str),
}

#[derive(Debug, Clone, Copy)]
pub enum EvidenceStep<'a> {
    Keep,
    Withdraw(Stage),
    Confirm(Stage, &'a str),
}
