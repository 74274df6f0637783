//! The board: one column per buying stage, in a horizontal window that follows the focus. It is
//! the screen underneath all others; the one-to-one drives it, the detail and the dashboard
//! return to it. Its columns ([`columns`]), the changes made to cards from it or from the card
//! detail ([`cards`]) and its drawing ([`draw`]) each have a module.

pub mod cards;
pub mod columns;
mod draw;
pub mod kept;

use std::cell::Cell;

use ratatui::layout::Rect;

pub use columns::{CARD_HEIGHT, CHROME_ROWS, COLUMN_CHROME_ROWS, Column, LINE_AHEAD};

use super::{ChangesRequest, Effects, Open, TeamRequest};
use crate::domain::money;
use crate::domain::review::ReviewScope;
use crate::domain::{Stage, Status};
use crate::store::{CardFilter, Result};
use crate::tui::action::Action;
use crate::tui::app::{App, CardRef};
use crate::tui::board_view;
use crate::tui::keymap::Table;
use crate::tui::overlays::{
    DeleteCard, Entered, Form, FormKind, FormValue, Help, Overlay, Pick, Picker, Prompt, Reply,
    TextPrompt,
};
use crate::tui::texts;

/// Boards with up to this many cards on screen filter live as the text is typed.
const LIVE_FILTER_UP_TO: i64 = 20_000;

/// Where the last frame drew each visible column's cards, for the mouse.
pub type Drawn = [Option<(usize, Rect)>; Stage::COUNT];

/// The board's state: its columns, the focus and the horizontal window.
#[derive(Debug)]
pub struct Board {
    pub columns: Vec<Column>,
    /// Focused column.
    pub focus: usize,
    /// First column drawn (narrow terminals scroll horizontally).
    pub first_column: usize,
    /// Columns the board takes (the terminal's, less a side panel).
    pub width: u16,
    /// Rows of the terminal.
    pub height: u16,
    /// The cards' areas of the last frame, by column: clicks hit-test what was drawn.
    pub drawn: Cell<Drawn>,
    /// A filter changed what the board shows: the next read moves the focus off a column left
    /// empty, to the first with a match.
    pub seek_match: bool,
}

impl Board {
    pub fn new(width: u16, height: u16) -> Board {
        Board {
            columns: vec![Column::default(); Stage::COUNT],
            focus: 0,
            first_column: 0,
            width,
            height,
            drawn: Cell::new([None; Stage::COUNT]),
            seek_match: false,
        }
    }

    pub fn table(&self) -> Table {
        Table::Board
    }

