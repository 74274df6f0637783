//! The frame every overlay is drawn in: a bordered box in the middle of the screen, and the line
//! of its keys read from its own key table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::Theme;
use crate::tui::app::App;
use crate::tui::keymap::Table;

/// The keys of an overlay's table that have a hint, on one line.
pub fn hint_line(app: &App, theme: Theme, table: Table) -> Line<'static> {
    let mut spans = Vec::new();
    for b in app
        .keys
        .table(table)
        .iter()
        .filter(|b| !b.hint(app.lang).is_empty())
    {
        spans.push(Span::styled(b.first_key(), theme.key()));
        spans.push(Span::raw(format!(" {}   ", b.hint(app.lang))));
    }
    Line::from(spans)
}

/// A bordered box in the middle of the screen, at most `max_width` wide.
pub fn popup(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line>,
    theme: Theme,
    max_width: u16,
) -> Rect {
    let width = popup_width(area, max_width);
    // Rows after wrapping, so the last line (the key hints) is never cut off.
    let rows = super::wrapped_rows(&lines, width - 2);
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(area.height);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(theme.key())
        .title(Span::styled(title, theme.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
    rect
}

/// The width of a pop-up in `area`, at most `max_width`.
pub fn popup_width(area: Rect, max_width: u16) -> u16 {
    max_width.min(area.width.saturating_sub(2)).max(10)
}

/// A rectangle of at most `width` x `height` in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}
