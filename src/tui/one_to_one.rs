//! One-to-one mode: the lead with one seller, at most an hour. The board filters to the seller,
//! a side panel shows their figures beside the team's conversion, a meeting clock, the card
//! being walked through and the meeting's notes and action plan (stored by
//! [`Store::start_meeting`](crate::store::Store::start_meeting) and friends).

use chrono::{Duration, NaiveDate};

use super::action::Action;
use super::app::{App, Mode, Prompt};
use super::input::Input;
use super::update::tr;
use crate::domain::insight::{self, Conversion};
use crate::domain::{Opportunity, Stage, StageEvent, Status};
use crate::store::{ActionItem, CardFilter, Meeting, Result, Side};

/// Columns the side panel takes on the right of the board.
pub const PANEL_WIDTH: u16 = 48;
/// The meeting clock is marked when it reaches this.
pub const MEETING_MINUTES: i64 = 60;

/// The card being walked through, with what the panel shows of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Walked {
    pub opportunity: Opportunity,
    /// The current stage's evidence is confirmed.
    pub evidence: bool,
    /// Questions of the current stage asked, out of how many.
    pub asked: usize,
    pub questions: usize,
    pub last_move: Option<StageEvent>,
}

/// What a one-line prompt of the one-to-one is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingPrompt {
    CardNote { id: String, title: String },
    MeetingNote,
    Skill,
    ItemText,
    ItemOwner { text: String },
    ItemDue { text: String, owner: String },
}

/// The one-to-one's state.
#[derive(Debug, Clone, PartialEq)]
pub struct OneToOne {
    pub meeting: Meeting,
    /// The seller's team, whose conversion the panel compares with; `None`: the whole funnel.
    pub team: Option<String>,
    pub team_conversion: Conversion,
    /// How many open cards the seller holds (as of the last step of the walk).
    pub cards: usize,
    /// Position in the walk (board order: stage, then biggest first) of the card walked
    /// through.
    pub walk: Option<usize>,
    pub walked: Option<Walked>,
    /// Selected action item, over the carried items then this meeting's.
    pub item: usize,
}

impl OneToOne {
    /// Carried items first, then this meeting's.
    pub fn all_items(&self) -> impl Iterator<Item = (&ActionItem, bool)> {
        self.meeting
            .carried
            .iter()
            .map(|i| (i, true))
            .chain(self.meeting.items.iter().map(|i| (i, false)))
    }

    pub fn item_count(&self) -> usize {
        self.meeting.carried.len() + self.meeting.items.len()
    }

    pub fn card_note(&self, id: &str) -> Option<&str> {
        self.meeting
            .card_notes
            .iter()
            .find(|(card, _)| card == id)
            .map(|(_, note)| note.as_str())
    }
}

