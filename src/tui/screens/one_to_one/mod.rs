//! One-to-one: the lead with one seller, at most an hour. The board filters to the seller, a
//! side panel ([`draw`]) shows their figures beside the team's conversion, a meeting clock, the
//! card being walked through and the meeting's notes and action plan (stored by
//! [`Store::start_meeting`](crate::store::Store::start_meeting) and friends).

mod draw;

use chrono::Duration;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use super::board::{Board, kept};
use super::{Ctx, View};
use crate::domain::insight::{self, Conversion};
use crate::domain::{Opportunity, Stage, StageEvent, Status};
use crate::store::{ActionItem, CardFilter, Meeting, Result, Side};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Table;
use crate::tui::overlays::{Entered, Help, MeetingPrompt, Overlay, Prompt, Reply, TextPrompt};
use crate::tui::texts;

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

    /// The stage the seller converts worst from, against the team: the first hint for the
    /// skill to develop.
    pub fn weakest_stage(&self, app: &App) -> Option<Stage> {
        let own = &app.insight.as_ref()?.conversion;
        own.weakest(Some(&self.team_conversion))
    }

    /// Time since the meeting started, by the store's clock.
    pub fn elapsed(&self, app: &App) -> Duration {
        (app.store.now() - self.meeting.started_at).max(Duration::zero())
    }

    /// Walks to the seller's next (or previous) open card in board order, wrapping around; the
    /// first (or last) one when the walk has not begun. Cards are read one at a time along the
    /// board index from the card walked last, as it was when walked to: a seller with a hundred
    /// thousand cards starts at once, and a card moved meanwhile does not make the walk skip.
    fn step_walk(&mut self, app: &mut App, board: &mut Board, forward: bool) -> Result<()> {
        let filter = walk_filter(&self.meeting.owner);
        let from = self.walked.as_ref().map(|w| w.opportunity.clone());
        let counts = app.store.column_totals(&app.funnel, &filter, &Stage::ALL)?;
        let cards: usize = counts.iter().map(|(n, _)| *n as usize).sum();
        let side = if forward { Side::Below } else { Side::Above };
        let mut next = match from.as_ref().filter(|c| c.status == Status::Open) {
            Some(card) => app
                .store
                .column_beside(&app.funnel, &filter, card, side, 1)?
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
                next = app
                    .store
                    .column_page(&app.funnel, Stage::ALL[i], &filter, (offset, 1, count))?
                    .pop();
            }
        }
        let index = match (self.walk, forward) {
            (None, true) => 0,
            (None, false) => cards.saturating_sub(1),
            (Some(i), true) => (i + 1) % cards.max(1),
            (Some(i), false) => (i + cards.max(1) - 1) % cards.max(1),
        };
        self.cards = cards;
        match next {
            Some(card) => self.walk_to(app, board, &card.opportunity.id, index),
            None => Ok(()),
        }
    }

    fn walk_to(&mut self, app: &mut App, board: &mut Board, id: &str, index: usize) -> Result<()> {
        let opportunity = app.store.opportunity(id)?;
        let stage = opportunity.stage;
        let evidence = app.store.evidence(id)?.iter().any(|e| e.stage == stage);
        let asked = app
            .store
            .answers(id)?
            .iter()
            .filter(|a| a.stage == stage && a.asked)
            .count();
        let questions = app.catalog.info(stage).questions.len();
        let last_move = app.store.last_move(id)?;
        if opportunity.status == Status::Open {
            board.select_card(app, &opportunity)?;
            board.scroll_to_selection(app, board.focus)?;
        }
        self.walk = Some(index);
        self.walked = Some(Walked {
            opportunity,
            evidence,
            asked,
            questions,
            last_move,
        });
        Ok(())
    }

    fn reload_meeting(&mut self, app: &mut App) -> Result<()> {
        self.meeting = app.store.meeting(&self.meeting.id)?;
        self.item = self.item.min(self.item_count().saturating_sub(1));
        Ok(())
    }
}

/// Opens a prompt of the one-to-one.
fn prompt(cx: &mut Ctx, prompt: MeetingPrompt, text: &str) {
    let prompt = TextPrompt::new(Prompt::Meeting(prompt), text);
    cx.fx.overlay(Overlay::Text(prompt));
}

impl View for OneToOne {
    /// The seller.
    type Request = String;

    /// Starts a one-to-one with a seller: a new meeting (with the open items of earlier ones),
    /// the board filtered to them.
    fn open(owner: String, app: &mut App, board: &mut Board) -> Result<OneToOne> {
        let meeting = app.store.start_meeting(&app.funnel, &owner)?;
        let team = app.store.team_of(&app.funnel, &owner)?;
        let journeys = match &team {
            Some(team) => {
                let mut rows = Vec::new();
                for member in app.store.team_members(&app.funnel, team)? {
                    rows.extend(app.store.journeys(&app.funnel, Some(&member))?);
                }
                rows
            }
            None => app.store.journeys(&app.funnel, None)?,
        };
        app.filter = walk_filter(&meeting.owner);
        let counts = app
            .store
            .column_totals(&app.funnel, &app.filter, &Stage::ALL)?;
        board.to_top();
        Ok(OneToOne {
            meeting,
            team,
            team_conversion: insight::conversion(&journeys),
            cards: counts.iter().map(|(n, _)| *n as usize).sum(),
            walk: None,
            walked: None,
            item: 0,
        })
    }

    fn opened(&mut self, cx: &mut Ctx) -> Result<()> {
        self.step_walk(cx.app, cx.board, true)
    }

