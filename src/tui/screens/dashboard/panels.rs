//! The dashboard's lower panels: win rates by group, the trend of factor and RTV, the
//! concentration of RTV on a few accounts, and the stale cards.

use chrono::Days;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Sparkline};

use super::{Dashboard, TREND_DAYS};
use crate::domain::money::format_compact;
use crate::domain::{Upkeep, text};
use crate::i18n::{self, figures};
use crate::insight::Insight;
use crate::tui::app::App;
use crate::tui::texts;
use crate::tui::ui::{Theme, rebase};

/// Win rates by the chosen group: columns left out from the right when narrow.
pub(super) fn draw_groups(
    app: &App,
    dash: &Dashboard,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let l = app.lang;
    let header: Vec<String> = [
        i18n::group_label(dash.group_by, l),
        figures::won_col(l),
        figures::lost_col(l),
        texts::win_percent(l),
        figures::won_value(l),
        figures::rtv(l),
        figures::target(l),
        figures::gap(l),
    ]
    .map(String::from)
    .into();
    let rows: Vec<Vec<String>> = dash
        .groups
        .iter()
        .map(|g| i18n::group_cells(g, l, |r| i18n::whole_percent(r, l), |c| money(app, c)))
        .collect();
    let inner = area.width.saturating_sub(2) as usize;
    let mut widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| text::width(&r[i]))
                .chain([text::width(&header[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    widths[0] = widths[0].clamp(6, 18);
    // Columns one space apart when that is what lets every one show, else two.
    let fits = |gap: usize| widths[0] + widths[1..].iter().map(|w| gap + w).sum::<usize>() <= inner;
    let gap = if fits(1) && !fits(2) { 1 } else { 2 };
    // Keep the columns that fit, in order.
    let mut used = widths[0];
    let mut shown = 1;
    for w in &widths[1..] {
        if used + gap + w > inner {
            break;
        }
        used += gap + w;
        shown += 1;
    }
    if shown == 1 {
        widths[0] = inner;
    }
    let line = |cells: &[String]| text::table_row(cells, &widths[..shown], gap);
    let mut lines = vec![Line::styled(line(&header), theme.dim())];
    if rows.is_empty() {
        lines.push(Line::styled(texts::nothing_in_period(l), theme.dim()));
    }
    let room = area.height.saturating_sub(3) as usize;
    let hidden = rows.len().saturating_sub(room);
    for row in rows.iter().take(if hidden > 0 {
        room.saturating_sub(1)
    } else {
        room
    }) {
        lines.push(Line::raw(line(row)));
    }
    if hidden > 0 {
        lines.push(Line::styled(
            format!("… {} {}", hidden + 1, texts::more(l)),
            theme.dim(),
        ));
    }
    let title = texts::win_rate_by(l, &i18n::group_label(dash.group_by, l).to_lowercase());
    let next = i18n::group_label(dash.group_by.next(), l).to_lowercase();
    frame.render_widget(
        Paragraph::new(lines).block(
            block(&title, theme).title_bottom(Span::styled(format!(" g: {next} "), theme.dim())),
        ),
        area,
    );
}

/// Rows of the upkeep panel at most (its borders included): beyond, the sellers kept least
/// come first and the rest are counted.
pub(super) const UPKEEP_ROWS: u16 = 9;

/// Each seller's upkeep: of their open cards, the share with a dated next step not overdue and
/// an activity within the funnel's inactive days. The least kept first, so the lead sees who
/// needs a hand.
pub(super) fn draw_upkeep(
    app: &App,
    dash: &Dashboard,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let l = app.lang;
    let mut sellers: Vec<&(String, Upkeep)> = dash.upkeep.iter().collect();
    sellers.sort_by_key(|(name, u)| (u.percent(), name.clone()));
    let inner = usize::from(area.width.saturating_sub(2));
    let figures: Vec<String> = sellers
        .iter()
        .map(|(_, u)| match u.percent() {
            Some(p) => texts::upkeep_cell(l, p, u.kept, u.open),
            None => figures::none(l).to_owned(),
        })
        .collect();
    let figure_width = figures.iter().map(|f| text::width(f)).max().unwrap_or(0);
    let longest = sellers
        .iter()
        .map(|(n, _)| text::width(n))
        .max()
        .unwrap_or(0);
    let name_width = longest.clamp(6, inner.saturating_sub(figure_width + 2).max(6));
    let room = usize::from(area.height.saturating_sub(2));
    let hidden = sellers.len().saturating_sub(room);
    let shown = if hidden > 0 {
        room.saturating_sub(1)
    } else {
        room
    };
    let mut lines: Vec<Line> = sellers
        .iter()
        .zip(&figures)
        .take(shown)
        .map(|((name, u), figure)| {
            let name = if name.is_empty() {
                figures::unnamed(l).to_owned()
            } else {
                text::clean_line(name)
            };
            let style = if u.kept < u.open {
                theme.warn()
            } else {
                theme.good()
            };
            Line::from(vec![
                Span::raw(text::pad(&name, name_width)),
                Span::raw("  "),
                Span::styled(format!("{figure:>figure_width$}"), style),
            ])
        })
        .collect();
    if sellers.is_empty() {
        lines.push(Line::styled(texts::no_open_card_at_all(l), theme.dim()));
    }
    if hidden > 0 {
        lines.push(Line::styled(
            format!("… {} {}", hidden + 1, texts::more(l)),
            theme.dim(),
        ));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(texts::upkeep_title(l), theme)),
        area,
    );
}

/// Fewer daily snapshots than this: no sparkline, a sentence saying so.
pub(super) const MIN_TREND_POINTS: usize = 3;

pub(super) fn few_points_text(app: &App, dash: &Dashboard) -> String {
    let n = dash.snapshots.len();
    let since = dash
        .snapshots
        .first()
        .map_or_else(|| app.today.to_string(), |s| s.day.to_string());
    texts::few_snapshots(app.lang, n, &since)
}

/// Factor and RTV over the last days, from the daily snapshots (a gap for a day without one).
pub(super) fn draw_trend(app: &App, dash: &Dashboard, theme: Theme, frame: &mut Frame, area: Rect) {
    let l = app.lang;
    let inner_w = area.width.saturating_sub(2);
    let label_w: u16 = 14;
    let days = u64::from(inner_w.saturating_sub(label_w)).clamp(1, TREND_DAYS);
    // The daily snapshots are the whole funnel's: said when the other boxes are a seller's
    // (or a text filter might make them seem narrowed), the longest wording that fits.
    let titles = if app.filter.owner.is_some() || app.filter.text.is_some() {
        vec![
            texts::trend_whole_funnel(l, days),
            texts::whole_funnel_last(l, days),
            texts::whole_funnel_days(l, days),
        ]
    } else {
        vec![texts::trend_last(l, days)]
    };
    let room = usize::from(inner_w.saturating_sub(2));
    let title = titles
        .iter()
        .find(|t| text::width(t) <= room)
        .or(titles.last())
        .cloned()
        .unwrap_or_default();
    let b = block(&title, theme);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if dash.snapshots.len() < MIN_TREND_POINTS {
        let lines: Vec<Line> = wrap(&few_points_text(app, dash), usize::from(inner.width))
            .into_iter()
            .map(|line| Line::styled(line, theme.dim()))
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }
    let first = app
        .today
        .checked_sub_days(Days::new(days - 1))
        .unwrap_or(app.today);
    let series =
        |f: &dyn Fn(&crate::domain::insight::Snapshot) -> Option<u64>| -> Vec<Option<u64>> {
            (0..days)
                .map(|d| {
                    let day = first.checked_add_days(Days::new(d))?;
                    dash.snapshots.iter().find(|s| s.day == day).and_then(f)
                })
                .collect()
        };
    let factor = rebase(series(&|s| {
        s.factor.map(|f| (f.max(0.0) * 100.0).round() as u64)
    }));
    let rtv = rebase(series(&|s| u64::try_from(s.rtv_cents.max(0) / 100).ok()));
    let last = dash.snapshots.last();
    let factors: Vec<f64> = dash.snapshots.iter().filter_map(|s| s.factor).collect();
    let rtvs: Vec<i128> = dash.snapshots.iter().map(|s| s.rtv_cents).collect();
    let range = |lo: Option<String>, hi: Option<String>| match (lo, hi) {
        (Some(lo), Some(hi)) => vec![format!("↑ {hi}"), format!("↓ {lo}")],
        _ => Vec::new(),
    };
    let fmt_factor = |f: f64| i18n::factor(f, l);
    let rows = [
        (
            format!(
                "{} {}",
                figures::factor(l),
                last.and_then(|s| s.factor)
                    .map_or_else(|| figures::none(l).to_owned(), fmt_factor)
            ),
            range(
                factors.iter().copied().reduce(f64::min).map(fmt_factor),
                factors.iter().copied().reduce(f64::max).map(fmt_factor),
            ),
            factor,
            theme.title(),
        ),
        (
            format!(
                "{} {}",
                figures::rtv(l),
                last.map_or_else(|| figures::none(l).to_owned(), |s| money(app, s.rtv_cents))
            ),
            range(
                rtvs.iter().min().map(|c| money(app, *c)),
                rtvs.iter().max().map(|c| money(app, *c)),
            ),
            rtv,
            theme.money(),
        ),
    ];
    let halves = Layout::vertical([Constraint::Fill(1); 2]).split(inner);
    for ((label, range, data, style), r) in rows.into_iter().zip(halves.iter()) {
        let [label_area, spark] =
            Layout::horizontal([Constraint::Length(label_w), Constraint::Fill(1)]).areas(*r);
        let width = usize::from(label_w - 1);
        let mut lines = vec![Line::styled(text::truncate(&label, width), theme.title())];
        lines.extend(
            range
                .into_iter()
                .map(|x| Line::styled(text::truncate(&x, width), theme.dim())),
        );
        frame.render_widget(Paragraph::new(lines), label_area);
        frame.render_widget(Sparkline::default().data(data).style(style), spark);
    }
}

pub(super) fn concentration_lines(
    app: &App,
    ins: &Insight,
    theme: Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let l = app.lang;
    let c = &ins.concentration;
    let Some(share) = c.top3_share else {
        return vec![Line::styled(texts::no_rtv(l), theme.dim())];
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(i18n::percent(share, l), theme.title()),
        Span::raw(format!(" {}", figures::of_rtv(l))),
    ])];
    if c.flagged {
        let flag = format!(
            "! {} (> {})",
            figures::depends_on_few(l),
            i18n::whole_percent(0.5, l)
        );
        for part in wrap(&flag, width) {
            lines.push(Line::styled(part, theme.warn().patch(theme.title())));
        }
    }
    let rtv = ins.summary.rtv_cents;
    for (name, cents) in &c.accounts {
        let part = if rtv > 0 {
            i18n::whole_percent(*cents as f64 / rtv as f64, l)
        } else {
            figures::none(l).to_owned()
        };
        lines.push(Line::from(vec![
            Span::raw(format!("{} ", text::pad(&text::clean_line(name), 20))),
            Span::styled(format!("{:>9}", money(app, *cents)), theme.money()),
            Span::styled(format!(" {part:>5}"), theme.dim()),
        ]));
    }
    lines
}

