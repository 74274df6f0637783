//! What the next step prompt and the activity form share: a few fields, some typed and some
//! chosen with the arrows, a "when" read as a quick date, and the box they are drawn in. Both
//! are meant to take a few keystrokes, so every field starts filled with what is most likely.

use chrono::{Days, NaiveDate, NaiveTime};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use crate::domain::{Lang, text, when};
use crate::tui::app::App;
use crate::tui::input::Input;
use crate::tui::keymap::Table;
use crate::tui::ui::{Theme, popup};

/// A quick date with an optional time (`demain 14h`, `+1w`, `15/01 9:30`), or why it is not one,
/// in the user's language.
pub fn read_when(
    today: NaiveDate,
    typed: &str,
    lang: Lang,
) -> Result<(NaiveDate, Option<NaiveTime>), String> {
    when::parse_date_time(today, typed).map_err(|e| e.say(lang).to_owned())
}

/// How a day and its time are written back into a "when" field: what [`read_when`] reads.
pub fn when_text(day: NaiveDate, at: Option<NaiveTime>) -> String {
    match at {
        Some(at) => format!("{day} {}", at.format("%H:%M")),
        None => day.to_string(),
    }
}

/// A "when" field moved a day later (or earlier) with the arrows: from the day it says, or from
/// today when it says none yet; the time stays.
pub fn shift_day(input: &mut Input, today: NaiveDate, later: bool) {
    let (day, at) = when::parse_date_time(today, input.value()).unwrap_or((today, None));
    let moved = if later {
        day.checked_add_days(Days::new(1))
    } else {
        day.checked_sub_days(Days::new(1))
    };
    if let Some(moved) = moved {
        *input = Input::new(&when_text(moved, at));
    }
}

/// One row of an entry box.
pub struct Row<'a> {
    pub label: &'static str,
    /// The text typed, or the choice made.
    pub value: String,
    /// Chosen with the arrows, not typed (drawn `‹ value ›`, no cursor).
    pub chosen: bool,
    pub error: Option<&'a str>,
    /// A dim line under the row, when it is focused (what may be chosen there).
    pub help: Option<String>,
}

/// An entry box as drawn: its title, lines above the rows, the rows, the focused row and the
/// cursor's place in its text (in chars).
pub struct Boxed<'a> {
    pub title: &'a str,
    pub intro: Vec<Line<'static>>,
    pub rows: Vec<Row<'a>>,
    pub focus: usize,
    pub cursor: usize,
}

/// Draws an entry box: the intro, the rows with the focused one's cursor, the hint line.
pub fn draw(app: &App, frame: &mut Frame, area: Rect, boxed: Boxed) {
    let Boxed {
        title,
        intro,
        rows,
        focus,
        cursor,
    } = boxed;
    let theme = Theme::of(app);
    let label_width = rows.iter().map(|r| text::width(r.label)).max().unwrap_or(0) + 1;
    let width = popup::popup_width(area, 76);
    let room = usize::from(width.saturating_sub(2)).saturating_sub(label_width + 1);
    let mut lines = intro;
    if !lines.is_empty() {
        lines.push(Line::raw(""));
    }
    let mut cursor_at = None;
    for (i, row) in rows.iter().enumerate() {
        let focused = i == focus;
        let value = if row.chosen {
            format!("‹ {} ›", row.value)
        } else {
            row.value.clone()
        };
        if focused && !row.chosen {
            let before: String = row.value.chars().take(cursor).collect();
            cursor_at = Some((lines.len(), label_width + 1 + text::width(&before)));
        }
        let spans = vec![
            Span::styled(
                text::pad(row.label, label_width),
                if focused { theme.key() } else { theme.dim() },
            ),
            Span::styled(
                format!(" {}", text::truncate(&value, room)),
                theme.selected_if(focused),
            ),
        ];
        lines.push(Line::from(spans));
        // Under the row: why it is refused, then (focused) what it takes.
        let indent = " ".repeat(label_width + 1);
        if let Some(error) = row.error {
            lines.push(Line::styled(format!("{indent}✗ {error}"), theme.error()));
        }
        if let (true, Some(help)) = (focused, &row.help) {
            lines.push(Line::styled(format!("{indent}{help}"), theme.dim()));
        }
    }
    lines.push(Line::raw(""));
    lines.push(popup::hint_line(app, theme, Table::Entry));
    let rect = popup::popup(frame, area, title, lines, theme, 76);
    if let Some((row, col)) = cursor_at {
        let x = rect.x + 1 + u16::try_from(col).unwrap_or(u16::MAX);
        let y = rect.y + 1 + u16::try_from(row).unwrap_or(u16::MAX);
        if x < rect.right().saturating_sub(1) && y < rect.bottom().saturating_sub(1) {
            frame.set_cursor_position(Position { x, y });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn when_reads_quick_dates_with_a_time_and_says_why_not_in_both_languages() {
        let today = day(12, 9);
        let nine = NaiveTime::from_hms_opt(9, 0, 0);
        assert_eq!(
            read_when(today, "demain 9h", Lang::Fr),
            Ok((day(12, 10), nine))
        );
        assert_eq!(read_when(today, "+1w", Lang::En), Ok((day(12, 16), None)));
        assert_eq!(
            read_when(today, "soon", Lang::En).unwrap_err(),
            "not a date (tomorrow, +3d, +1w, monday, 15/01, 2027-01-15, then 14h or 9:30)"
        );
        assert_eq!(
            read_when(today, "demain 25:00", Lang::Fr).unwrap_err(),
            "cette heure n'existe pas"
        );
        assert_eq!(
            read_when(today, "", Lang::Fr).unwrap_err(),
            "il faut une date"
        );
    }

    #[test]
    fn what_is_written_back_reads_the_same_and_the_arrows_move_a_day() {
        let today = day(12, 31);
        let at = NaiveTime::from_hms_opt(14, 30, 0);
        let written = when_text(day(12, 31), at);
        assert_eq!(read_when(today, &written, Lang::En), Ok((day(12, 31), at)));
        let mut input = Input::new(&written);
        shift_day(&mut input, today, true);
        assert_eq!(input.value(), "2027-01-01 14:30");
        let mut empty = Input::default();
        shift_day(&mut empty, today, false);
        assert_eq!(empty.value(), "2026-12-30");
    }
}
