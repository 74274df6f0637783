//! One-to-one: the lead with one seller, at most an hour. The board filters to the seller, a
//! side panel ([`draw`]) shows their figures beside the team's conversion, the skill chosen last
//! time, their 90-day trend, a meeting clock, the card being walked through and the meeting's
//! notes and action plan (stored by [`Store::start_meeting`](crate::store::Store::start_meeting)
//! and friends). The meeting opens on what changed since the previous one: the walk goes
//! through the changed cards first (`w` walks every open card instead). The director's
//! one-to-one with a team's lead is [`team`]; what both share is [`meeting`].

mod draw;
pub mod meeting;
pub mod team;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use super::board::{Board, kept};
use super::{Ctx, View};
use crate::domain::insight::{self, Conversion};
use crate::domain::review::ReviewScope;
use crate::domain::{Opportunity, Stage, StageEvent, Status};
use crate::store::{CardFilter, Result, Side};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Table;
use crate::tui::overlays::{MeetingPrompt, Prompt, Reply};
use crate::tui::reviews::{Reading, Reviewed};
use crate::tui::texts;
use meeting::{Session, prompt};

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
    /// The meeting, its action plan and what it looks back on.
    pub session: Session,
    /// The seller's team, whose conversion the panel compares with; `None`: the whole funnel.
    pub team: Option<String>,
    pub team_conversion: Conversion,
    /// How many open cards the seller holds (as of the last step of the walk).
    pub cards: usize,
    /// Position in the walk of the card walked through: in the changes' order, or in board
    /// order (stage, then biggest first) when every open card is walked.
    pub walk: Option<usize>,
    pub walked: Option<Walked>,
    /// The walk goes through the changed cards (else every open card).
    pub walk_changes: bool,
    /// Nobody moved the walk since the meeting opened: changes still being read start it once
    /// they arrive.
    pub opening: bool,
}

impl OneToOne {
    /// The stage the seller converts worst from, against the team: the first hint for the
    /// skill to develop.
    pub fn weakest_stage(&self, app: &App) -> Option<Stage> {
        let own = &app.insight.as_ref()?.conversion;
        own.weakest(Some(&self.team_conversion))
    }

