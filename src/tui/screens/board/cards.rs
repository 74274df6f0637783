//! Changes to a card, made from the board, the card detail or the agenda: moving it (asking for
//! the evidence first), marking it won or lost, reopening, adding, editing and deleting it,
//! setting its next step, marking that done and logging an activity. Each change is saved
//! through the store, kept for undo (or marked as what undo stops at), and said on the status
//! line.

use super::Board;
use crate::domain::{Opportunity, Stage, Status};
use crate::store::{MoveOutcome, NewOpportunity, Result};
use crate::tui::action::Action;
use crate::tui::app::{App, CardRef, quoted};
use crate::tui::keymap::Table;
use crate::tui::overlays::{
    ActivityForm, Entered, FormKind, FormValue, MissingEvidence, NextStepPrompt, Overlay, Prompt,
    Reply,
};
use crate::tui::screens::Effects;
use crate::tui::texts;
use crate::tui::undo::Change;

/// A saved card's dates that the store keeps but that disagree (see `DateConflict`): the
/// change (`label`) is said with them, so the user looks again.
fn dates_to_check(app: &App, saved: &Opportunity, label: &str) -> Option<String> {
    let conflicts = saved.date_conflicts(app.store.today());
    let words: Vec<&str> = conflicts.iter().map(|c| c.say(app.lang)).collect();
    (!words.is_empty()).then(|| texts::check_the_dates(app.lang, label, &words.join("; ")))
}

/// A key about the selected card, where there is none (an empty column).
pub fn no_card(app: &mut App) {
    let key = app.keys.key_for(Table::Board, &Action::NewCard);
    app.notify(texts::no_card_here(app.lang, &key));
}

/// A key that changes an open card, on a closed one.
pub fn closed_card(app: &mut App) {
    let key = app.keys.key_for(Table::Board, &Action::Reopen);
    app.notify(texts::card_closed(app.lang, &key));
}

/// Reopens a won or lost card.
pub fn reopen(app: &mut App, fx: &mut Effects, before: Opportunity) -> Result<()> {
    let after = app.store.reopen(&before.id, Some(before.version))?;
    let label = texts::reopened(app.lang, &quoted(&after.fields.title));
    app.remember(Change::new(label, Some(before), Some(after)).with_event());
    fx.refresh();
    Ok(())
}

/// The seller's day on an open card, from the board or the agenda: set or reschedule its next
/// step, mark that done (then ask for the following one), or log an activity.
pub fn day_key(app: &mut App, fx: &mut Effects, action: &Action, opp: &Opportunity) -> Result<()> {
    if opp.status != Status::Open {
        closed_card(app);
        return Ok(());
    }
    match action {
        Action::NextStepDone if has_next_step(opp) => {
            let (after, _) = app
                .store
                .next_step_done(&opp.id, Some(opp.version), app.today)?;
            app.cannot_undo(texts::step_done_barrier);
            app.notify(texts::step_done_logged(
                app.lang,
                &quoted(&opp.fields.title),
            ));
            let done = opp.fields.next_step.clone();
            let prompt = NextStepPrompt::following(CardRef::of(&after), done);
            fx.overlay(Overlay::NextStep(Box::new(prompt)));
            fx.refresh();
        }
        Action::NextStepDone => {
            app.notify(texts::no_step_to_mark_done(
                app.lang,
                &quoted(&opp.fields.title),
            ));
            fx.overlay(Overlay::NextStep(Box::new(NextStepPrompt::edit(opp))));
        }
        Action::SetNextStep => fx.overlay(Overlay::NextStep(Box::new(NextStepPrompt::edit(opp)))),
        Action::LogActivity => {
            let people = app.store.people(&opp.id)?;
            let names = people.into_iter().map(|p| p.name).collect();
            let form = ActivityForm::new(CardRef::of(opp), names);
            fx.overlay(Overlay::Activity(Box::new(form)));
        }
        _ => {}
    }
    Ok(())
}

/// Whether the card has a next step to mark done (its text, or at least its day).
fn has_next_step(opp: &Opportunity) -> bool {
    !opp.fields.next_step.trim().is_empty() || opp.fields.next_step_due.is_some()
}

impl Board {
    /// `L` / `H`: one stage forward (asking for the evidence first when it is missing) or back.
    pub(super) fn move_selected(
        &mut self,
        app: &mut App,
        fx: &mut Effects,
        forward: bool,
    ) -> Result<()> {
        let Some(card) = self.selected_card() else {
            no_card(app);
            return Ok(());
        };
        let opp = card.opportunity.clone();
        if opp.status != Status::Open {
            closed_card(app);
            return Ok(());
        }
        let to = if forward {
            opp.stage.next()
        } else {
            opp.stage.previous()
        };
        let Some(to) = to else {
            app.notify(texts::no_stage_that_way(app.lang));
            return Ok(());
        };
        self.move_card(
            app,
            fx,
            CardRef::of(&opp),
            (opp.stage, to),
            false,
            None,
            true,
        )
    }