pub(super) fn draw_concentration(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let lines = app
        .insight
        .as_ref()
        .map(|i| concentration_lines(app, i, theme, usize::from(area.width.saturating_sub(2))))
        .unwrap_or_default();
    frame.render_widget(
        Paragraph::new(lines).block(block(figures::concentration(app.lang), theme)),
        area,
    );
}

/// The stale list, the most overdue first; the selection scrolls into view.
pub(super) fn draw_stale(app: &App, dash: &Dashboard, theme: Theme, frame: &mut Frame, area: Rect) {
    let l = app.lang;
    let room = area.height.saturating_sub(2) as usize;
    let offset = dash.selected.saturating_sub(room.saturating_sub(1));
    let inner = area.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    if dash.stale.is_empty() {
        lines.push(Line::styled(texts::no_stale_card(l), theme.dim()));
    }
    let stage_w = (inner / 4).clamp(6, 14);
    for (i, opp) in dash.stale.iter().enumerate().skip(offset).take(room) {
        let days = opp.days_in_stage(app.today);
        let expected = app.expected_days[opp.stage.index()];
        let head = format!(
            "{} {:>4}/{:<3} {} ",
            if i == dash.selected { "›" } else { " " },
            format!("{days}{}", texts::days_short(l)),
            expected,
            text::pad(&app.catalog.info(opp.stage).short, stage_w),
        );
        let rest = inner.saturating_sub(text::width(&head));
        let what = if opp.fields.account.is_empty() {
            text::clean_line(&opp.fields.title)
        } else {
            format!(
                "{} · {}",
                text::clean_line(&opp.fields.title),
                text::clean_line(&opp.fields.account)
            )
        };
        let line = format!("{head}{}", text::pad(&what, rest));
        lines.push(if i == dash.selected {
            Line::styled(line, theme.selected())
        } else {
            Line::from(vec![
                Span::styled(head, theme.stale()),
                Span::raw(text::truncate(&what, rest)),
            ])
        });
    }
    let count = if dash.stale.len() >= super::STALE_LIMIT {
        format!("{}+", dash.stale.len())
    } else {
        dash.stale.len().to_string()
    };
    let mut title = texts::stale_cards(l, count);
    let legend = texts::stale_legend(l);
    // The title and the spaces around it fit the top border, or the legend is left out.
    if text::width(&title) + text::width(legend) + 2 <= inner {
        title.push_str(legend);
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            block(&title, theme)
                .title_bottom(Span::styled(texts::enter_shows_on_board(l), theme.dim())),
        ),
        area,
    );
}

