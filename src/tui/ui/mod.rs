//! What every screen draws with: the theme, the title bar, the footer, pop-up boxes, panels
//! that scroll to their selection, and the buffer written as text. Each screen and overlay
//! draws itself from its state ([`super::screens`], [`super::overlays`]) and never changes it.

pub mod footer;
pub mod popup;
mod theme;
pub mod title;

use std::ops::Range;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::app::App;
use super::texts;
use crate::domain::Lang;
pub use theme::Theme;

/// Smallest usable terminal; below it the board says so instead of drawing a broken layout.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// Whether the terminal is below the smallest usable size.
pub fn too_small(app: &App) -> bool {
    app.width < MIN_WIDTH || app.height < MIN_HEIGHT
}

/// Says the terminal is too small, in the middle of `area`.
pub fn draw_too_small(app: &App, frame: &mut Frame, area: Rect) {
    let text = texts::too_small(app.lang, area.width, area.height, MIN_WIDTH, MIN_HEIGHT);
    let [_, middle, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(3),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        middle,
    );
}

/// The rows each line takes wrapped to `width`, as a paragraph draws it.
fn line_heights(lines: &[Line], width: u16) -> Vec<usize> {
    lines
        .iter()
        .map(|line| {
            Paragraph::new(line.clone())
                .wrap(Wrap { trim: false })
                .line_count(width)
        })
        .collect()
}

/// The rows `lines` take wrapped to `width`.
pub fn wrapped_rows(lines: &[Line], width: u16) -> usize {
    line_heights(lines, width).iter().sum()
}

/// What a scrolled panel leaves out, in lines (blank ones aside) wholly or partly off screen.
pub struct Scrolled {
    pub above: usize,
    pub below: usize,
    /// The screen row of the first line kept in view (`u16::MAX` if scrolled above it).
    pub kept_row: u16,
}

/// Draws `lines` wrapped in `area`, scrolled as little as needed for the lines `keep` to be on
/// screen (when they do not all fit, their first rows, or their last with `end_first`: a form
/// field's error comes after a value that may be long). Derived from the selection at each
/// draw, so the selection is always shown and no scroll position is kept.
pub fn draw_scrolled(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line>,
    keep: Range<usize>,
    end_first: bool,
) -> Scrolled {
    let heights = line_heights(&lines, area.width);
    let total: usize = heights.iter().sum();
    let starts: Vec<usize> = heights
        .iter()
        .scan(0, |row, height| {
            let start = *row;
            *row += height;
            Some(start)
        })
        .collect();
    let row_of = |i: usize| starts.get(i).copied().unwrap_or(total);
    let rows = usize::from(area.height);
    let to_end = row_of(keep.end).saturating_sub(rows);
    let offset = if end_first {
        to_end
    } else {
        to_end.min(row_of(keep.start))
    };
    let counted = |i: &usize| lines[*i].width() > 0;
    let above = (0..lines.len())
        .filter(|i| starts[*i] < offset)
        .filter(counted)
        .count();
    let below = (0..lines.len())
        .filter(|i| starts[*i] + heights[*i] > offset + rows)
        .filter(counted)
        .count();
    let kept_row = row_of(keep.start)
        .checked_sub(offset)
        .and_then(|row| u16::try_from(row).ok())
        .map_or(u16::MAX, |row| area.y.saturating_add(row));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((u16::try_from(offset).unwrap_or(u16::MAX), 0)),
        area,
    );
    Scrolled {
        above,
        below,
        kept_row,
    }
}

/// "↑ 2", what is left out above, as a board column counts the cards above.
pub fn more_above(above: usize, theme: Theme) -> Option<Line<'static>> {
    (above > 0).then(|| Line::styled(format!(" ↑ {above} "), theme.dim()).right_aligned())
}

/// "↓ 3 more", what is left out below, as a board column counts the cards below.
pub fn more_below(below: usize, lang: Lang, theme: Theme) -> Option<Line<'static>> {
    (below > 0)
        .then(|| Line::styled(format!(" ↓ {below} {} ", texts::more(lang)), theme.dim()).centered())
}

