//! The bottom three lines: the period's figures (always visible, updated on every change), the
//! status line, and the key hints of what is on top (from its key table).

use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use crate::domain::insight::Judgement;
use crate::domain::money::format_compact;
use crate::domain::{Lang, text};
use crate::i18n::{self, figures};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::background::{Outcome, SyncStatus};
use crate::tui::keymap::{Binding, Table};
use crate::tui::texts;

/// Draws the footer; `table`: the key table of what is on top.
pub fn draw(app: &App, table: Table, frame: &mut Frame, area: Rect) {
    let theme = Theme::of(app);
    let [figures, status, hints] = Layout::vertical([Constraint::Length(1); 3]).areas(area);
    frame.render_widget(figures_line(app, theme, usize::from(area.width)), figures);
    let notice = app.notice.as_ref().map(|notice| {
        let style = if notice.error {
            theme.error()
        } else {
            theme.warn()
        };
        (format!(" {}", notice.text), style)
    });
    // The sync state on the right of the status line: long when it fits beside the notice.
    let mut notice_area = status;
    if let Some(sync) = &app.sync {
        let (long, short, style) = sync_state(sync, app.lang, theme);
        let room = usize::from(status.width)
            .saturating_sub(notice.as_ref().map_or(0, |(n, _)| text::width(n)) + 1);
        let text = if long.width() <= room { long } else { short };
        let line = Line::styled(text, style).right_aligned();
        notice_area.width = status.width.saturating_sub(line.width() as u16 + 1);
        frame.render_widget(line, status);
    }
    if let Some((notice, style)) = notice {
        let notice = text::truncate(&notice, usize::from(notice_area.width));
        frame.render_widget(Line::styled(notice, style), notice_area);
    }
    frame.render_widget(
        hints_line(app, table, theme, usize::from(hints.width)),
        hints,
    );
}

/// The key hints of `table` in `width` columns. Help and the way back (the Esc key) always
/// show, help first so the way to every other key is visible even on a narrow terminal; the
/// others follow in table order, and those that do not fit are left out whole, from the end.
fn hints_line(app: &App, table: Table, theme: Theme, width: usize) -> Line<'static> {
    let hint = |binding: &Binding| {
        [
            Span::styled(format!(" {}", binding.first_key()), theme.key()),
            Span::styled(format!(" {} ", binding.hint(app.lang)), theme.dim()),
        ]
    };
    let hinted = app
        .keys
        .table(table)
        .iter()
        .filter(|b| !b.hint(app.lang).is_empty());
    let (kept, others): (Vec<_>, Vec<_>) = hinted.partition(|b| {
        *b.action() == Action::Help || b.keys.first().is_some_and(|k| k.code == KeyCode::Esc)
    });
    let (help, back): (Vec<_>, Vec<_>) =
        kept.into_iter().partition(|b| *b.action() == Action::Help);
    let spans_width = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>();
    let back: Vec<Span> = back.into_iter().flat_map(hint).collect();
    let mut spans: Vec<Span> = help.into_iter().flat_map(hint).collect();
    let mut used = spans_width(&spans) + spans_width(&back);
    for binding in others {
        let next = hint(binding);
        used += spans_width(&next);
        if used > width {
            break;
        }
        spans.extend(next);
    }
    spans.extend(back);
    Line::from(spans)
}

/// The background sync's state, long and short: what runs or how the last sync ended, then the
/// refused local changes, the pulled rows kept aside and the pending local changes.
fn sync_state(sync: &SyncStatus, lang: Lang, theme: Theme) -> (String, String, Style) {
    let l = lang;
    let (mut long, mut short, mut style) = if sync.running {
        (
            texts::syncing(l).to_owned(),
            texts::syncing_short(l).to_owned(),
            theme.dim(),
        )
    } else {
        match (&sync.last, sync.last_synced) {
            (Some(Outcome::Offline(_)), _) => (
                texts::offline(l).to_owned(),
                texts::offline(l).to_owned(),
                theme.warn(),
            ),
            (Some(Outcome::Failed(_)), _) => (
                texts::sync_failed_state(l).to_owned(),
                texts::sync_failed_short(l).to_owned(),
                theme.error(),
            ),
            (_, Some(at)) => {
                let ago = ago(sync.now - at, l);
                (texts::synced_ago(l, &ago), format!("✓ {ago}"), theme.good())
            }
            _ => (
                texts::not_synced_yet(l).to_owned(),
                texts::not_synced_short(l).to_owned(),
                theme.dim(),
            ),
        }
    };
    if sync.refused > 0 {
        let text = i18n::count(sync.refused, texts::refused_one(l), texts::refused(l), l);
        long.push_str(&format!(" · {text}"));
        short.push_str(&format!(" · {text}"));
        style = theme.error();
    }
    if sync.aside > 0 {
        let text = i18n::count(
            sync.aside,
            texts::kept_aside_one(l),
            texts::kept_aside(l),
            l,
        );
        long.push_str(&format!(" · {text}"));
        short.push_str(&format!(" · {text}"));
        style = theme.error();
    }
    let waiting = sync.pending - sync.refused;
    if waiting > 0 {
        let changes = i18n::count(
            waiting,
            texts::local_change_pending_one(l),
            texts::local_changes_pending(l),
            l,
        );
        long.push_str(&format!(" · {changes}"));
        short.push_str(&format!(" · {}", texts::pending(l, waiting)));
    }
    (format!("{long} "), format!("{short} "), style)
}

