//! The cards both this file and the hub changed since they last synced: each with the fields
//! that differ, settled one at a time by keeping this file's version or the hub's.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::board::Board;
use super::{Ctx, View};
use crate::domain::text;
use crate::store::{Conflict, Keep, Result};
use crate::tui::action::Action;
use crate::tui::app::{App, quoted};
use crate::tui::keymap::Table;
use crate::tui::overlays;
use crate::tui::texts;
use crate::tui::ui::{Theme, popup};

#[derive(Debug, Clone, PartialEq)]
pub struct Conflicts {
    pub list: Vec<Conflict>,
    pub selected: usize,
}

impl View for Conflicts {
    /// The conflicts, read by whoever opens the list (it says so when there are none).
    type Request = Vec<Conflict>;

    fn open(list: Vec<Conflict>, _app: &mut App, _board: &mut Board) -> Result<Conflicts> {
        Ok(Conflicts { list, selected: 0 })
    }

    fn table(&self) -> Table {
        Table::Conflicts
    }

    fn update(&mut self, cx: &mut Ctx, action: &Action) -> Result<()> {
        let app = &mut *cx.app;
        let keep = match action {
            Action::Up | Action::Down => {
                let up = *action == Action::Up;
                self.selected = overlays::step(self.selected, self.list.len(), up);
                return Ok(());
            }
            Action::KeepMine => Keep::Mine,
            Action::TakeTheirs => Keep::Theirs,
            Action::Cancel => {
                cx.fx.close();
                return Ok(());
            }
            _ => return Ok(()),
        };
        let Some(conflict) = self.list.get(self.selected) else {
            return Ok(());
        };
        let resolved = app.store.resolve_conflict(&conflict.id, keep)?;
        app.cannot_undo(texts::settling_barrier);
        app.notify(texts::conflict_settled(app.lang, &quoted(&resolved.title)));
        self.list = app.store.conflicts()?;
        if self.list.is_empty() {
            cx.fx.close();
        } else {
            self.selected = self.selected.min(self.list.len() - 1);
        }
        cx.fx.refresh();
        Ok(())
    }

    /// The board, and the list in a box above it.
    fn draw(&self, app: &App, board: &Board, frame: &mut Frame, area: Rect) {
        board.draw(app, frame, area);
        let (l, theme) = (app.lang, Theme::of(app));
        let mut lines: Vec<Line> = self
            .list
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let kept = match c.winner {
                    Keep::Mine => texts::mine_kept(l),
                    Keep::Theirs => texts::theirs_kept(l),
                };
                let text = format!(
                    " {} · {kept} ",
                    text::truncate(&text::clean_line(&c.title), 50)
                );
                Line::styled(text, theme.selected_if(i == self.selected))
            })
            .collect();
        lines.push(Line::raw(""));
        if let Some(c) = self.list.get(self.selected) {
            for (field, mine, theirs) in c.differences() {
                let show =
                    |v: &serde_json::Value| text::truncate(&text::clean_line(&v.to_string()), 24);
                lines.push(Line::raw(texts::difference(
                    l,
                    &field,
                    &show(&mine),
                    &show(&theirs),
                )));
            }
        }
        lines.push(Line::raw(""));
        lines.push(popup::hint_line(app, theme, Table::Conflicts));
        popup::popup(frame, area, texts::conflicts_title(l), lines, theme, 90);
    }
}
