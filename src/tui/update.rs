//! The one path by which the board changes: a key becomes an [`Action`] through the mode's
//! key table, and [`App::update`] applies it, calling the store for every change.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;

use super::action::Action;
use super::app::{App, CardRef, Detail, Mode, Prompt};
use super::background::Outcome;
use super::form::{Form, FormKind, FormValue};
use super::input::Input;
use super::keymap::{self, Binding};
use super::undo::Change;
use crate::domain::{Answer, Lang, Person, Stage, Status};
use crate::store::{MoveOutcome, NewOpportunity, StoreError};

/// Boards with up to this many cards on screen filter live as the text is typed.
const LIVE_FILTER_UP_TO: i64 = 20_000;

/// A person added, edited or removed, for the notice of `u` (see [`App::cannot_undo`]).
const BUYING_CENTRE: (&str, &str) = (
    "a change to the buying centre",
    "une modification du centre d'achat",
);

/// Picks the English or French text.
pub fn tr(lang: Lang, en: &str, fr: &str) -> String {
    match lang {
        Lang::En => en.to_owned(),
        Lang::Fr => fr.to_owned(),
    }
}

/// Columns of a card's title a notice quotes: the status line is one row, and the notice's own
/// words (what was done, the undo key) must show after it.
const QUOTED_TITLE: usize = 40;

/// A card's title in quotes, for a notice, cut with '…'.
pub fn quoted(title: &str) -> String {
    format!("\"{}\"", crate::domain::text::truncate(title, QUOTED_TITLE))
}