    /// Moves a card from one stage to another; `evidence`: a confirmation made just before,
    /// undone with the move; `from_board`: the selection follows the card into its new column.
    #[allow(clippy::too_many_arguments)]
    pub fn move_card(
        &mut self,
        app: &mut App,
        fx: &mut Effects,
        card: CardRef,
        (from, to): (Stage, Stage),
        force: bool,
        evidence: Option<(Stage, String)>,
        from_board: bool,
    ) -> Result<()> {
        let before = app.store.opportunity(&card.id)?;
        match app
            .store
            .move_stage(&card.id, Some(card.version), to, force)?
        {
            MoveOutcome::Moved(after) => {
                let label = if force {
                    texts::moved_unverified(app.lang, app.stage_name(to))
                } else {
                    texts::moved_to(app.lang, app.stage_name(to))
                };
                if from_board {
                    // Only the two columns the card left and joined changed.
                    app.refresh_summary()?;
                    self.select_card(app, &after)?;
                    self.card_moved(app, &before, &after)?;
                } else {
                    fx.refresh();
                }
                let mut change = Change::new(label, Some(before), Some(*after)).with_event();
                if let Some((stage, note)) = evidence {
                    change = change.with_evidence(stage, note);
                }
                app.remember(change);
            }
            MoveOutcome::NeedsEvidence(_) => {
                fx.overlay(Overlay::MissingEvidence(MissingEvidence { card, from, to }));
            }
        }
        Ok(())
    }

    /// An overlay's answer about a card: its evidence, won date, lost reason, fields, deletion.
    pub(super) fn card_reply(
        &mut self,
        app: &mut App,
        fx: &mut Effects,
        reply: Reply,
        from_board: bool,
    ) -> Result<()> {
        match reply {
            Reply::ForceMove { card, from, to } => {
                self.move_card(app, fx, card, (from, to), true, None, from_board)?;
            }
            Reply::Text {
                prompt: Prompt::LostReason(card),
                value,
            } => {
                let before = app.store.opportunity(&card.id)?;
                let after =
                    app.store
                        .mark_lost(&card.id, Some(card.version), &value.text(), app.today)?;
                let label = texts::marked_lost(app.lang, &quoted(&card.title));
                app.remember(Change::new(label, Some(before), Some(after)).with_event());
                fx.refresh();
            }
            Reply::Text {
                prompt: Prompt::WonDate(card),
                value: Entered::Date(date),
            } => {
                let before = app.store.opportunity(&card.id)?;
                let date = date.unwrap_or(app.today);
                let after = app.store.mark_won(&card.id, Some(card.version), date)?;
                let label = texts::marked_won(app.lang, &quoted(&card.title));
                app.remember(Change::new(label, Some(before), Some(after)).with_event());
                fx.refresh();
            }
            Reply::Text {
                prompt: Prompt::EvidenceNote { card, stage, to },
                value,
            } => {
                let note = value.text();
                app.store
                    .confirm_evidence(&card.id, stage, app.today, &note)?;
                match to {
                    Some(to) => {
                        let current = app.store.opportunity(&card.id)?;
                        let card = CardRef::of(&current);
                        let evidence = Some((stage, note));
                        self.move_card(app, fx, card, (stage, to), false, evidence, from_board)?;
                    }
                    None => {
                        app.cannot_undo(texts::confirming_evidence_barrier);
                        app.notify(texts::evidence_confirmed(app.lang));
                        fx.refresh();
                    }
                }
            }
            Reply::NextStep { card, step } => {
                let before = app.store.opportunity(&card.id)?;
                let after = app.store.set_next_step(
                    &card.id,
                    Some(card.version),
                    &step.text,
                    Some(step.due),
                    step.at,
                )?;
                let when = crate::tui::overlays::when_text(step.due, step.at);
                let label = texts::next_step_set(app.lang, &quoted(&card.title), &when);
                app.remember(Change::new(label, Some(before), Some(after)));
                fx.refresh();
            }
            Reply::Activity { card, activity } => {
                app.store.log_activity(&card.id, &activity)?;
                app.cannot_undo(texts::logging_barrier);
                let kind = texts::activity_kind(app.lang, activity.kind);
                app.notify(texts::activity_logged(app.lang, kind, &quoted(&card.title)));
                fx.refresh();
            }
            Reply::DeleteCard(card) => {
                let before = app.store.opportunity(&card.id)?;
                app.store.delete(&card.id, Some(card.version))?;
                let label = texts::deleted(app.lang, &quoted(&card.title));
                app.remember(Change::new(label, Some(before), None));
                fx.refresh();
            }
            Reply::Form { kind, value } => match (kind, *value) {
                (FormKind::NewCard { stage }, FormValue::Card(fields)) => {
                    let new = NewOpportunity {
                        fields,
                        stage: Some(stage),
                    };
                    let after = app.store.add_opportunity(&app.funnel, new)?;
                    let label = texts::added(app.lang, &quoted(&after.fields.title));
                    self.select_card(app, &after)?;
                    let said = dates_to_check(app, &after, &label);
                    app.remember(Change::new(label, None, Some(after)));
                    if let Some(said) = said {
                        app.warn(said);
                    }
                    fx.refresh();
                }
                (FormKind::EditCard { id, version }, FormValue::Card(fields)) => {
                    let before = app.store.opportunity(&id)?;
                    let after = app.store.update_fields(&id, version, fields)?;
                    let label = texts::saved(app.lang, &quoted(&after.fields.title));
                    let said = dates_to_check(app, &after, &label);
                    app.remember(Change::new(label, Some(before), Some(after)));
                    if let Some(said) = said {
                        app.warn(said);
                    }
                    fx.refresh();
                }
                _ => {}
            },
            // The others are answered by the screen that asked (detail, one-to-one).
            _ => {}
        }
        Ok(())
    }
}