    /// Applies an action of the board's table.
    pub fn update(&mut self, app: &mut App, fx: &mut Effects, action: &Action) -> Result<()> {
        let selected = self.columns[self.focus].selected;
        let page = self.page_size();
        match action {
            Action::FocusLeft | Action::FocusRight => {
                self.focus = if *action == Action::FocusLeft {
                    self.focus.saturating_sub(1)
                } else {
                    (self.focus + 1).min(Stage::COUNT - 1)
                };
                self.follow_focus();
            }
            Action::Up => self.select(app, selected.saturating_sub(1))?,
            Action::Down => self.select(app, selected + 1)?,
            Action::Top => self.select(app, 0)?,
            Action::Bottom => self.select(app, usize::MAX)?,
            Action::PageUp => self.select(app, selected.saturating_sub(page))?,
            Action::PageDown => self.select(app, selected + page)?,
            Action::MoveForward | Action::MoveBack => {
                self.move_selected(app, fx, *action == Action::MoveForward)?
            }
            Action::OpenDetail => match self.selected_card() {
                Some(card) => fx.open(Open::Detail(card.opportunity.id.clone())),
                None => cards::no_card(app),
            },
            Action::NewCard => {
                let stage = Stage::ALL[self.focus];
                let form = Form::new_card(stage, app.filter.owner.as_deref());
                fx.overlay(Overlay::Form(form));
            }
            Action::EditCard => match self.selected_card() {
                Some(card) => fx.overlay(Overlay::Form(Form::edit_card(&card.opportunity))),
                None => cards::no_card(app),
            },
            Action::DeleteCard => match self.selected_card() {
                Some(card) => fx.overlay(Overlay::DeleteCard(DeleteCard {
                    card: CardRef::of(&card.opportunity),
                })),
                None => cards::no_card(app),
            },
            Action::MarkWon => {
                let today = app.today.to_string();
                self.with_open_card(app, fx, |card| {
                    TextPrompt::new(Prompt::WonDate(card), &today)
                })
            }
            Action::MarkLost => self.with_open_card(app, fx, |card| {
                TextPrompt::new(Prompt::LostReason(card), "")
            }),
            Action::Reopen => match self.selected_card() {
                Some(card) if card.opportunity.status != Status::Open => {
                    let before = card.opportunity.clone();
                    cards::reopen(app, fx, before)?;
                }
                Some(_) => {
                    let key = app.keys.key_for(Table::Board, &Action::Reopen);
                    app.notify(texts::card_open_already(app.lang, &key))
                }
                None => cards::no_card(app),
            },
            Action::Undo | Action::Redo => {
                app.undo_or_redo(*action == Action::Undo);
                fx.refresh();
            }
            Action::SetNextStep | Action::NextStepDone | Action::LogActivity => {
                match self.selected_card() {
                    Some(card) => {
                        let opp = card.opportunity.clone();
                        cards::day_key(app, fx, action, &opp)?;
                    }
                    None => cards::no_card(app),
                }
            }
            Action::OpenAgenda => fx.open(Open::Agenda(())),
            Action::StartFilter => {
                let text = app.filter.text.clone().unwrap_or_default();
                fx.overlay(Overlay::Text(TextPrompt::new(Prompt::Filter, &text)));
            }
            Action::PickOwner => pick_seller(app, fx, Pick::ShowOwner)?,
            Action::ClearFilter => {
                app.filter = CardFilter {
                    closed_too: app.filter.closed_too,
                    order: app.filter.order,
                    ..CardFilter::default()
                };
                app.notice = None;
                self.view_changed(app, fx)?;
            }
            Action::CycleOrder => {
                app.filter.order = board_view::next_order(app.filter.order);
                let name = board_view::order_name(app.filter.order, app.lang);
                app.notify(texts::sorted_by(app.lang, name));
                self.to_top();
                self.view_changed(app, fx)?;
            }
            Action::FilterBoard => {
                fx.overlay(Overlay::Form(Form::board_filter(&app.filter, app.lang)))
            }
            Action::ToggleClosed => {
                app.filter.closed_too = !app.filter.closed_too;
                app.notify(if app.filter.closed_too {
                    texts::showing_closed(app.lang)
                } else {
                    texts::closed_hidden(app.lang)
                });
                fx.refresh();
            }
            Action::SetTarget => {
                let current = app
                    .summary
                    .target_cents
                    .map(|c| money::format_plain(c as i64))
                    .unwrap_or_default();
                fx.overlay(Overlay::Text(TextPrompt::new(Prompt::Target, &current)));
            }
            Action::PreviousPeriod | Action::NextPeriod => {
                app.period = if *action == Action::NextPeriod {
                    app.period.next()
                } else {
                    app.period.previous()
                };
                fx.refresh();
            }
            Action::Reload => {
                app.today = app.store.today();
                // Overdue is so on the day the board shows.
                if app.filter.due_before.is_some() {
                    app.filter.due_before = Some(app.today);
                }
                app.notify(texts::reloaded(app.lang));
                fx.refresh();
            }
            Action::SyncNow => match &mut app.sync {
                Some(status) if status.running => {
                    app.notify(texts::already_syncing(app.lang));
                }
                Some(status) => status.wanted = true,
                None => app.warn(texts::no_hub(app.lang)),
            },
            Action::OpenDashboard => fx.open(Open::Dashboard(())),
            Action::OpenConflicts => {
                let list = app.store.conflicts()?;
                if list.is_empty() {
                    app.notify(texts::no_conflicts(app.lang));
                } else {
                    fx.open(Open::Conflicts(list));
                }
            }
            Action::StartOneToOne => pick_seller(app, fx, Pick::OneToOne)?,
            Action::StartTeamOneToOne => {
                let teams = app.store.teams(&app.funnel)?;
                if teams.is_empty() {
                    app.notify(texts::no_team(app.lang));
                } else {
                    // The team the board shows, first selected.
                    let selected = app
                        .filter
                        .team
                        .as_ref()
                        .and_then(|t| teams.iter().position(|x| x == t))
                        .unwrap_or(0);
                    fx.overlay(Overlay::Picker(Picker {
                        pick: Pick::TeamOneToOne,
                        owners: teams,
                        selected,
                    }));
                }
            }
            Action::OpenChanges => {
                // The seller or team the board shows, else the selected card's seller.
                let card_owner = self
                    .selected_card()
                    .map(|c| c.opportunity.fields.owner.clone())
                    .filter(|o| !o.is_empty());
                let scope = match (&app.filter.owner, &app.filter.team, card_owner) {
                    (Some(owner), _, _) => Some(ReviewScope::Owner(owner.clone())),
                    (None, Some(team), _) => Some(ReviewScope::Team(team.clone())),
                    (None, None, owner) => owner.map(ReviewScope::Owner),
                };
                match scope {
                    Some(scope) => fx.open(Open::Changes(ChangesRequest { scope, since: None })),
                    None => app.notify(texts::nobody_to_review(app.lang)),
                }
            }
            Action::Help => fx.overlay(Overlay::Help(Help {
                table: Table::Board,
            })),
            Action::Quit => app.quit = true,
            _ => {}
        }
        Ok(())
    }