impl App<'_> {
    /// The key table of the current mode (dispatch, hints and help all read it).
    pub fn bindings(&self) -> &'static [Binding] {
        match &self.mode {
            Mode::Board => keymap::BOARD,
            Mode::Help { .. } => keymap::HELP,
            Mode::EvidencePrompt { .. } => keymap::EVIDENCE_PROMPT,
            Mode::Text { .. } => keymap::TEXT_INPUT,
            Mode::ConfirmDelete { .. } => keymap::CONFIRM,
            Mode::Form { .. } => keymap::FORM,
            Mode::OwnerPicker { .. } => keymap::PICKER,
            Mode::Conflicts { .. } => keymap::CONFLICTS,
            Mode::Detail => keymap::DETAIL,
            Mode::Dashboard => keymap::DASHBOARD,
            Mode::SellerPicker { .. } => keymap::PICKER,
            Mode::OneToOne => keymap::ONE_TO_ONE,
        }
    }

    /// Handles one key press. Keys of the mode's table become actions; in text fields, the
    /// other keys edit the text.
    pub fn handle_key(&mut self, key: &KeyEvent) {
        if let Some(action) = keymap::lookup(self.bindings(), key) {
            // A notice answers the key before: the next one replaces it or clears it, so an
            // old message is never read as the answer to a new key.
            self.notice = None;
            self.update(action);
            return;
        }
        let edited = match &mut self.mode {
            Mode::Text { input, .. } => input.handle(key),
            Mode::Form { form, .. } => form.focused().handle(key),
            _ => false,
        };
        if edited
            && matches!(
                &self.mode,
                Mode::Text {
                    prompt: Prompt::Filter,
                    ..
                }
            )
        {
            self.apply_filter_text();
        }
    }

    /// Pasted text goes to the field being edited, cleaned.
    pub fn paste(&mut self, text: &str) {
        match &mut self.mode {
            Mode::Text { input, .. } => input.insert(text),
            Mode::Form { form, .. } => form.focused().insert(text),
            _ => return,
        }
        if matches!(
            &self.mode,
            Mode::Text {
                prompt: Prompt::Filter,
                ..
            }
        ) {
            self.apply_filter_text();
        }
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.width = width;
        self.height = height;
        self.reload();
    }

    /// Applies an action. Store errors become a message on the status line; a card changed by
    /// someone else is reloaded and the user told.
    pub fn update(&mut self, action: Action) {
        // A sync ends whatever the user is doing (typing in a form included).
        let result = match action {
            Action::SyncFinished => self.on_sync_finished(),
            Action::FiguresReady => self.on_figures_ready(),
            _ => self.apply(action),
        };
        if let Err(e) = result {
            let conflict = matches!(e, StoreError::Conflict);
            self.warn_store(&e);
            if conflict {
                self.mode = Mode::Board;
            }
            if let Err(e) = self.refresh() {
                self.warn_store(&e);
            }
        }
    }

    /// Background figures arrived: they go through [`Action::FiguresReady`], like a key.
    pub fn figures_ready(&mut self, result: Result<crate::insight::Insight, String>) {
        if let Some(status) = &mut self.figures {
            status.inbox = Some(result);
            self.update(Action::FiguresReady);
        }
    }

    fn on_figures_ready(&mut self) -> crate::store::Result<()> {
        let Some(status) = &mut self.figures else {
            return Ok(());
        };
        status.running = false;
        match status.inbox.take() {
            Some(Ok(insight)) => {
                self.insight = Some(insight);
                // Changes made while they were computed want newer ones.
                let outdated = self.figures_outdated();
                if let Some(status) = &mut self.figures {
                    status.wanted |= outdated;
                }
                self.remember_snapshot()
            }
            Some(Err(e)) => {
                self.warn(e);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// A background sync ended: its result goes through [`Action::SyncFinished`], like a key.
    pub fn sync_finished(&mut self, outcome: Outcome) {
        if let Some(status) = &mut self.sync {
            status.inbox = Some(outcome);
            self.update(Action::SyncFinished);
        }
    }

    fn on_sync_finished(&mut self) -> crate::store::Result<()> {
        let now = self.store.now();
        let Some(status) = &mut self.sync else {
            return Ok(());
        };
        let Some(outcome) = status.inbox.take() else {
            return Ok(());
        };
        status.running = false;
        status.now = now;
        let mut changed = false;
        match &outcome {
            Outcome::Synced {
                pulled, conflicts, ..
            } => {
                status.last_synced = Some(now);
                changed = *pulled > 0 || *conflicts > 0;
                if *conflicts > 0 {
                    let (one, many) = match self.lang {
                        Lang::En => ("conflict", "conflicts"),
                        Lang::Fr => ("conflit gardé", "conflits gardés"),
                    };
                    let count = i64::try_from(*conflicts).unwrap_or(i64::MAX);
                    let text = format!(
                        "{} {}",
                        crate::i18n::count(count, one, many, self.lang),
                        tr(
                            self.lang,
                            "kept by the sync (see `funnel conflicts`)",
                            "par la synchro (voir `funnel conflicts`)"
                        )
                    );
                    self.warn(text);
                }
            }
            Outcome::Offline(_) => {}
            Outcome::Failed(why) => {
                let text = format!(
                    "{}{why}",
                    tr(self.lang, "Sync failed: ", "Échec de la synchro : ")
                );
                self.warn(text);
            }
        }
        if let Some(status) = &mut self.sync {
            status.last = Some(outcome);
        }
        // A funnel takes the hub's id for its name on its first sync: follow it.
        if let Some(funnel) = self.store.funnel_by_name(&self.funnel.name)?
            && funnel.id != self.funnel.id
        {
            self.funnel = funnel;
            changed = true;
        }
        // Cards pulled from the hub show at once; otherwise only the counts may have changed.
        if changed {
            self.today = self.store.today();
            self.refresh()?;
        } else {
            self.count_pending();
        }
        Ok(())
    }

    fn reload(&mut self) {
        if let Err(e) = self.refresh() {
            self.warn_store(&e);
        }
    }

    fn apply(&mut self, action: Action) -> crate::store::Result<()> {
        let mode = std::mem::replace(&mut self.mode, Mode::Board);
        match mode {
            Mode::Board => self.on_board(action),
            Mode::Detail => {
                self.mode = Mode::Detail;
                self.on_detail(action)
            }
            Mode::Dashboard => self.on_dashboard(action),
            Mode::OneToOne => {
                self.mode = Mode::OneToOne;
                self.on_one_to_one(action)
            }
            Mode::SellerPicker { owners, selected } => {
                match action {
                    Action::Up | Action::Down => {
                        let selected = step(selected, owners.len(), action == Action::Up);
                        self.mode = Mode::SellerPicker { owners, selected };
                    }
                    Action::Accept => {
                        if let Some(owner) = owners.get(selected) {
                            self.start_one_to_one(owner)?;
                        }
                    }
                    _ => {}
                }
                Ok(())
            }
            Mode::Help { back } => {
                self.mode = if action == Action::Cancel {
                    *back
                } else {
                    Mode::Help { back }
                };
                Ok(())
            }
            Mode::EvidencePrompt { card, from, to } => {
                self.on_evidence_prompt(action, card, from, to)
            }
            Mode::ConfirmDelete { card } => {
                if action == Action::Accept {
                    let before = self.store.opportunity(&card.id)?;
                    self.store.delete(&card.id, Some(card.version))?;
                    let label = self.label("Deleted", "Supprimée", &card.title);
                    self.record(Change::new(label, Some(before), None))?;
                }
                Ok(())
            }
            Mode::Text {
                prompt,
                input,
                back,
            } => self.on_text(action, prompt, input, back),
            Mode::Form { form, back } => self.on_form(action, form, back),
            Mode::Conflicts { list, selected } => self.on_conflicts(action, list, selected),
            Mode::OwnerPicker { owners, selected } => {
                match action {
                    Action::Up | Action::Down => {
                        let selected = step(selected, owners.len(), action == Action::Up);
                        self.mode = Mode::OwnerPicker { owners, selected };
                    }
                    Action::Accept => {
                        self.filter.owner = owners.get(selected).cloned();
                        self.refresh()?;
                    }
                    _ => {}
                }
                Ok(())
            }
        }
    }

    fn column_len(&self) -> usize {
        usize::try_from(self.columns[self.focus].count).unwrap_or(0)
    }

    fn select(&mut self, index: usize) -> crate::store::Result<()> {
        let last = self.column_len().saturating_sub(1);
        self.columns[self.focus].selected = index.min(last);
        self.scroll_to_selection(self.focus)
    }

    /// `Verb "title"`, in the interface's language.
    fn label(&self, en: &str, fr: &str, title: &str) -> String {
        format!("{} {}", tr(self.lang, en, fr), quoted(title))
    }

    /// A change was made: say so (with the undo key), keep it for undo, redraw from the store.
    fn record(&mut self, change: Change) -> crate::store::Result<()> {
        self.remember(change);
        self.refresh()
    }

    /// `record` without the full refresh, for a change whose caller reloaded what it touched.
    fn remember(&mut self, change: Change) {
        self.notify(format!(
            "{} (u: {})",
            change.label,
            tr(self.lang, "undo", "annuler")
        ));
        self.history.push(change);
    }

    /// A change undo does not record was saved (`what` it was, in English and French): nothing
    /// before it can be undone any more, and `u` says why.
    pub(super) fn cannot_undo(&mut self, what: (&str, &str)) {
        let why = format!(
            "{} {}",
            tr(self.lang, what.0, what.1),
            tr(self.lang, "cannot be undone", "ne s'annule pas")
        );
        self.history.barrier(why);
    }

    /// `u` / `Ctrl-r`, on the board and in the card detail.
    fn undo_or_redo(&mut self, undo: bool) -> crate::store::Result<()> {
        let done = if undo {
            self.history.undo(self.store)
        } else {
            self.history.redo(self.store)
        };
        match done {
            Some(Ok(label)) => {
                let verb = if undo {
                    tr(self.lang, "Undone", "Annulé")
                } else {
                    tr(self.lang, "Redone", "Rétabli")
                };
                self.notify(format!("{verb}{}{label}", tr(self.lang, ": ", " : ")));
            }
            Some(Err(e)) => self.warn_store(&e),
            None => {
                let nothing = if undo {
                    tr(self.lang, "Nothing to undo", "Rien à annuler")
                } else {
                    tr(self.lang, "Nothing to redo", "Rien à rétablir")
                };
                let text = match self.history.barrier_reason() {
                    Some(why) => format!("{nothing}{}{why}", tr(self.lang, ": ", " : ")),
                    None => nothing,
                };
                self.notify(text);
            }
        }
        self.refresh()
    }

    /// The conflicts list: move, or settle the selected one with either version.
    fn on_conflicts(
        &mut self,
        action: Action,
        list: Vec<crate::store::Conflict>,
        selected: usize,
    ) -> crate::store::Result<()> {
        let keep = match action {
            Action::Up | Action::Down => {
                let selected = step(selected, list.len(), action == Action::Up);
                self.mode = Mode::Conflicts { list, selected };
                return Ok(());
            }
            Action::KeepMine => crate::store::Keep::Mine,
            Action::TakeTheirs => crate::store::Keep::Theirs,
            Action::Cancel => return Ok(()),
            _ => {
                self.mode = Mode::Conflicts { list, selected };
                return Ok(());
            }
        };
        let Some(conflict) = list.get(selected) else {
            return Ok(());
        };
        let resolved = self.store.resolve_conflict(&conflict.id, keep)?;
        self.cannot_undo(("settling a sync conflict", "régler un conflit de synchro"));
        self.notify(format!(
            "{} {} ({})",
            tr(self.lang, "Conflict settled:", "Conflit réglé :"),
            quoted(&resolved.title),
            tr(
                self.lang,
                "pushed on the next sync",
                "envoyé à la prochaine synchro"
            )
        ));
        let list = self.store.conflicts()?;
        if !list.is_empty() {
            let selected = selected.min(list.len() - 1);
            self.mode = Mode::Conflicts { list, selected };
        }
        self.refresh()
    }

    /// Opens a list of the funnel's sellers (the one shown, first selected) in the given mode.
    fn pick_seller(&mut self, mode: fn(Vec<String>, usize) -> Mode) -> crate::store::Result<()> {
        let owners = self.store.owners(&self.funnel)?;
        if owners.is_empty() {
            self.notify(tr(
                self.lang,
                "No owners yet",
                "Aucun vendeur pour l'instant",
            ));
        } else {
            let selected = self
                .filter
                .owner
                .as_ref()
                .and_then(|o| owners.iter().position(|x| x == o))
                .unwrap_or(0);
            self.mode = mode(owners, selected);
        }
        Ok(())
    }

    /// Focuses the column of a card and selects it there.
    pub(super) fn select_card(
        &mut self,
        opp: &crate::domain::Opportunity,
    ) -> crate::store::Result<()> {
        self.focus = opp.stage.index();
        self.follow_focus();
        self.columns[self.focus].selected =
            self.store.rank_in_column(&self.funnel, opp, &self.filter)?;
        Ok(())
    }

    pub(super) fn on_board(&mut self, action: Action) -> crate::store::Result<()> {
        let selected = self.columns[self.focus].selected;
        let page = self.page_size();
        match action {
            Action::FocusLeft | Action::FocusRight => {
                self.focus = if action == Action::FocusLeft {
                    self.focus.saturating_sub(1)
                } else {
                    (self.focus + 1).min(Stage::COUNT - 1)
                };
                self.follow_focus();
            }
            Action::Up => self.select(selected.saturating_sub(1))?,
            Action::Down => self.select(selected + 1)?,
            Action::Top => self.select(0)?,
            Action::Bottom => self.select(usize::MAX)?,
            Action::PageUp => self.select(selected.saturating_sub(page))?,
            Action::PageDown => self.select(selected + page)?,
            Action::MoveForward | Action::MoveBack => {
                self.move_selected(action == Action::MoveForward)?
            }
            Action::OpenDetail => match self.selected_card() {
                Some(card) => {
                    let id = card.opportunity.id.clone();
                    self.detail = Some(Detail::load(self.store, &id, 0)?);
                    self.mode = Mode::Detail;
                }
                None => self.no_card(),
            },
            Action::NewCard => {
                let stage = Stage::ALL[self.focus];
                let form = Form::new_card(stage, self.filter.owner.as_deref());
                self.mode = Mode::Form {
                    form,
                    back: Box::new(Mode::Board),
                };
            }
            Action::EditCard => match self.selected_card() {
                Some(card) => {
                    let form = Form::edit_card(&card.opportunity);
                    self.mode = Mode::Form {
                        form,
                        back: Box::new(Mode::Board),
                    };
                }
                None => self.no_card(),
            },
            Action::DeleteCard => match self.selected_card() {
                Some(card) => {
                    self.mode = Mode::ConfirmDelete {
                        card: CardRef::of(&card.opportunity),
                    };
                }
                None => self.no_card(),
            },
            Action::MarkWon => {
                let today = self.today.to_string();
                self.with_open_card(|card| Mode::Text {
                    prompt: Prompt::WonDate(card),
                    input: Input::new(&today),
                    back: Box::new(Mode::Board),
                })?
            }
            Action::MarkLost => self.with_open_card(|card| Mode::Text {
                prompt: Prompt::LostReason(card),
                input: Input::default(),
                back: Box::new(Mode::Board),
            })?,
            Action::Reopen => match self.selected_card() {
                Some(card) if card.opportunity.status != Status::Open => {
                    let before = card.opportunity.clone();
                    let after = self.store.reopen(&before.id, Some(before.version))?;
                    let label = self.label("Reopened", "Rouverte", &after.fields.title);
                    self.record(Change::new(label, Some(before), Some(after)).with_event())?;
                }
                Some(_) => self.notify(tr(
                    self.lang,
                    "This card is open already (O reopens a won or lost card)",
                    "Cette carte est déjà ouverte (O rouvre une carte gagnée ou perdue)",
                )),
                None => self.no_card(),
            },
            Action::Undo | Action::Redo => self.undo_or_redo(action == Action::Undo)?,
            Action::StartFilter => {
                let text = self.filter.text.clone().unwrap_or_default();
                self.mode = Mode::Text {
                    prompt: Prompt::Filter,
                    input: Input::new(&text),
                    back: Box::new(Mode::Board),
                };
            }
            Action::PickOwner => {
                self.pick_seller(|owners, selected| Mode::OwnerPicker { owners, selected })?
            }
            Action::ClearFilter => {
                self.filter.text = None;
                self.filter.owner = None;
                self.notice = None;
                self.refresh()?;
            }
            Action::ToggleClosed => {
                self.filter.closed_too = !self.filter.closed_too;
                self.notify(if self.filter.closed_too {
                    tr(
                        self.lang,
                        "Showing won and lost cards",
                        "Cartes gagnées et perdues affichées",
                    )
                } else {
                    tr(
                        self.lang,
                        "Won and lost cards hidden",
                        "Cartes gagnées et perdues masquées",
                    )
                });
                self.refresh()?;
            }
            Action::SetTarget => {
                let current = self
                    .summary
                    .target_cents
                    .map(|c| crate::domain::money::format_plain(c as i64))
                    .unwrap_or_default();
                self.mode = Mode::Text {
                    prompt: Prompt::Target,
                    input: Input::new(&current),
                    back: Box::new(Mode::Board),
                };
            }
            Action::PreviousPeriod | Action::NextPeriod => {
                self.period = if action == Action::NextPeriod {
                    self.period.next()
                } else {
                    self.period.previous()
                };
                self.refresh()?;
            }
            Action::Reload => {
                self.today = self.store.today();
                self.refresh()?;
                self.notify(tr(self.lang, "Reloaded", "Rechargé"));
            }
            Action::SyncNow => match &mut self.sync {
                Some(status) if status.running => {
                    self.notify(tr(self.lang, "Already syncing", "Synchro déjà en cours"));
                }
                Some(status) => status.wanted = true,
                None => self.warn(tr(
                    self.lang,
                    "No hub configured: set [sync] url in config.toml or $FUNNEL_SYNC_URL",
                    "Aucun hub configuré : [sync] url dans config.toml ou $FUNNEL_SYNC_URL",
                )),
            },
            Action::OpenDashboard => self.open_dashboard()?,
            Action::OpenConflicts => {
                let list = self.store.conflicts()?;
                if list.is_empty() {
                    self.notify(tr(
                        self.lang,
                        "No sync conflicts",
                        "Aucun conflit de synchro",
                    ));
                } else {
                    self.mode = Mode::Conflicts { list, selected: 0 };
                }
            }
            Action::StartOneToOne => {
                self.pick_seller(|owners, selected| Mode::SellerPicker { owners, selected })?
            }
            Action::Help => {
                self.mode = Mode::Help {
                    back: Box::new(Mode::Board),
                }
            }
            Action::Quit => self.quit = true,
            _ => {}
        }
        Ok(())
    }

    /// Opens a dialog about the selected card if it is open.
    fn with_open_card(&mut self, dialog: impl FnOnce(CardRef) -> Mode) -> crate::store::Result<()> {
        match self.selected_card() {
            Some(card) if card.opportunity.status == Status::Open => {
                self.mode = dialog(CardRef::of(&card.opportunity));
            }
            Some(_) => self.notify(tr(
                self.lang,
                "This card is closed (O reopens it)",
                "Cette carte est close (O pour la rouvrir)",
            )),
            None => self.no_card(),
        }
        Ok(())
    }

    /// A key about the selected card, where there is none (an empty column).
    fn no_card(&mut self) {
        self.notify(tr(
            self.lang,
            "No card here: n adds one",
            "Aucune carte ici : n en ajoute une",
        ));
    }

    /// `L` / `H`: one stage forward (asking for the evidence first when it is missing) or back.
    fn move_selected(&mut self, forward: bool) -> crate::store::Result<()> {
        let Some(card) = self.selected_card() else {
            self.no_card();
            return Ok(());
        };
        let opp = card.opportunity.clone();
        if opp.status != Status::Open {
            self.notify(tr(
                self.lang,
                "This card is closed (O reopens it)",
                "Cette carte est close (O pour la rouvrir)",
            ));
            return Ok(());
        }
        let to = if forward {
            opp.stage.next()
        } else {
            opp.stage.previous()
        };
        let Some(to) = to else {
            self.notify(tr(
                self.lang,
                "No stage further that way",
                "Pas d'autre étape dans ce sens",
            ));
            return Ok(());
        };
        self.move_card(CardRef::of(&opp), opp.stage, to, false, None)
    }

    /// Moves a card; `evidence`: a confirmation made just before, undone with the move.
    fn move_card(
        &mut self,
        card: CardRef,
        from: Stage,
        to: Stage,
        force: bool,
        evidence: Option<(Stage, String)>,
    ) -> crate::store::Result<()> {
        let before = self.store.opportunity(&card.id)?;
        match self
            .store
            .move_stage(&card.id, Some(card.version), to, force)?
        {
            MoveOutcome::Moved(after) => {
                let label = if force {
                    format!(
                        "{} {} ({})",
                        tr(self.lang, "Moved to", "Déplacée vers"),
                        self.stage_name(to),
                        tr(self.lang, "unverified", "non vérifié")
                    )
                } else {
                    format!(
                        "{} {}",
                        tr(self.lang, "Moved to", "Déplacée vers"),
                        self.stage_name(to)
                    )
                };
                // The selection follows the card into its new column when moving from the board.
                if self.mode == Mode::Board && self.detail.is_none() {
                    self.select_card(&after)?;
                    // Only the two columns the card left and joined changed.
                    self.card_moved(&before, &after)?;
                } else {
                    self.refresh()?;
                }
                let mut change = Change::new(label, Some(before), Some(*after)).with_event();
                if let Some((stage, note)) = evidence {
                    change = change.with_evidence(stage, note);
                }
                self.remember(change);
            }
            MoveOutcome::NeedsEvidence(_) => {
                self.mode = Mode::EvidencePrompt { card, from, to };
            }
        }
        Ok(())
    }

    fn on_evidence_prompt(
        &mut self,
        action: Action,
        card: CardRef,
        from: Stage,
        to: Stage,
    ) -> crate::store::Result<()> {
        match action {
            Action::ConfirmEvidence => {
                self.mode = Mode::Text {
                    prompt: Prompt::EvidenceNote {
                        card,
                        stage: from,
                        to: Some(to),
                    },
                    input: Input::default(),
                    back: Box::new(self.back_mode()),
                };
            }
            Action::ForceMove => {
                self.mode = self.back_mode();
                self.move_card(card, from, to, true, None)?;
            }
            Action::Cancel => self.mode = self.back_mode(),
            _ => self.mode = Mode::EvidencePrompt { card, from, to },
        }
        Ok(())
    }

    /// Where dialogs return: the detail screen if it is open, else the board.
    fn back_mode(&self) -> Mode {
        if self.detail.is_some() {
            Mode::Detail
        } else {
            self.home_mode()
        }
    }

    fn on_text(
        &mut self,
        action: Action,
        prompt: Prompt,
        input: Input,
        back: Box<Mode>,
    ) -> crate::store::Result<()> {
        if action == Action::Cancel {
            if prompt == Prompt::Filter {
                self.filter.text = None;
                self.refresh()?;
            }
            self.mode = *back;
            return Ok(());
        }
        if action != Action::Accept {
            self.mode = Mode::Text {
                prompt,
                input,
                back,
            };
            return Ok(());
        }
        if let Prompt::Meeting(prompt) = prompt {
            return self.on_meeting_text(prompt, input, *back);
        }
        let value = input.value().trim().to_owned();
        match &prompt {
            Prompt::Filter => {
                self.mode = *back;
                if self.filter.text.as_deref().unwrap_or("") != value {
                    self.set_filter_text(value);
                }
            }
            Prompt::LostReason(card) => {
                if value.is_empty() {
                    self.warn(tr(
                        self.lang,
                        "A lost card needs a reason",
                        "Une carte perdue a besoin d'une raison",
                    ));
                    self.mode = Mode::Text {
                        prompt,
                        input,
                        back,
                    };
                    return Ok(());
                }
                self.mode = *back;
                let before = self.store.opportunity(&card.id)?;
                let today = self.today;
                let after = self
                    .store
                    .mark_lost(&card.id, Some(card.version), &value, today)?;
                let label = self.label("Marked lost", "Marquée perdue", &card.title);
                self.record(Change::new(label, Some(before), Some(after)).with_event())?;
            }
            Prompt::WonDate(card) => {
                let date = if value.is_empty() {
                    Ok(self.today)
                } else {
                    NaiveDate::parse_from_str(&value, "%Y-%m-%d")
                };
                let Ok(date) = date else {
                    self.warn(tr(
                        self.lang,
                        "Not a date (YYYY-MM-DD)",
                        "Date invalide (AAAA-MM-JJ)",
                    ));
                    self.mode = Mode::Text {
                        prompt,
                        input,
                        back,
                    };
                    return Ok(());
                };
                self.mode = *back;
                let before = self.store.opportunity(&card.id)?;
                let after = self.store.mark_won(&card.id, Some(card.version), date)?;
                let label = self.label("Marked won", "Marquée gagnée", &card.title);
                self.record(Change::new(label, Some(before), Some(after)).with_event())?;
            }
            Prompt::EvidenceNote { card, stage, to } => {
                self.mode = *back;
                let today = self.today;
                self.store
                    .confirm_evidence(&card.id, *stage, today, &value)?;
                match to {
                    Some(to) => {
                        let current = self.store.opportunity(&card.id)?;
                        self.move_card(
                            CardRef::of(&current),
                            *stage,
                            *to,
                            false,
                            Some((*stage, value)),
                        )?;
                    }
                    None => {
                        self.cannot_undo((
                            "confirming evidence in the card detail",
                            "confirmer une preuve dans le détail",
                        ));
                        self.notify(tr(self.lang, "Evidence confirmed", "Preuve confirmée"));
                        self.refresh()?;
                    }
                }
            }
            Prompt::Target => match crate::domain::money::parse_cents_lenient(&value) {
                Ok(cents) => {
                    self.mode = *back;
                    let owner = self.filter.owner.clone();
                    self.store.set_target(
                        &self.funnel,
                        self.period.year,
                        owner.as_deref(),
                        cents,
                    )?;
                    self.cannot_undo(("setting a target", "fixer un objectif"));
                    self.notify(tr(self.lang, "Target saved", "Objectif enregistré"));
                    self.refresh()?;
                }
                Err(e) => {
                    self.warn(e.message(self.lang));
                    self.mode = Mode::Text {
                        prompt,
                        input,
                        back,
                    };
                }
            },
            Prompt::Meeting(_) => {}
            Prompt::Answer { question } => {
                self.mode = *back;
                if let Some(detail) = &self.detail {
                    let asked =
                        detail.answer(*question).is_none_or(|a| a.asked) || !value.is_empty();
                    let answer = Answer {
                        stage: detail.opportunity.stage,
                        question: *question,
                        asked,
                        answer: value,
                    };
                    let id = detail.opportunity.id.clone();
                    self.store.set_answer(&id, &answer)?;
                    self.cannot_undo(("answering a question", "répondre à une question"));
                    self.refresh()?;
                }
            }
        }
        Ok(())
    }

    /// Filters the board by the text typed so far. A text filter counts by reading every card
    /// of each column: on a big board that waits for Enter instead of running on each key.
    fn apply_filter_text(&mut self) {
        if self.columns.iter().map(|c| c.count).sum::<i64>() > LIVE_FILTER_UP_TO {
            return;
        }
        if let Mode::Text { input, .. } = &self.mode {
            let text = input.value().trim().to_owned();
            self.set_filter_text(text);
        }
    }

    fn set_filter_text(&mut self, text: String) {
        self.filter.text = (!text.is_empty()).then_some(text);
        for column in &mut self.columns {
            column.selected = 0;
            column.offset = 0;
        }
        self.reload();
    }

    fn on_form(
        &mut self,
        action: Action,
        mut form: Form,
        back: Box<Mode>,
    ) -> crate::store::Result<()> {
        match action {
            Action::NextField => form.next(),
            Action::PreviousField => form.previous(),
            Action::Cancel => {
                self.mode = *back;
                return Ok(());
            }
            Action::Accept => {
                let Some(value) = form.validate(self.lang) else {
                    self.warn(tr(
                        self.lang,
                        "Some fields need fixing: nothing saved yet",
                        "Des champs sont à corriger : rien n'est encore enregistré",
                    ));
                    self.mode = Mode::Form { form, back };
                    return Ok(());
                };
                self.mode = *back;
                return self.save_form(&form.kind, value);
            }
            _ => {}
        }
        self.mode = Mode::Form { form, back };
        Ok(())
    }

    fn save_form(&mut self, kind: &FormKind, value: FormValue) -> crate::store::Result<()> {
        match (kind, value) {
            (FormKind::NewCard { stage }, FormValue::Card(fields)) => {
                let after = self.store.add_opportunity(
                    &self.funnel,
                    NewOpportunity {
                        fields,
                        stage: Some(*stage),
                    },
                )?;
                let label = self.label("Added", "Ajoutée", &after.fields.title);
                self.select_card(&after)?;
                self.record(Change::new(label, None, Some(after)))?;
            }
            (FormKind::EditCard { id, version }, FormValue::Card(fields)) => {
                let before = self.store.opportunity(id)?;
                let after = self.store.update_fields(id, *version, fields)?;
                let label = self.label("Saved", "Enregistrée", &after.fields.title);
                self.record(Change::new(label, Some(before), Some(after)))?;
            }
            (FormKind::Person { opportunity_id, .. }, FormValue::Person(person)) => {
                self.store.save_person(opportunity_id, &person)?;
                self.cannot_undo(BUYING_CENTRE);
                self.notify(tr(
                    self.lang,
                    "Buying centre saved",
                    "Centre d'achat enregistré",
                ));
                self.refresh()?;
            }
            _ => unreachable!("a form gives the value of its kind"),
        }
        Ok(())
    }

    fn on_detail(&mut self, action: Action) -> crate::store::Result<()> {
        let Some(detail) = &self.detail else {
            self.mode = Mode::Board;
            return Ok(());
        };
        let opp = detail.opportunity.clone();
        let questions = self.catalog.info(opp.stage).questions.len();
        let items = questions + detail.people.len();
        let selected = detail.selected;
        let person: Option<Person> = selected
            .checked_sub(questions)
            .and_then(|i| detail.people.get(i).cloned());
        match action {
            Action::Up | Action::Down => {
                let next = step(selected, items, action == Action::Up);
                if let Some(d) = &mut self.detail {
                    d.selected = next;
                }
            }
            Action::ToggleAsked if selected < questions => {
                let current = detail.answer(selected).cloned();
                let answer = Answer {
                    stage: opp.stage,
                    question: selected,
                    asked: !current.as_ref().is_some_and(|a| a.asked),
                    answer: current.map(|a| a.answer).unwrap_or_default(),
                };
                self.store.set_answer(&opp.id, &answer)?;
                self.cannot_undo((
                    "marking a question asked or not",
                    "marquer une question posée ou non",
                ));
                self.refresh()?;
            }
            Action::EditAnswer | Action::EditSelected if selected < questions => {
                let text = detail
                    .answer(selected)
                    .map(|a| a.answer.clone())
                    .unwrap_or_default();
                self.mode = Mode::Text {
                    prompt: Prompt::Answer { question: selected },
                    input: Input::new(&text),
                    back: Box::new(Mode::Detail),
                };
            }
            Action::EditSelected => {
                if let Some(person) = person {
                    self.mode = Mode::Form {
                        form: Form::person(&opp.id, &person),
                        back: Box::new(Mode::Detail),
                    };
                }
            }
            Action::AddPerson => {
                self.mode = Mode::Form {
                    form: Form::person(&opp.id, &Person::default()),
                    back: Box::new(Mode::Detail),
                };
            }
            Action::RemovePerson => {
                if let Some(person) = person {
                    self.store.remove_person(&person.id)?;
                    self.cannot_undo(BUYING_CENTRE);
                    self.notify(format!(
                        "{} {}",
                        tr(self.lang, "Removed", "Retiré :"),
                        person.name
                    ));
                    self.refresh()?;
                }
            }
            Action::ConfirmCurrentEvidence if opp.status == Status::Open => {
                self.mode = Mode::Text {
                    prompt: Prompt::EvidenceNote {
                        card: CardRef::of(&opp),
                        stage: opp.stage,
                        to: None,
                    },
                    input: Input::default(),
                    back: Box::new(Mode::Detail),
                };
            }
            Action::EditCard => {
                self.mode = Mode::Form {
                    form: Form::edit_card(&opp),
                    back: Box::new(Mode::Detail),
                };
            }
            Action::MoveForward if opp.status == Status::Open => {
                if let Some(to) = opp.stage.next() {
                    self.move_card(CardRef::of(&opp), opp.stage, to, false, None)?;
                }
            }
            Action::Undo | Action::Redo => self.undo_or_redo(action == Action::Undo)?,
            Action::Help => {
                self.mode = Mode::Help {
                    back: Box::new(Mode::Detail),
                }
            }
            Action::Cancel => {
                self.detail = None;
                self.mode = self.home_mode();
                self.refresh()?;
            }
            _ => {}
        }
        Ok(())
    }
}

/// The mouse (opt-in): a click selects a card, the wheel scrolls the column under the pointer.
impl App<'_> {
    /// The column under screen column `x`, if any.
    fn column_at(&self, x: u16) -> Option<usize> {
        let visible = self.visible_columns() as u16;
        let width = (self.width / visible).max(1);
        let index = self.first_column + usize::from((x / width).min(visible - 1));
        (index < Stage::COUNT).then_some(index)
    }

    pub fn click(&mut self, x: u16, y: u16) {
        if self.mode != Mode::Board {
            return;
        }
        let Some(column) = self.column_at(x) else {
            return;
        };
        self.focus = column;
        // Title bar, top border and the two header lines come before the first card.
        if let Some(row) = y.checked_sub(4) {
            let index = self.columns[column].offset + usize::from(row / super::app::CARD_HEIGHT);
            self.columns[column].selected = index;
        }
        self.reload();
    }

    pub fn scroll(&mut self, x: u16, down: bool) {
        if self.mode != Mode::Board {
            return;
        }
        if let Some(column) = self.column_at(x) {
            self.focus = column;
            self.update(if down { Action::Down } else { Action::Up });
        }
    }
}

/// The next (or previous, `up`) of `len` items after `selected`, wrapping around.
fn step(selected: usize, len: usize, up: bool) -> usize {
    let n = len.max(1);
    if up {
        (selected + n - 1) % n
    } else {
        (selected + 1) % n
    }
}