/// Greedy word wrap to `width` columns (a word longer than the line is cut).
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = text::width(&line) + usize::from(!line.is_empty()) + text::width(word);
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
        .into_iter()
        .map(|l| text::truncate(&l, width))
        .collect()
}

pub(super) fn money(app: &App, cents: i128) -> String {
    format_compact(cents, &app.funnel.currency, app.lang)
}

pub(super) fn block(title: &str, theme: Theme) -> Block<'static> {
    Block::bordered().title(Span::styled(format!(" {title} "), theme.title()))
}

#[cfg(test)]
mod tests {
    use crate::tui::ui::bars;

    #[test]
    fn every_day_with_a_figure_keeps_a_bar_and_a_day_without_none() {
        // The shape of a demo's factor: a peak, then the lowest day right after it.
        let factor = [252, 286, 323, 240, 245, 252].map(Some);
        let drawn = bars(&factor);
        assert!(!drawn.contains(' '), "{drawn:?}");
        assert!(
            drawn.starts_with('▂') || drawn.starts_with('▃'),
            "{drawn:?}"
        );
        assert_eq!(drawn.chars().nth(2), Some('█'), "{drawn:?}");
        assert_eq!(drawn.chars().nth(3), Some('▁'), "{drawn:?}");
        for range in [1, 6, 7, 8, 9, 50, 10_000, 2_717_200] {
            let drawn = bars(&[Some(5_113_200), Some(5_113_200 + range), None]);
            let [low, high, missing] = drawn.chars().collect::<Vec<_>>()[..] else {
                panic!("three bars expected: {drawn:?}");
            };
            assert_ne!(low, ' ', "range {range}: {drawn:?}");
            assert_eq!((high, missing), ('█', ' '), "range {range}: {drawn:?}");
        }
    }
}
