//! Undo and redo of the session's changes. Each change remembers the card before and after;
//! undoing writes the "before" back through the store (so it is saved like any other change,
//! with the version check), withdraws the history event the change appended, and redo does the
//! opposite.
//!
//! The other changes (checklist answers, evidence confirmed on its own, people, targets,
//! settled conflicts, one-to-one notes) are not recorded: each is a barrier instead. Undoing an
//! older change past one of them would leave it standing on a card state it was never made on
//! (the answers of a stage the card is moved back out of), so a barrier forgets everything
//! before it and keeps why, for `u` to say.

use std::collections::HashMap;

use crate::domain::{Opportunity, Stage};
use crate::store::{EventStep, EvidenceStep, Result, Rewind, Store};

/// One change made on the board.
#[derive(Debug, Clone)]
pub struct Change {
    pub id: String,
    /// What the user sees in the notice ("Moved to…").
    pub label: String,
    /// `None`: the change created the card.
    pub before: Option<Opportunity>,
    /// `None`: the change deleted the card.
    pub after: Option<Opportunity>,
    /// The change appended one event to the stage history.
    pub appended_event: bool,
    /// Evidence the change confirmed on the way (stage, note).
    pub evidence: Option<(Stage, String)>,
    /// The card's version in the database now.
    pub version: i64,
    /// The event withdrawn by the last undo (put back by redo).
    retracted: Option<String>,
}

impl Change {
    pub fn new(label: String, before: Option<Opportunity>, after: Option<Opportunity>) -> Change {
        let card = after
            .as_ref()
            .or(before.as_ref())
            .expect("a change has a card");
        let version = after.as_ref().map_or(card.version + 1, |a| a.version);
        Change {
            id: card.id.clone(),
            label,
            before,
            after,
            appended_event: false,
            evidence: None,
            version,
            retracted: None,
        }
    }

    pub fn with_event(mut self) -> Change {
        self.appended_event = true;
        self
    }

    pub fn with_evidence(mut self, stage: Stage, note: String) -> Change {
        self.evidence = Some((stage, note));
        self
    }
}

#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Change>,
    redo: Vec<Change>,
    /// The version of each card this session last wrote. Undoing a later change writes the card
    /// again, so an earlier change must expect that version, not the one it recorded: only a
    /// change made elsewhere is a conflict.
    versions: HashMap<String, i64>,
    /// Why nothing older can be undone: the last change made that is not recorded.
    barrier: Option<String>,
}

impl History {
    /// Records a new change; it forgets what could be redone.
    pub fn push(&mut self, change: Change) {
        self.versions.insert(change.id.clone(), change.version);
        self.undo.push(change);
        self.redo.clear();
    }

    /// A change that cannot be undone was made: nothing before it can be undone or redone.
    pub fn barrier(&mut self, why: String) {
        *self = History {
            barrier: Some(why),
            ..History::default()
        };
    }

    /// Why nothing can be undone (or redone): the last barrier, once every change recorded
    /// since it is undone.
    pub fn barrier_reason(&self) -> Option<&str> {
        self.barrier.as_deref().filter(|_| self.undo.is_empty())
    }

    /// Nothing to undo or redo: the session's start, or a barrier with nothing recorded since.
    pub fn is_empty(&self) -> bool {
        self.undo.is_empty() && self.redo.is_empty()
    }

    /// Undoes the newest change; returns its label.
    pub fn undo(&mut self, store: &mut Store) -> Option<Result<String>> {
        let change = self.undo.pop()?;
        Some(self.apply(store, change, revert, true))
    }

    pub fn redo(&mut self, store: &mut Store) -> Option<Result<String>> {
        let change = self.redo.pop()?;
        Some(self.apply(store, change, replay, false))
    }

    /// Reverts or replays a change from the card's latest version, then files it on the other
    /// stack. A change that fails (changed elsewhere) is dropped.
    fn apply(
        &mut self,
        store: &mut Store,
        mut change: Change,
        how: fn(&mut Store, &mut Change) -> Result<()>,
        undoing: bool,
    ) -> Result<String> {
        if let Some(version) = self.versions.get(&change.id) {
            change.version = *version;
        }
        how(store, &mut change)?;
        self.versions.insert(change.id.clone(), change.version);
        let label = change.label.clone();
        if undoing {
            self.redo.push(change);
        } else {
            self.undo.push(change);
        }
        Ok(label)
    }
}

fn revert(store: &mut Store, change: &mut Change) -> Result<()> {
    let step = Rewind {
        id: &change.id,
        version: change.version,
        card: change.before.as_ref(),
        event: if change.appended_event {
            EventStep::RetractLast
        } else {
            EventStep::Keep
        },
        evidence: match &change.evidence {
            Some((stage, _)) => EvidenceStep::Withdraw(*stage),
            None => EvidenceStep::Keep,
        },
    };
    let (version, retracted) = store.rewind(&step)?;
    change.version = version;
    change.retracted = retracted;
    Ok(())
}

fn replay(store: &mut Store, change: &mut Change) -> Result<()> {
    let step = Rewind {
        id: &change.id,
        version: change.version,
        card: change.after.as_ref(),
        event: match &change.retracted {
            Some(event) => EventStep::Restore(event),
            None => EventStep::Keep,
        },
        evidence: match &change.evidence {
            Some((stage, note)) => EvidenceStep::Confirm(*stage, note),
            None => EvidenceStep::Keep,
        },
    };
    change.version = store.rewind(&step)?.0;
    change.retracted = None;
    Ok(())
}
