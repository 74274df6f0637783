//! The title bar: the funnel, the period, and what narrows the view (seller, the board's
//! order and filter, text filter, closed cards), with the upkeep flags raised on the user's
//! cards and the board's columns scrolled out of view counted on the right.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::domain::{Flag, FlagCounts, Lang, text};
use crate::store::ColumnOrder;
use crate::tui::app::App;
use crate::tui::board_view::{self, FilterFlag};
use crate::tui::texts;

/// The title bar; `hidden`: the board's columns out of view on the left and right, when the
/// board shows; `figures_only`: the screen shows the period's figures, which a text filter does
/// not narrow.
pub fn draw(
    app: &App,
    hidden: Option<(usize, usize)>,
    figures_only: bool,
    frame: &mut Frame,
    area: Rect,
) {
    let theme = Theme::of(app);
    let mut spans = vec![
        Span::styled(" funnel ", theme.title()),
        Span::raw(format!("· {} · ", text::clean_line(&app.funnel.name))),
        Span::styled(texts::title_period(app.lang, app.period), theme.title()),
    ];
    if app.store.is_read_only() {
        // First, so that even a narrow terminal shows why changes are refused.
        let label = format!("{} · ", texts::read_only(app.lang));
        spans.insert(1, Span::styled(label, theme.warn()));
    }
    if !app.is_current_period() {
        spans.push(Span::styled(
            format!(" ({})", texts::not_current_period(app.lang)),
            theme.warn(),
        ));
    }
    if let Some(owner) = &app.filter.owner {
        spans.push(Span::styled(
            format!(
                " · {}",
                texts::owner_shown(app.lang, &text::truncate(owner, 24))
            ),
            theme.warn(),
        ));
    }
    // The board's order, when not the usual one, and its filter: the values chosen, the close
    // dates, the flags.
    let f = &app.filter;
    if f.order != ColumnOrder::default() {
        let order = board_view::order_name(f.order, app.lang);
        spans.push(Span::styled(
            format!(" · {}", texts::title_sorted_by(app.lang, order)),
            theme.key(),
        ));
    }
    let mut narrowed: Vec<String> = [&f.team, &f.region, &f.territory, &f.product]
        .into_iter()
        .flatten()
        .map(|v| text::truncate(v, 16))
        .collect();
    if f.closing_from.is_some() || f.closing_to.is_some() {
        let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        narrowed.push(texts::closing_between(
            app.lang,
            &day(f.closing_from),
            &day(f.closing_to),
        ));
    }
    let flags = FilterFlag::names_in(f, app.lang);
    if !flags.is_empty() {
        narrowed.push(flags);
    }
    if !narrowed.is_empty() {
        // Like the text filter, it narrows the board's cards, not the period's figures.
        let ignored = if figures_only {
            texts::ignored_here(app.lang)
        } else {
            ""
        };
        spans.push(Span::styled(
            format!(" · {}{ignored}", narrowed.join(" · ")),
            theme.warn(),
        ));
    }
    if let Some(filter) = &app.filter.text {
        // The dashboard's figures, like the footer's, are the period's (and seller's) totals:
        // a text filter only narrows the cards on the board.
        let ignored = if figures_only {
            texts::ignored_here(app.lang)
        } else {
            ""
        };
        spans.push(Span::styled(
            format!(" · /{}{ignored}", text::truncate(filter, 24)),
            theme.warn(),
        ));
    }
    if app.filter.closed_too {
        spans.push(Span::styled(
            format!(" · {}", texts::with_closed(app.lang)),
            theme.warn(),
        ));
    }
    let left = Line::from(spans);
    let more = texts::more(app.lang);
    let scroll = match hidden {
        None | Some((0, 0)) => String::new(),
        Some((l, 0)) => format!("‹ {l} {more} "),
        Some((0, r)) => format!("{r} {more} › "),
        Some((l, r)) => format!("‹ {l} · {r} {more} › "),
    };
    let room = usize::from(area.width).saturating_sub(left.width() + text::width(&scroll) + 4);
    let mut right = flag_counts(app.lang, theme, &app.flag_counts, room);
    match (right.is_empty(), scroll.is_empty()) {
        (false, false) => right.push(Span::styled(" · ", theme.dim())),
        (false, true) => right.push(Span::raw(" ")),
        _ => {}
    }
    right.push(Span::styled(scroll, theme.key()));
    frame.render_widget(left, area);
    frame.render_widget(
        Paragraph::new(Line::from(right)).alignment(Alignment::Right),
        area,
    );
}

/// The upkeep flags raised, counted (`! 3 overdue · • 2 today · 5 no step`), the most urgent
/// first, as many as fit in `width` columns; nothing when none is raised.
pub fn flag_counts(
    lang: Lang,
    theme: Theme,
    counts: &FlagCounts,
    width: usize,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut used = 0;
    for flag in Flag::ALL {
        let n = counts.get(flag);
        if n == 0 {
            continue;
        }
        let (mark, style) = match flag {
            Flag::Overdue => ("! ", theme.stale()),
            Flag::DueToday => ("• ", theme.warn()),
            _ => ("", theme.dim()),
        };
        let sep = if spans.is_empty() { "" } else { " · " };
        let said = format!("{mark}{n} {}", texts::flag_short(lang, flag));
        used += text::width(sep) + text::width(&said);
        if used > width {
            break;
        }
        if !sep.is_empty() {
            spans.push(Span::styled(sep, theme.dim()));
        }
        spans.push(Span::styled(said, style));
    }
    spans
}
