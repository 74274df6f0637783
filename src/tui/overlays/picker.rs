//! Choosing one of the funnel's sellers (the one the board shows, or the one a one-to-one is
//! with) or teams (the one a team one-to-one is over).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Outcome, Reply};
use crate::domain::text;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Table;
use crate::tui::texts;
use crate::tui::ui::{Theme, popup};

/// What the seller is picked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The board shows this seller's cards alone.
    ShowOwner,
    /// A one-to-one with this seller.
    OneToOne,
    /// A one-to-one over this team.
    TeamOneToOne,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub pick: Pick,
    pub owners: Vec<String>,
    pub selected: usize,
}

impl Picker {
    pub fn update(&mut self, action: &Action) -> Outcome {
        match action {
            Action::Up | Action::Down => {
                self.selected = step(self.selected, self.owners.len(), *action == Action::Up);
                Outcome::Stay
            }
            Action::Accept => match self.owners.get(self.selected) {
                Some(owner) => Outcome::Reply(Reply::Picked {
                    pick: self.pick,
                    owner: owner.clone(),
                }),
                None => Outcome::Close,
            },
            _ => Outcome::Close,
        }
    }

    pub fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let (l, theme) = (app.lang, Theme::of(app));
        let mut lines: Vec<Line> = self
            .owners
            .iter()
            .enumerate()
            .map(|(i, o)| {
                Line::styled(
                    format!(" {} ", text::truncate(o, 40)),
                    theme.selected_if(i == self.selected),
                )
            })
            .collect();
        lines.push(Line::raw(""));
        lines.push(popup::hint_line(app, theme, Table::Picker));
        let title = match self.pick {
            Pick::OneToOne => texts::one_to_one_with(l),
            Pick::ShowOwner => texts::show_one_seller(l),
            Pick::TeamOneToOne => texts::team_with(l),
        };
        popup::popup(frame, area, title, lines, theme, 50);
    }
}

/// The next (or previous, `up`) of `len` items after `selected`, wrapping around.
pub fn step(selected: usize, len: usize, up: bool) -> usize {
    let n = len.max(1);
    if up {
        (selected + n - 1) % n
    } else {
        (selected + 1) % n
    }
}