    /// Walks to the seller's next (or previous) open card in board order, wrapping around; the
    /// first (or last) one when the walk has not begun. Cards are read one at a time along the
    /// board index from the card walked last, as it was when walked to: a seller with a hundred
    /// thousand cards starts at once, and a card moved meanwhile does not make the walk skip.
    fn step_walk(&mut self, app: &mut App, board: &mut Board, forward: bool) -> Result<()> {
        if self.walk_changes {
            return self.step_changes(app, board, forward);
        }
        let filter = walk_filter(&self.session.meeting.owner);
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

    /// Walks to the next (or previous) changed card, wrapping around.
    fn step_changes(&mut self, app: &mut App, board: &mut Board, forward: bool) -> Result<()> {
        let n = self.session.order.len();
        if n == 0 {
            return Ok(());
        }
        let index = match (self.walk, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        let id = self.session.review.cards[self.session.order[index].1]
            .id
            .clone();
        self.walk_to(app, board, &id, index)
    }

    /// The worker's review arrived: taken if it is the one this meeting waits for. The
    /// meeting's first one starts the walk on the changes unless the walk was moved meanwhile.
    pub fn arrived(
        &mut self,
        app: &mut App,
        board: &mut Board,
        reviewed: &Reviewed,
    ) -> Result<bool> {
        if !self.session.arrived(reviewed) {
            return Ok(false);
        }
        if std::mem::take(&mut self.opening) {
            if self.session.order.is_empty() {
                app.notify(texts::no_changes_to_walk(app.lang));
            } else if !self.walk_changes {
                self.walk_changes = true;
                self.walk = None;
                self.walked = None;
                self.step_walk(app, board, true)?;
            }
        }
        Ok(true)
    }

    /// The changed card walked through, if the walk goes through the changes.
    pub fn walked_change(&self) -> Option<&crate::domain::review::CardChanges> {
        let (_, i) = self
            .session
            .order
            .get(self.walk?)
            .filter(|_| self.walk_changes)?;
        self.session.review.cards.get(*i)
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
        // A card closed or handed to another seller is not on the board.
        if opportunity.status == Status::Open
            && opportunity.fields.owner == self.session.meeting.owner
        {
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
}

impl View for OneToOne {
    /// The seller.
    type Request = String;

    /// Starts a one-to-one with a seller: a new meeting (with the open items of earlier ones),
    /// the board filtered to them, the walk on the changes since the previous meeting.
    fn open(owner: String, app: &mut App, board: &mut Board) -> Result<OneToOne> {
        let meeting = app.store.start_meeting(&app.funnel, &owner)?;
        let team = app.store.team_of(&app.funnel, &owner)?;
        let team_conversion = match &team {
            Some(team) => {
                let members = app.store.team_members(&app.funnel, team)?;
                crate::insight::team::team_conversion(app.store, &app.funnel, &members)?
            }
            None => insight::conversion(&app.store.journeys(&app.funnel, None)?),
        };
        app.filter = walk_filter(&meeting.owner);
        let counts = app
            .store
            .column_totals(&app.funnel, &app.filter, &Stage::ALL)?;
        board.to_top();
        let scope = ReviewScope::Owner(meeting.owner.clone());
        let session = Session::open(app, meeting, scope)?;
        Ok(OneToOne {
            walk_changes: !session.order.is_empty(),
            session,
            team,
            team_conversion,
            cards: counts.iter().map(|(n, _)| *n as usize).sum(),
            walk: None,
            walked: None,
            opening: true,
        })
    }

    fn opened(&mut self, cx: &mut Ctx) -> Result<()> {
        if !self.walk_changes && self.session.reading == Reading::Done {
            cx.app.notify(texts::no_changes_to_walk(cx.app.lang));
        }
        self.step_walk(cx.app, cx.board, true)
    }

    fn table(&self) -> Table {
        Table::OneToOne
    }

    fn update(&mut self, cx: &mut Ctx, action: &Action) -> Result<()> {
        let walked = self.walked.as_ref().map(|w| w.opportunity.clone());
        let weakest = self.weakest_stage(cx.app);
        let skill_hint = |app: &App| {
            weakest
                .map(|s| app.stage_name(s).to_owned())
                .unwrap_or_default()
        };
        if self
            .session
            .update(cx, action, Table::OneToOne, skill_hint)?
        {
            return Ok(());
        }
        match action {
            Action::FocusLeft
            | Action::FocusRight
            | Action::Up
            | Action::Down
            | Action::Top
            | Action::Bottom
            | Action::OpenDetail => cx.board.update(cx.app, cx.fx, action)?,
            Action::WalkNext | Action::WalkPrevious if self.cards > 0 || self.walk_changes => {
                self.opening = false;
                self.step_walk(cx.app, cx.board, *action == Action::WalkNext)?;
            }
            Action::ToggleWalk => {
                self.opening = false;
                let l = cx.app.lang;
                if self.session.order.is_empty() {
                    cx.app.notify(texts::no_changes_to_walk(l));
                } else {
                    self.walk_changes = !self.walk_changes;
                    self.walk = None;
                    self.walked = None;
                    cx.app.notify(if self.walk_changes {
                        texts::walk_shows_changes(l)
                    } else {
                        texts::walk_shows_all(l)
                    });
                    self.step_walk(cx.app, cx.board, true)?;
                }
            }
            Action::CardNote => match walked {
                Some(opp) => {
                    let current = self
                        .session
                        .card_note(&opp.id)
                        .unwrap_or_default()
                        .to_owned();
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
            Action::EndOneToOne => {
                cx.app.store.end_meeting(&self.session.meeting.id)?;
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
        match reply {
            Reply::Text {
                prompt: Prompt::Meeting(asked),
                value,
            } => self.session.reply(cx, asked, value),
            reply => cx.board.reply(cx.app, cx.fx, reply, false),
        }
    }

    fn reload(&mut self, app: &mut App) -> Result<bool> {
        self.session.reload(app)?;
        Ok(true)
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