    /// An overlay's answer about the board or a card; `from_board`: the board is on top, so
    /// the selection follows a moved card.
    pub fn reply(
        &mut self,
        app: &mut App,
        fx: &mut Effects,
        reply: Reply,
        from_board: bool,
    ) -> Result<()> {
        match reply {
            Reply::Text {
                prompt: Prompt::Filter,
                value,
            } => {
                let text = value.text();
                if app.filter.text.as_deref().unwrap_or("") != text {
                    self.set_filter_text(app, fx, text);
                }
            }
            Reply::FilterCancelled => {
                app.filter.text = None;
                fx.refresh();
            }
            Reply::Text {
                prompt: Prompt::Target,
                value: Entered::Cents(cents),
            } => {
                let owner = app.filter.owner.clone();
                app.store
                    .set_target(&app.funnel, app.period.year, owner.as_deref(), cents)?;
                app.cannot_undo(texts::setting_target_barrier);
                app.notify(texts::target_saved(app.lang));
                fx.refresh();
            }
            Reply::Picked {
                pick: Pick::ShowOwner,
                owner,
            } => {
                app.filter.owner = Some(owner);
                self.to_top();
                self.seek_match = true;
                self.view_changed(app, fx)?;
            }
            Reply::Form {
                kind: FormKind::BoardFilter,
                value,
            } => {
                if let FormValue::Filter(chosen) = *value {
                    app.filter = CardFilter {
                        text: app.filter.text.take(),
                        closed_too: app.filter.closed_too,
                        order: app.filter.order,
                        ..chosen
                    };
                    app.notify(texts::board_filtered(app.lang));
                    self.to_top();
                    self.seek_match = true;
                    self.view_changed(app, fx)?;
                }
            }
            Reply::Picked {
                pick: Pick::OneToOne,
                owner,
            } => fx.open(Open::OneToOne(owner)),
            Reply::Picked {
                pick: Pick::TeamOneToOne,
                owner: team,
            } => fx.open(Open::TeamOneToOne(TeamRequest { team, lead: None })),
            reply => self.card_reply(app, fx, reply, from_board)?,
        }
        Ok(())
    }