/// "12 s", "3 min", "2 h", "4 d" (French "4 j").
fn ago(delta: chrono::TimeDelta, lang: Lang) -> String {
    let s = delta.num_seconds().max(0);
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        3600..86400 => format!("{} h", s / 3600),
        _ => format!("{} {}", s / 86400, texts::days_short(lang)),
    }
}

/// The figures, in order of importance; long labels when they fit, else short ones, else the
/// least important figures are left out.
fn figures_line(app: &App, theme: Theme, width: usize) -> Line<'static> {
    let l = app.lang;
    let s = &app.summary;
    let money = |cents: i128| format_compact(cents, &app.funnel.currency, l);
    // (label, short label, value, value style)
    let mut items: Vec<(&str, &str, String, Style)> = vec![(
        figures::rtv(l),
        figures::rtv(l),
        money(s.rtv_cents),
        theme.money(),
    )];
    items.push((
        figures::sales_to_date(l),
        texts::sales_short(l),
        money(s.sales_to_date_cents),
        theme.money(),
    ));
    match (s.target_cents, s.gap_cents) {
        (Some(target), Some(gap)) => {
            let (target_label, gap_label) = (figures::target(l), figures::gap(l));
            items.push((target_label, target_label, money(target), theme.title()));
            items.push((gap_label, gap_label, money(gap), theme.title()));
            let judgement = app.insight.as_ref().and_then(|i| i.judgement());
            let factor = match (s.factor, judgement) {
                _ if s.target_reached => {
                    (format!("{} ✓", figures::target_reached(l)), theme.good())
                }
                (Some(f), Some(j)) => (
                    format!("{} {}", i18n::factor(f, l), j.symbol()),
                    match j {
                        Judgement::Below => theme.warn(),
                        Judgement::Near => theme.title(),
                        Judgement::Above => theme.good(),
                    },
                ),
                // The required factor to judge it by is still being computed.
                (Some(f), None) => (format!("{} …", i18n::factor(f, l)), theme.title()),
                _ => (figures::none(l).to_owned(), theme.dim()),
            };
            let factor_label = figures::factor(l);
            items.push((factor_label, factor_label, factor.0, factor.1));
            if let Some(ins) = &app.insight {
                // Figures of the totals before the last change, until the new ones arrive.
                let updating = if app.figures_pending() { "…" } else { "" };
                if let Some(p) = ins.probability.filter(|_| !s.target_reached) {
                    items.push((
                        figures::probability_short(l),
                        "P",
                        format!("{}{updating}", i18n::percent(p, l)),
                        theme.title(),
                    ));
                }
                items.push((
                    figures::required_factor(l),
                    texts::required_short(l),
                    format!("{}{updating}", i18n::factor(ins.required.value, l)),
                    theme.dim(),
                ));
            }
        }
        _ => items.push((
            "",
            "",
            texts::no_target_key_sets_it(
                l,
                figures::no_target(l),
                &app.keys.key_for(Table::Board, &Action::SetTarget),
            ),
            theme.warn(),
        )),
    }
    let open = i18n::count(s.open_count, figures::open_one(l), figures::open(l), l);
    let viable = i18n::count(
        s.viable_count,
        figures::viable_one(l),
        figures::viable(l),
        l,
    );
    items.push((
        "",
        "",
        texts::open_viable_in(l, &open, &viable, app.period),
        theme.dim(),
    ));
    let render = |short: bool, count: usize| -> Vec<Span<'static>> {
        let mut spans = Vec::new();
        for (i, (long, brief, value, style)) in items.iter().take(count).enumerate() {
            spans.push(Span::raw(if i == 0 { " " } else { " │ " }));
            let label = if short { brief } else { long };
            if !label.is_empty() {
                spans.push(Span::styled(format!("{label} "), theme.dim()));
            }
            spans.push(Span::styled(value.clone(), *style));
        }
        spans
    };
    let fits = |spans: &[Span]| spans.iter().map(|s| s.width()).sum::<usize>() <= width;
    for count in (1..=items.len()).rev() {
        for short in [false, true] {
            let spans = render(short, count);
            if fits(&spans) {
                return Line::from(spans);
            }
        }
    }
    Line::from(render(true, 1))
}
