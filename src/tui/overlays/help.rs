//! `?`: every key of the screen below, from the very table that dispatches them, with the
//! legend of that screen's marks (on the board, its upkeep marks too).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::domain::text;
use crate::tui::app::App;
use crate::tui::keymap::{Binding, Table};
use crate::tui::texts;
use crate::tui::ui::{self, Theme, popup};

/// The help of one screen's keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Help {
    pub table: Table,
}

impl Help {
    pub fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let theme = Theme::of(app);
        let table = app.keys.table(self.table);
        let key_width = table
            .iter()
            .map(|b| text::width(&b.keys_label()))
            .max()
            .unwrap_or(0);
        // One column when the table fits the height, else two side by side (short terminals).
        let rows_available = usize::from(area.height.saturating_sub(6));
        let columns = if table.len() <= rows_available { 1 } else { 2 };
        let per_column = table.len().div_ceil(columns);
        let cell_width = usize::from(area.width.saturating_sub(4)) / columns;
        let cell = |b: &Binding| -> Vec<Span<'static>> {
            let help = text::truncate(b.help(app.lang), cell_width.saturating_sub(key_width + 3));
            vec![
                Span::styled(text::pad(&b.keys_label(), key_width + 2), theme.key()),
                Span::raw(if columns == 1 {
                    help
                } else {
                    text::pad(&help, cell_width - key_width - 2)
                }),
            ]
        };
        let mut lines: Vec<Line> = (0..per_column)
            .map(|row| {
                Line::from(
                    (0..columns)
                        .filter_map(|c| table.get(c * per_column + row))
                        .flat_map(cell)
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let legend = match self.table {
            Table::Dashboard => texts::dashboard_legend(app.lang),
            Table::Agenda => texts::agenda_legend(app.lang),
            _ => texts::board_legend(app.lang),
        };
        let legend = Line::styled(legend, theme.dim());
        let max_width = if columns == 1 { 100 } else { area.width };
        let inner = popup::popup_width(area, max_width).saturating_sub(2);
        // The blank line before the legend goes first when the box would not fit otherwise.
        let rows = per_column + ui::wrapped_rows(std::slice::from_ref(&legend), inner) + 2;
        if rows < usize::from(area.height) {
            lines.push(Line::raw(""));
        }
        lines.push(legend);
        if matches!(self.table, Table::Board | Table::Agenda) {
            // The marks of what needs the seller on a card, drawn as the board draws them,
            // where the terminal has the rows for them.
            let upkeep = Line::styled(texts::upkeep_legend(app.lang), theme.dim());
            let rows = ui::wrapped_rows(&lines, inner)
                + ui::wrapped_rows(std::slice::from_ref(&upkeep), inner);
            if rows + 2 <= usize::from(area.height) {
                lines.push(upkeep);
            }
        }
        popup::popup(
            frame,
            area,
            texts::help_title(app.lang),
            lines,
            theme,
            max_width,
        );
    }
}