    /// The filter prompt's text typed so far: a text filter counts by reading every card of
    /// each column, so on a big board it waits for Enter instead of running on each key.
    pub fn typed(&mut self, app: &mut App, fx: &mut Effects, reply: Reply) {
        if self.columns.iter().map(|c| c.count).sum::<i64>() > LIVE_FILTER_UP_TO {
            return;
        }
        if let Reply::Text {
            prompt: Prompt::Filter,
            value,
        } = reply
        {
            self.set_filter_text(app, fx, value.text());
        }
    }

    /// The board's order or filter changed: it is kept for the funnel and the board read again.
    fn view_changed(&mut self, app: &mut App, fx: &mut Effects) -> Result<()> {
        fx.refresh();
        kept::remember(app)
    }

    fn set_filter_text(&mut self, app: &mut App, fx: &mut Effects, text: String) {
        app.filter.text = (!text.is_empty()).then_some(text);
        self.to_top();
        self.seek_match = true;
        fx.refresh();
    }

    /// Opens a prompt about the selected card if it is open.
    fn with_open_card(
        &self,
        app: &mut App,
        fx: &mut Effects,
        prompt: impl FnOnce(CardRef) -> TextPrompt,
    ) {
        match self.selected_card() {
            Some(card) if card.opportunity.status == Status::Open => {
                fx.overlay(Overlay::Text(prompt(CardRef::of(&card.opportunity))));
            }
            Some(_) => cards::closed_card(app),
            None => cards::no_card(app),
        }
    }

    /// The column under screen cell `(x, y)` as last drawn, and the card row there if any.
    fn hit(&self, x: u16, y: u16) -> Option<(usize, Option<u16>)> {
        self.drawn
            .get()
            .into_iter()
            .flatten()
            .find_map(|(i, area)| {
                let inside = |a: u16, from: u16, len: u16| a >= from && a < from + len;
                let column = Rect {
                    y: 0,
                    height: u16::MAX,
                    ..area
                };
                inside(x, column.x, column.width).then(|| {
                    let row = inside(y, area.y, area.height).then(|| (y - area.y) / CARD_HEIGHT);
                    (i, row)
                })
            })
    }

    /// A click (opt-in mouse) focuses the column under it and selects the card there.
    pub fn click(&mut self, app: &mut App, x: u16, y: u16) -> Result<()> {
        let Some((column, row)) = self.hit(x, y) else {
            return Ok(());
        };
        self.focus = column;
        if let Some(row) = row {
            self.columns[column].selected = self.columns[column].offset + usize::from(row);
        }
        self.refresh(app)
    }

    /// The wheel scrolls the column under the pointer.
    pub fn scroll(
        &mut self,
        app: &mut App,
        fx: &mut Effects,
        x: u16,
        y: u16,
        down: bool,
    ) -> Result<()> {
        if let Some((column, _)) = self.hit(x, y) {
            self.focus = column;
            self.update(app, fx, if down { &Action::Down } else { &Action::Up })?;
        }
        Ok(())
    }
}

/// Opens the list of the funnel's sellers (the one shown, first selected).
fn pick_seller(app: &mut App, fx: &mut Effects, pick: Pick) -> Result<()> {
    let owners = app.store.owners(&app.funnel)?;
    if owners.is_empty() {
        app.notify(texts::no_owners(app.lang));
    } else {
        let selected = app
            .filter
            .owner
            .as_ref()
            .and_then(|o| owners.iter().position(|x| x == o))
            .unwrap_or(0);
        fx.overlay(Overlay::Picker(Picker {
            pick,
            owners,
            selected,
        }));
    }
    Ok(())
}
