//! Drawing: the whole screen is a function of [`App`]. Each part draws itself from the state and
//! never changes it.

mod board;
mod dashboard;
mod detail;
mod dialogs;
mod footer;
mod one_to_one;
mod theme;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::app::{App, MIN_HEIGHT, MIN_WIDTH};
use super::update::tr;
pub use theme::Theme;

pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let theme = Theme { color: app.color };
    if app.too_small() {
        let text = tr(
            app.lang,
            &format!(
                "Terminal too small: {}x{} (at least {MIN_WIDTH}x{MIN_HEIGHT} needed). Enlarge it, or q to quit.",
                area.width, area.height
            ),
            &format!(
                "Terminal trop petit : {}x{} (au moins {MIN_WIDTH}x{MIN_HEIGHT}). Agrandissez-le, ou q pour quitter.",
                area.width, area.height
            ),
        );
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
        return;
    }
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(3),
    ])
    .areas(area);
    board::draw_title_bar(app, theme, frame, top);
    match (&app.mode, &app.detail) {
        (_, _) if app.dashboard.is_some() && app.mode != super::app::Mode::Board => {
            dashboard::draw(app, theme, frame, body)
        }
        (_, Some(detail)) => detail::draw(app, detail, theme, frame, body),
        _ => match &app.one_to_one {
            Some(o) => {
                let [left, right] = Layout::horizontal([
                    Constraint::Length(app.board_width()),
                    Constraint::Fill(1),
                ])
                .areas(body);
                board::draw(app, theme, frame, left);
                one_to_one::draw(app, o, theme, frame, right);
            }
            None => board::draw(app, theme, frame, body),
        },
    }
    footer::draw(app, theme, frame, bottom);
    dialogs::draw(app, theme, frame, area);
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