impl App<'_> {
    /// Starts a one-to-one with a seller: a new meeting (with the open items of earlier ones),
    /// the board filtered to them.
    pub fn start_one_to_one(&mut self, owner: &str) -> Result<()> {
        let meeting = self.store.start_meeting(&self.funnel, owner)?;
        let team = self.store.team_of(&self.funnel, owner)?;
        let journeys = match &team {
            Some(team) => {
                let mut rows = Vec::new();
                for member in self.store.team_members(&self.funnel, team)? {
                    rows.extend(self.store.journeys(&self.funnel, Some(&member))?);
                }
                rows
            }
            None => self.store.journeys(&self.funnel, None)?,
        };
        self.filter = walk_filter(&meeting.owner);
        let counts = self
            .store
            .column_totals(&self.funnel, &self.filter, &Stage::ALL)?;
        for column in &mut self.columns {
            column.selected = 0;
            column.offset = 0;
        }
        self.detail = None;
        self.one_to_one = Some(OneToOne {
            meeting,
            team,
            team_conversion: insight::conversion(&journeys),
            cards: counts.iter().map(|(n, _)| *n as usize).sum(),
            walk: None,
            walked: None,
            item: 0,
        });
        self.mode = Mode::OneToOne;
        self.refresh()?;
        self.step_walk(true)
    }

    /// The stage the seller converts worst from, against the team: the first hint for the
    /// skill to develop.
    pub fn weakest_stage(&self) -> Option<Stage> {
        let o = self.one_to_one.as_ref()?;
        let own = &self.insight.as_ref()?.conversion;
        own.weakest(Some(&o.team_conversion))
    }

    /// Minutes and seconds since the meeting started, by the store's clock.
    pub fn meeting_elapsed(&self) -> Option<Duration> {
        let o = self.one_to_one.as_ref()?;
        Some((self.store.now() - o.meeting.started_at).max(Duration::zero()))
    }

    /// Walks to the seller's next (or previous) open card in board order, wrapping around; the
    /// first (or last) one when the walk has not begun. Cards are read one at a time along the
    /// board index from the card walked last, as it was when walked to: a seller with a hundred
    /// thousand cards starts at once, and a card moved meanwhile does not make the walk skip.
    fn step_walk(&mut self, forward: bool) -> Result<()> {
        let Some(o) = &self.one_to_one else {
            return Ok(());
        };
        let filter = walk_filter(&o.meeting.owner);
        let from = o.walked.as_ref().map(|w| w.opportunity.clone());
        let counts = self
            .store
            .column_totals(&self.funnel, &filter, &Stage::ALL)?;
        let cards: usize = counts.iter().map(|(n, _)| *n as usize).sum();
        let side = if forward { Side::Below } else { Side::Above };
        let mut next = match from.as_ref().filter(|c| c.status == Status::Open) {
            Some(card) => (self.store)
                .column_beside(&self.funnel, &filter, card, side, 1)?
                .pop(),
            None => None,
        };
        // On to the next stage holding cards (round to the start of this one at the end).
        let start = from
            .as_ref()
            .map_or(if forward { Stage::COUNT - 1 } else { 0 }, |c| {
                c.stage.index()
            });
        for step in 1..=Stage::COUNT {
            if next.is_some() {
                break;
            }
            let i = if forward {
                (start + step) % Stage::COUNT
            } else {
                (start + Stage::COUNT - step) % Stage::COUNT
            };
            let count = counts[i].0 as usize;
            if count > 0 {
                let offset = if forward { 0 } else { count - 1 };
                next = (self.store)
                    .column_page(&self.funnel, Stage::ALL[i], &filter, (offset, 1, count))?
                    .pop();
            }
        }
        let walk = self.one_to_one.as_ref().and_then(|o| o.walk);
        let index = match (walk, forward) {
            (None, true) => 0,
            (None, false) => cards.saturating_sub(1),
            (Some(i), true) => (i + 1) % cards.max(1),
            (Some(i), false) => (i + cards.max(1) - 1) % cards.max(1),
        };
        if let Some(o) = &mut self.one_to_one {
            o.cards = cards;
        }
        match next {
            Some(card) => self.walk_to(card.opportunity.id, index),
            None => Ok(()),
        }
    }

    fn walk_to(&mut self, id: String, index: usize) -> Result<()> {
        let opportunity = self.store.opportunity(&id)?;
        let stage = opportunity.stage;
        let evidence = self.store.evidence(&id)?.iter().any(|e| e.stage == stage);
        let asked = self
            .store
            .answers(&id)?
            .iter()
            .filter(|a| a.stage == stage && a.asked)
            .count();
        let questions = self.catalog.info(stage).questions.len();
        let last_move = self.store.last_move(&id)?;
        if opportunity.status == Status::Open {
            self.focus = stage.index();
            self.follow_focus();
            self.columns[self.focus].selected =
                self.store
                    .rank_in_column(&self.funnel, &opportunity, &self.filter)?;
            self.scroll_to_selection(self.focus)?;
        }
        if let Some(o) = &mut self.one_to_one {
            o.walk = Some(index);
            o.walked = Some(Walked {
                opportunity,
                evidence,
                asked,
                questions,
                last_move,
            });
        }
        Ok(())
    }

    fn reload_meeting(&mut self) -> Result<()> {
        if let Some(o) = &mut self.one_to_one {
            o.meeting = self.store.meeting(&o.meeting.id)?;
            o.item = o.item.min(o.item_count().saturating_sub(1));
        }
        Ok(())
    }

    fn meeting_prompt(&mut self, prompt: MeetingPrompt, text: &str) {
        self.mode = Mode::Text {
            prompt: Prompt::Meeting(prompt),
            input: Input::new(text),
            back: Box::new(Mode::OneToOne),
        };
    }

    pub(super) fn on_one_to_one(&mut self, action: Action) -> Result<()> {
        let Some(o) = &self.one_to_one else {
            self.mode = Mode::Board;
            return Ok(());
        };
        let n = o.cards;
        let items = o.item_count();
        let item = o.item;
        let walked = o.walked.as_ref().map(|w| w.opportunity.clone());
        let skill = o.meeting.skill.clone();
        let notes = o.meeting.notes.clone();
        let selected_item = o.all_items().nth(item).map(|(i, _)| i.id.clone());
        match action {
            Action::FocusLeft
            | Action::FocusRight
            | Action::Up
            | Action::Down
            | Action::Top
            | Action::Bottom => self.on_board_from_one_to_one(action)?,
            Action::WalkNext | Action::WalkPrevious if n > 0 => {
                self.step_walk(action == Action::WalkNext)?;
            }
            Action::OpenDetail => self.on_board_from_one_to_one(action)?,
            Action::CardNote => match walked {
                Some(opp) => {
                    let current = self
                        .one_to_one
                        .as_ref()
                        .and_then(|o| o.card_note(&opp.id))
                        .unwrap_or_default()
                        .to_owned();
                    self.meeting_prompt(
                        MeetingPrompt::CardNote {
                            id: opp.id.clone(),
                            title: opp.fields.title.clone(),
                        },
                        &current,
                    );
                }
                None => self.notify(tr(
                    self.lang,
                    "No card to note: Tab walks the seller's cards",
                    "Aucune carte : Tab parcourt les cartes du vendeur",
                )),
            },
            Action::MeetingNote => self.meeting_prompt(MeetingPrompt::MeetingNote, &notes),
            Action::ChooseSkill => {
                let hint = if skill.is_empty() {
                    self.weakest_stage()
                        .map(|s| self.stage_name(s).to_owned())
                        .unwrap_or_default()
                } else {
                    skill
                };
                self.meeting_prompt(MeetingPrompt::Skill, &hint);
            }
            Action::AddActionItem => self.meeting_prompt(MeetingPrompt::ItemText, ""),
            Action::NextItem | Action::PreviousItem if items > 0 => {
                let next = if action == Action::NextItem {
                    (item + 1) % items
                } else {
                    (item + items - 1) % items
                };
                if let Some(o) = &mut self.one_to_one {
                    o.item = next;
                }
            }
            Action::ToggleItem => {
                if let Some(id) = selected_item {
                    self.store.toggle_action_item(&id)?;
                    self.cannot_undo(("ticking an action item", "cocher une action"));
                    self.reload_meeting()?;
                }
            }
            Action::Help => {
                self.mode = Mode::Help {
                    back: Box::new(Mode::OneToOne),
                }
            }
            Action::EndOneToOne => {
                if let Some(meeting) = self.one_to_one.take() {
                    self.store.end_meeting(&meeting.meeting.id)?;
                }
                self.filter = CardFilter::default();
                self.mode = Mode::Board;
                self.notify(tr(
                    self.lang,
                    "One-to-one ended (everything was saved as you went)",
                    "Entretien terminé (tout a été enregistré au fil de l'eau)",
                ));
                self.refresh()?;
            }
            _ => {}
        }
        Ok(())
    }

    fn on_board_from_one_to_one(&mut self, action: Action) -> Result<()> {
        self.on_board(action)?;
        if self.mode == Mode::Board {
            self.mode = Mode::OneToOne;
        }
        Ok(())
    }

    pub(super) fn on_meeting_text(
        &mut self,
        prompt: MeetingPrompt,
        input: Input,
        back: Mode,
    ) -> Result<()> {
        let value = input.value().trim().to_owned();
        let Some(meeting) = self.one_to_one.as_ref().map(|o| o.meeting.clone()) else {
            self.mode = Mode::Board;
            return Ok(());
        };
        self.mode = back;
        match prompt {
            MeetingPrompt::CardNote { id, .. } => {
                self.store.set_card_note(&meeting.id, &id, &value)?;
                self.cannot_undo(("a one-to-one's card note", "une note de carte d'entretien"));
                self.notify(tr(
                    self.lang,
                    "Card note saved",
                    "Note de carte enregistrée",
                ));
            }
            MeetingPrompt::MeetingNote => {
                self.store.set_meeting_notes(&meeting.id, &value)?;
                self.cannot_undo(("a one-to-one's note", "une note d'entretien"));
                self.notify(tr(
                    self.lang,
                    "Meeting note saved",
                    "Note d'entretien enregistrée",
                ));
            }
            MeetingPrompt::Skill => {
                self.store.set_meeting_skill(&meeting.id, &value)?;
                self.cannot_undo(("choosing the skill", "choisir la compétence"));
                self.notify(tr(self.lang, "Skill chosen", "Compétence choisie"));
            }
            MeetingPrompt::ItemText => {
                if value.is_empty() {
                    self.notify(tr(
                        self.lang,
                        "No text: nothing added",
                        "Pas de texte : rien d'ajouté",
                    ));
                } else {
                    self.meeting_prompt(MeetingPrompt::ItemOwner { text: value }, &meeting.owner);
                }
            }
            MeetingPrompt::ItemOwner { text } => {
                let due = (self.today + Duration::days(7)).to_string();
                self.meeting_prompt(MeetingPrompt::ItemDue { text, owner: value }, &due);
            }
            MeetingPrompt::ItemDue { text, owner } => {
                let due = if value.is_empty() {
                    None
                } else if let Ok(d) = NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
                    Some(d)
                } else {
                    self.warn(tr(
                        self.lang,
                        "Not a date (YYYY-MM-DD)",
                        "Date invalide (AAAA-MM-JJ)",
                    ));
                    self.mode = Mode::Text {
                        prompt: Prompt::Meeting(MeetingPrompt::ItemDue { text, owner }),
                        input,
                        back: Box::new(Mode::OneToOne),
                    };
                    return Ok(());
                };
                self.store
                    .add_action_item(&meeting.id, &owner, &text, due)?;
                self.cannot_undo(("adding an action item", "ajouter une action"));
                self.notify(tr(self.lang, "Action item added", "Action ajoutée"));
            }
        }
        self.reload_meeting()
    }
}

/// The seller's open cards, whatever the board's filter.
fn walk_filter(owner: &str) -> CardFilter {
    CardFilter {
        owner: Some(owner.to_owned()),
        ..Default::default()
    }
}