    fn table(&self) -> Table {
        Table::OneToOne
    }

    fn update(&mut self, cx: &mut Ctx, action: &Action) -> Result<()> {
        let walked = self.walked.as_ref().map(|w| w.opportunity.clone());
        match action {
            Action::FocusLeft
            | Action::FocusRight
            | Action::Up
            | Action::Down
            | Action::Top
            | Action::Bottom
            | Action::OpenDetail => cx.board.update(cx.app, cx.fx, action)?,
            Action::WalkNext | Action::WalkPrevious if self.cards > 0 => {
                self.step_walk(cx.app, cx.board, *action == Action::WalkNext)?;
            }
            Action::CardNote => match walked {
                Some(opp) => {
                    let current = self.card_note(&opp.id).unwrap_or_default().to_owned();
                    let note = MeetingPrompt::CardNote {
                        id: opp.id.clone(),
                        title: opp.fields.title.clone(),
                    };
                    prompt(cx, note, &current);
                }
                None => {
                    let key = cx.app.keys.key_for(Table::OneToOne, &Action::WalkNext);
                    cx.app.notify(texts::no_card_to_note(cx.app.lang, &key))
                }
            },
            Action::MeetingNote => {
                let notes = self.meeting.notes.clone();
                prompt(cx, MeetingPrompt::MeetingNote, &notes);
            }
            Action::ChooseSkill => {
                let hint = if self.meeting.skill.is_empty() {
                    self.weakest_stage(cx.app)
                        .map(|s| cx.app.stage_name(s).to_owned())
                        .unwrap_or_default()
                } else {
                    self.meeting.skill.clone()
                };
                prompt(cx, MeetingPrompt::Skill, &hint);
            }
            Action::AddActionItem => prompt(cx, MeetingPrompt::ItemText, ""),
            Action::NextItem | Action::PreviousItem if self.item_count() > 0 => {
                let items = self.item_count();
                self.item = if *action == Action::NextItem {
                    (self.item + 1) % items
                } else {
                    (self.item + items - 1) % items
                };
            }
            Action::ToggleItem => {
                let selected = self.all_items().nth(self.item).map(|(i, _)| i.id.clone());
                if let Some(id) = selected {
                    cx.app.store.toggle_action_item(&id)?;
                    cx.app.cannot_undo(texts::ticking_barrier);
                    self.reload_meeting(cx.app)?;
                }
            }
            Action::Help => cx.fx.overlay(Overlay::Help(Help {
                table: Table::OneToOne,
            })),
            Action::EndOneToOne => {
                cx.app.store.end_meeting(&self.meeting.id)?;
                // The board as the user left it for this funnel (its order and filter).
                kept::restore(cx.app)?;
                cx.app.notify(texts::one_to_one_ended(cx.app.lang));
                cx.fx.close();
                cx.fx.refresh();
            }
            _ => {}
        }
        Ok(())
    }

    fn reply(&mut self, cx: &mut Ctx, reply: Reply) -> Result<()> {
        let Reply::Text {
            prompt: Prompt::Meeting(meeting_prompt),
            value,
        } = reply
        else {
            return cx.board.reply(cx.app, cx.fx, reply, false);
        };
        let app = &mut *cx.app;
        let id = self.meeting.id.clone();
        match meeting_prompt {
            MeetingPrompt::CardNote { id: card, .. } => {
                app.store.set_card_note(&id, &card, &value.text())?;
                app.cannot_undo(texts::card_note_barrier);
                app.notify(texts::card_note_saved(app.lang));
            }
            MeetingPrompt::MeetingNote => {
                app.store.set_meeting_notes(&id, &value.text())?;
                app.cannot_undo(texts::meeting_note_barrier);
                app.notify(texts::meeting_note_saved(app.lang));
            }
            MeetingPrompt::Skill => {
                app.store.set_meeting_skill(&id, &value.text())?;
                app.cannot_undo(texts::skill_barrier);
                app.notify(texts::skill_chosen(app.lang));
            }
            MeetingPrompt::ItemText => {
                let text = value.text();
                if text.is_empty() {
                    app.notify(texts::no_text(app.lang));
                } else {
                    let owner = self.meeting.owner.clone();
                    prompt(cx, MeetingPrompt::ItemOwner { text }, &owner);
                }
            }
            MeetingPrompt::ItemOwner { text } => {
                let due = app.next_week().to_string();
                let owner = value.text();
                prompt(cx, MeetingPrompt::ItemDue { text, owner }, &due);
            }
            MeetingPrompt::ItemDue { text, owner } => {
                let due = match value {
                    Entered::Date(due) => due,
                    _ => None,
                };
                app.store.add_action_item(&id, &owner, &text, due)?;
                app.cannot_undo(texts::item_barrier);
                app.notify(texts::item_added(app.lang));
            }
        }
        self.reload_meeting(cx.app)
    }

    fn board_width(&self, width: u16) -> Option<u16> {
        Some(width.saturating_sub(PANEL_WIDTH))
    }

    fn draw(&self, app: &App, board: &Board, frame: &mut Frame, area: Rect) {
        let [left, right] =
            Layout::horizontal([Constraint::Length(board.width), Constraint::Fill(1)]).areas(area);
        board.draw(app, frame, left);
        draw::draw(app, self, frame, right);
    }
}

/// The seller's open cards, whatever the board's filter.
fn walk_filter(owner: &str) -> CardFilter {
    CardFilter {
        owner: Some(owner.to_owned()),
        ..Default::default()
    }
}