/// Draws `lines` in `block` over `area`, scrolled to keep the lines `keep` in view (see
/// [`draw_scrolled`]), what is left out counted on the top and bottom borders.
pub fn draw_scrolled_panel(
    app: &App,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
    mut block: Block,
    lines: Vec<Line>,
    keep: Range<usize>,
) {
    let scrolled = draw_scrolled(frame, block.inner(area), lines, keep, false);
    if let Some(above) = more_above(scrolled.above, theme) {
        block = block.title_top(above);
    }
    if let Some(below) = more_below(scrolled.below, app.lang, theme) {
        block = block.title_bottom(below);
    }
    frame.render_widget(block, area);
}

/// The buffer as plain text, one line per row, trailing spaces trimmed (for `board --print` and
/// snapshot tests). Wide characters take their two columns once.
pub fn buffer_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut x = area.left();
        while x < area.right() {
            let symbol = buffer[(x, y)].symbol();
            line.push_str(symbol);
            x += u16::try_from(crate::domain::text::width(symbol).max(1)).unwrap_or(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Writes a line at (x, y), cut at `width` columns, as `Buffer::set_line` does, but puts text of
/// one-column characters cell by cell: ratatui splits every span into graphemes, which was a
/// third of drawing a board frame.
pub fn put_line(buffer: &mut Buffer, x: u16, y: u16, line: &Line, width: u16) {
    let end = x.saturating_add(width).min(buffer.area.right());
    let mut x = x;
    for span in &line.spans {
        let style = line.style.patch(span.style);
        if crate::domain::text::simple_width(&span.content).is_some() {
            for c in span.content.chars() {
                if x >= end {
                    return;
                }
                buffer[(x, y)].set_char(c).set_style(style);
                x += 1;
            }
        } else {
            let room = usize::from(end.saturating_sub(x));
            x = buffer.set_stringn(x, y, &span.content, room, style).0;
        }
    }
}

/// Bars from a little under the lowest value, so that a change of a few percent shows (a bar
/// from zero would hide it); the lowest day keeps a visible bar.
pub fn rebase(data: Vec<Option<u64>>) -> Vec<Option<u64>> {
    let present = data.iter().flatten();
    let (Some(lo), Some(hi)) = (present.clone().min().copied(), present.max().copied()) else {
        return data;
    };
    // A one-row sparkline has 8 levels and draws a value under an eighth of the highest as
    // nothing: the lowest day stands at least a seventh of the range above the floor.
    let floor = lo.saturating_sub((hi - lo) / 7 + 1);
    data.into_iter().map(|v| v.map(|v| v - floor)).collect()
}

/// The bars a one-row sparkline draws of `data`, rebased (see [`rebase`]), as text: a trend
/// within a line of a panel.
pub fn bars(data: &[Option<u64>]) -> String {
    use ratatui::widgets::{Sparkline, Widget};
    let width = u16::try_from(data.len()).unwrap_or(u16::MAX);
    let area = Rect::new(0, 0, width, 1);
    let mut buffer = Buffer::empty(area);
    Sparkline::default()
        .data(rebase(data.to_vec()))
        .render(area, &mut buffer);
    (0..area.width).map(|x| buffer[(x, 0)].symbol()).collect()
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;
    use ratatui::style::Style;
    use ratatui::text::Span;

    use super::*;

    #[test]
    fn put_line_writes_what_set_line_writes() {
        let line = Line::from(vec![
            Span::styled("Société ", Style::new().bold()),
            Span::styled("漢字 e\u{301}", Style::new().red()),
            Span::raw(" · 12 k€ and more"),
            Span::styled(" ▌↑ 3 ─── ✓ «‹…›»", Style::new().dim()),
        ])
        .style(Style::new().on_blue());
        for width in [0, 1, 7, 9, 12, 40, 50] {
            let area = Rect::new(0, 0, 50, 1);
            let (mut ours, mut theirs) = (Buffer::empty(area), Buffer::empty(area));
            put_line(&mut ours, 2, 0, &line, width);
            theirs.set_line(2, 0, &line, width);
            assert_eq!(ours, theirs, "width {width}");
        }
    }
}
