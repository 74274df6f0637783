//! The dashboard: the footer's figures large, the trend of factor and RTV, the stage funnel with
//! conversion and lead times, win rates by group, concentration and the stale list. Drawn from
//! [`App::insight`] (the footer's figures) and [`Dashboard`] (read when it opens); sections that
//! do not fit a small terminal are left out, least important first.

use chrono::Days;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Sparkline};

use super::Theme;
use crate::domain::insight::Judgement;
use crate::domain::money::format_compact;
use crate::domain::{Stage, text};
use crate::i18n::{self, texts};
use crate::insight::Insight;
use crate::tui::app::App;
use crate::tui::dashboard::{Dashboard, TREND_DAYS};
use crate::tui::update::tr;

/// Rows of the figure tiles (borders, value, detail).
const TILE_ROWS: u16 = 4;

pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let Some(dash) = &app.dashboard else {
        return;
    };
    // Small terminals: tiles without their detail line (the factor keeps the required one).
    let compact = area.height < 30;
    let tile_rows = if compact { TILE_ROWS - 1 } else { TILE_ROWS };
    let [tiles, rest] =
        Layout::vertical([Constraint::Length(tile_rows), Constraint::Fill(1)]).areas(area);
    draw_tiles(app, theme, frame, tiles, compact);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(rest);
    let funnel_rows = Stage::COUNT as u16 + 3;
    let tall = rest.height >= 28;
    // (priority: lower is kept first, rows, fills the rest)
    let left_sections = stack(left, &[(0, funnel_rows, false), (1, 5, true)]);
    if let Some(r) = left_sections[0] {
        draw_funnel(app, theme, frame, r);
    }
    if let Some(r) = left_sections[1] {
        draw_groups(app, dash, theme, frame, r);
    }
    let right_inner = usize::from(right.width.saturating_sub(2));
    let concentration_rows = app.insight.as_ref().map_or(3, |i| {
        concentration_lines(app, i, theme, right_inner).len() as u16 + 2
    });
    let trend_rows = if dash.snapshots.len() < MIN_TREND_POINTS {
        wrap(&few_points_text(app, dash), right_inner).len() as u16 + 2
    } else if tall {
        8
    } else {
        4
    };
    let right_sections = stack(
        right,
        &[
            (2, trend_rows, false),
            (1, concentration_rows, false),
            (0, 5, true),
        ],
    );
    if let Some(r) = right_sections[0] {
        draw_trend(app, dash, theme, frame, r);
    }
    if let Some(r) = right_sections[1] {
        draw_concentration(app, theme, frame, r);
    }
    if let Some(r) = right_sections[2] {
        draw_stale(app, dash, theme, frame, r);
    }
}

/// Splits `area` vertically among sections `(priority, rows, fill)`, in their order, leaving
/// out the least important (highest priority number) until the rest fits. A filling section
/// takes its rows at least, and what is left.
fn stack(area: Rect, sections: &[(u8, u16, bool)]) -> Vec<Option<Rect>> {
    let mut kept: Vec<bool> = vec![true; sections.len()];
    let rows = |kept: &[bool]| -> u16 {
        sections
            .iter()
            .zip(kept)
            .filter(|(_, k)| **k)
            .map(|(s, _)| s.1)
            .sum()
    };
    while rows(&kept) > area.height {
        let drop = sections
            .iter()
            .enumerate()
            .filter(|(i, _)| kept[*i])
            .max_by_key(|(_, s)| s.0)
            .map(|(i, _)| i);
        match drop {
            Some(i) => kept[i] = false,
            None => break,
        }
    }
    let constraints: Vec<Constraint> = sections
        .iter()
        .zip(&kept)
        .filter(|(_, k)| **k)
        .map(|(s, _)| {
            if s.2 {
                Constraint::Min(s.1)
            } else {
                Constraint::Length(s.1)
            }
        })
        .collect();
    let areas = Layout::vertical(constraints).split(area);
    let mut next = areas.iter().copied();
    kept.iter()
        .map(|k| if *k { next.next() } else { None })
        .collect()
}

/// Greedy word wrap to `width` columns (a word longer than the line is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
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

fn money(app: &App, cents: i128) -> String {
    format_compact(cents, &app.funnel.currency, app.lang)
}

fn block(title: String, theme: Theme) -> Block<'static> {
    Block::bordered().title(Span::styled(format!(" {title} "), theme.title()))
}

/// The footer's figures, one tile each: value, and a detail line.
fn draw_tiles(app: &App, theme: Theme, frame: &mut Frame, area: Rect, compact: bool) {
    let t = texts(app.lang);
    let l = app.lang;
    let s = &app.summary;
    let narrow = area.width < 110;
    let mut tiles: Vec<(String, Span<'static>, String)> = vec![
        (
            t.rtv.into(),
            Span::styled(money(app, s.rtv_cents), theme.money().patch(theme.title())),
            i18n::count(s.viable_count, t.viable_one, t.viable, l),
        ),
        (
            if narrow {
                tr(l, "Sales", "Ventes")
            } else {
                t.sales_to_date.into()
            },
            Span::styled(
                money(app, s.sales_to_date_cents),
                theme.money().patch(theme.title()),
            ),
            i18n::count(s.won_count, t.won_one, t.won, l),
        ),
    ];
    match (s.target_cents, s.gap_cents) {
        (Some(target), Some(gap)) => {
            tiles.push((
                t.target.into(),
                Span::styled(money(app, target), theme.title()),
                app.period.to_string(),
            ));
            tiles.push((
                t.gap.into(),
                Span::styled(money(app, gap.max(0)), theme.title()),
                if s.target_reached {
                    format!("{} ✓", t.target_reached)
                } else {
                    tr(l, "left to sell", "reste à vendre")
                },
            ));
        }
        _ => {
            tiles.push((
                t.target.into(),
                Span::styled(t.no_target, theme.warn()),
                tr(l, "t on the board", "t sur le tableau"),
            ));
            tiles.push((
                t.gap.into(),
                Span::styled(t.none, theme.dim()),
                String::new(),
            ));
        }
    }
    let ins = app.insight.as_ref();
    let judgement = ins.and_then(Insight::judgement);
    let required_value = ins.map(|i| i18n::factor(i.required.value, l));
    let factor = match (s.factor, judgement) {
        _ if s.target_reached => Span::styled("✓", theme.good()),
        (Some(f), Some(j)) => Span::styled(
            match (&required_value, compact) {
                (Some(r), true) => format!("{} {} {r}", i18n::factor(f, l), j.symbol()),
                _ => format!("{} {}", i18n::factor(f, l), j.symbol()),
            },
            match j {
                Judgement::Below => theme.warn(),
                Judgement::Near => theme.title(),
                Judgement::Above => theme.good(),
            }
            .patch(theme.title()),
        ),
        _ => Span::styled(t.none, theme.dim()),
    };
    // The six tiles share the width: the judgement in words when it fits one.
    let tile_inner = usize::from(area.width / 6).saturating_sub(2);
    let required = ins.map_or_else(String::new, |i| {
        let value = format!(
            "{} {}",
            tr(l, "req.", "req."),
            i18n::factor(i.required.value, l)
        );
        match judgement.map(|j| format!("{value} {}", i18n::judgement(j, l))) {
            Some(worded) if text::width(&worded) <= tile_inner => worded,
            _ => value,
        }
    });
    let factor_label = if compact {
        format!("{}/{}", t.factor, tr(l, "req.", "req."))
    } else {
        t.factor.into()
    };
    tiles.push((factor_label, factor, required));
    let probability = ins.and_then(|i| i.probability);
    tiles.push((
        if narrow {
            "P".into()
        } else {
            t.probability_short.into()
        },
        match probability {
            Some(p) => Span::styled(i18n::percent(p, l), theme.title()),
            None => Span::styled(t.none, theme.dim()),
        },
        tr(l, "of the target", "pour l'objectif"),
    ));
    let areas = Layout::horizontal(vec![Constraint::Fill(1); tiles.len()]).split(area);
    for ((label, value, detail), r) in tiles.into_iter().zip(areas.iter()) {
        let mut lines = vec![Line::from(value)];
        if !compact {
            lines.push(Line::styled(detail, theme.dim()));
        }
        frame.render_widget(
            Paragraph::new(lines)
                .block(Block::bordered().title(Span::styled(format!(" {label} "), theme.dim()))),
            *r,
        );
    }
}

/// Open cards and value per stage as bars, conversion to the next stage (won for the last),
/// and median days in each stage; the weakest step and purchase lead time below.
fn draw_funnel(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let l = app.lang;
    let t = texts(l);
    let s = &app.summary;
    let ins = app.insight.as_ref();
    let weakest = ins.and_then(|i| i.conversion.weakest(None));
    let inner = area.width.saturating_sub(2) as usize;
    let days_header = tr(l, "Days", "Jours");
    let value_w = Stage::ALL
        .iter()
        .map(|st| text::width(&money(app, s.stages[st.index()].value_cents)))
        .chain([text::width(t.value)])
        .max()
        .unwrap_or(0);
    let count_w = text::width(t.count).max(4);
    let conv_w = text::width(t.to_next).max(9);
    let days_w = text::width(&days_header).max(5);
    // count, value, conversion, days, each after a space.
    let fixed = count_w + value_w + conv_w + days_w + 4;
    let name_w = inner.saturating_sub(fixed).clamp(6, 16);
    let bar_w = inner.saturating_sub(fixed + name_w + 1);
    let bar_w = if bar_w >= 4 { bar_w } else { 0 };
    let max_value = s.stages.iter().map(|st| st.value_cents).max().unwrap_or(0);
    let right = |text: &str, w: usize| {
        format!(
            "{}{}",
            " ".repeat(w.saturating_sub(text::width(text))),
            text::truncate(text, w)
        )
    };
    let mut header = format!(
        "{}{} {}",
        text::pad(t.stage, name_w),
        right(t.count, count_w),
        " ".repeat(bar_w)
    );
    if bar_w == 0 {
        header.pop();
    }
    header.push_str(&format!(
        " {} {} {}",
        right(t.value, value_w),
        right(t.to_next, conv_w),
        right(&days_header, days_w)
    ));
    let mut lines = vec![Line::styled(header, theme.dim())];
    for stage in Stage::ALL {
        let i = stage.index();
        let sum = s.stages[i];
        let conv = ins.and_then(|ins| {
            if i + 1 < Stage::COUNT {
                ins.conversion.next[i].rate()
            } else {
                ins.conversion.won[i].rate()
            }
        });
        let mut conv_text = conv.map_or_else(|| t.none.to_owned(), |r| percent0(r, l));
        if i + 1 == Stage::COUNT {
            conv_text = format!("{} {conv_text}", tr(l, "won", "gain"));
        }
        if weakest == Some(stage) {
            conv_text = format!("!{conv_text}");
        }
        let days = ins
            .and_then(|ins| ins.lead_times.stages[i])
            .map_or_else(|| t.none.to_owned(), |d| i18n::days(d, l));
        let filled = if max_value > 0 && sum.value_cents > 0 {
            ((sum.value_cents * bar_w as i128 / max_value) as usize).max(1)
        } else {
            0
        };
        let name_style = if stage.is_viable() {
            theme.title()
        } else {
            Style::new()
        };
        let mut spans = vec![
            Span::styled(
                text::pad(&app.catalog.info(stage).short, name_w),
                name_style,
            ),
            Span::raw(right(&sum.count.to_string(), count_w)),
        ];
        if bar_w > 0 {
            spans.push(Span::raw(" "));
            spans.push(Span::styled("█".repeat(filled), theme.money()));
            spans.push(Span::raw(" ".repeat(bar_w - filled)));
        }
        spans.push(Span::styled(
            format!(" {}", right(&money(app, sum.value_cents), value_w)),
            theme.money(),
        ));
        spans.push(Span::styled(
            format!(" {}", right(&conv_text, conv_w)),
            if weakest == Some(stage) {
                theme.warn().patch(theme.title())
            } else {
                Style::new()
            },
        ));
        spans.push(Span::styled(
            format!(" {}", right(&days, days_w)),
            theme.dim(),
        ));
        lines.push(Line::from(spans));
    }
    let narrow = inner < 60;
    let mut bottom = Vec::new();
    if let Some(p) = ins.and_then(|i| i.lead_times.purchase) {
        bottom.push(if narrow {
            format!(
                "{} {}{}",
                tr(l, "purchase", "achat"),
                i18n::days(p, l),
                tr(l, "d", "j")
            )
        } else {
            format!(
                "{} {} {}",
                tr(l, "purchase", "cycle d'achat"),
                i18n::days(p, l),
                t.days
            )
        });
    }
    if let Some(w) = weakest {
        bottom.push(format!(
            "!{} {}",
            if narrow {
                tr(l, "weakest:", "plus faible :")
            } else {
                tr(l, "weakest step:", "étape la plus faible :")
            },
            app.catalog.info(w).short
        ));
    }
    let title = if narrow {
        tr(l, "Stage funnel", "Entonnoir")
    } else {
        tr(
            l,
            "Stage funnel (open cards, → next stage, median days)",
            "Entonnoir (cartes ouvertes, → étape suivante, jours médians)",
        )
    };
    let mut b = block(title, theme);
    if !bottom.is_empty() {
        b = b.title_bottom(Span::styled(
            format!(" {} ", bottom.join(" · ")),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).block(b), area);
}

/// A rate with no decimals: `42%` / `42 %`.
fn percent0(ratio: f64, lang: crate::domain::Lang) -> String {
    let n = (ratio * 100.0).round();
    match lang {
        crate::domain::Lang::En => format!("{n:.0}%"),
        crate::domain::Lang::Fr => format!("{n:.0} %"),
    }
}

/// Win rates by the chosen group: columns left out from the right when narrow.
fn draw_groups(app: &App, dash: &Dashboard, theme: Theme, frame: &mut Frame, area: Rect) {
    let l = app.lang;
    let t = texts(l);
    let header: Vec<String> = vec![
        i18n::group_label(dash.group_by, l).into(),
        t.won_col.into(),
        t.lost_col.into(),
        tr(l, "Win %", "Taux"),
        t.won_value.into(),
        t.rtv.into(),
        t.target.into(),
        t.gap.into(),
    ];
    let rows: Vec<Vec<String>> = dash
        .groups
        .iter()
        .map(|g| i18n::group_cells(g, l, |r| percent0(r, l), |c| money(app, c)))
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
        lines.push(Line::styled(
            tr(
                l,
                "Nothing won, lost or viable in the period yet",
                "Rien de gagné, perdu ni viable dans la période",
            ),
            theme.dim(),
        ));
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
            format!("… {} {}", hidden + 1, tr(l, "more", "de plus")),
            theme.dim(),
        ));
    }
    let title = format!(
        "{} {} {}",
        t.win_rate,
        tr(l, "by", "par"),
        i18n::group_label(dash.group_by, l).to_lowercase()
    );
    let next = i18n::group_label(dash.group_by.next(), l).to_lowercase();
    frame.render_widget(
        Paragraph::new(lines).block(
            block(title, theme).title_bottom(Span::styled(format!(" g: {next} "), theme.dim())),
        ),
        area,
    );
}

/// Fewer daily snapshots than this: no sparkline, a sentence saying so.
const MIN_TREND_POINTS: usize = 3;

fn few_points_text(app: &App, dash: &Dashboard) -> String {
    let n = dash.snapshots.len();
    let since = dash
        .snapshots
        .first()
        .map_or_else(|| app.today.to_string(), |s| s.day.to_string());
    tr(
        app.lang,
        &format!("{n} daily snapshot(s) since {since}: too few for a trend yet."),
        &format!("{n} relevé(s) quotidien(s) depuis le {since} : trop peu pour une tendance."),
    )
}

/// Factor and RTV over the last days, from the daily snapshots (a gap for a day without one).
fn draw_trend(app: &App, dash: &Dashboard, theme: Theme, frame: &mut Frame, area: Rect) {
    let l = app.lang;
    let t = texts(l);
    let inner_w = area.width.saturating_sub(2);
    let label_w: u16 = 14;
    let days = u64::from(inner_w.saturating_sub(label_w)).clamp(1, TREND_DAYS);
    // The daily snapshots are the whole funnel's: said when the other boxes are a seller's
    // (or a text filter might make them seem narrowed), the longest wording that fits.
    let titles = if app.filter.owner.is_some() || app.filter.text.is_some() {
        vec![
            tr(
                l,
                &format!("Trend of the whole funnel, last {days} days"),
                &format!("Tendance de tout l'entonnoir, {days} derniers jours"),
            ),
            tr(
                l,
                &format!("Whole funnel, last {days} days"),
                &format!("Tout l'entonnoir, {days} derniers jours"),
            ),
            tr(
                l,
                &format!("Whole funnel, {days} days"),
                &format!("Tout l'entonnoir, {days} jours"),
            ),
        ]
    } else {
        vec![tr(
            l,
            &format!("Trend, last {days} days"),
            &format!("Tendance, {days} derniers jours"),
        )]
    };
    let room = usize::from(inner_w.saturating_sub(2));
    let title = titles
        .iter()
        .find(|t| text::width(t) <= room)
        .or(titles.last())
        .cloned()
        .unwrap_or_default();
    let b = block(title, theme);
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
                t.factor,
                last.and_then(|s| s.factor)
                    .map_or_else(|| t.none.to_owned(), fmt_factor)
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
                t.rtv,
                last.map_or_else(|| t.none.to_owned(), |s| money(app, s.rtv_cents))
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

/// Bars from a little under the lowest value, so that a change of a few percent shows (a bar
/// from zero would hide it); the lowest day keeps a visible bar.
fn rebase(data: Vec<Option<u64>>) -> Vec<Option<u64>> {
    let present = data.iter().flatten();
    let (Some(lo), Some(hi)) = (present.clone().min().copied(), present.max().copied()) else {
        return data;
    };
    // A one-row sparkline has 8 levels and draws a value under an eighth of the highest as
    // nothing: the lowest day stands at least a seventh of the range above the floor.
    let floor = lo.saturating_sub((hi - lo) / 7 + 1);
    data.into_iter().map(|v| v.map(|v| v - floor)).collect()
}

fn concentration_lines(app: &App, ins: &Insight, theme: Theme, width: usize) -> Vec<Line<'static>> {
    let l = app.lang;
    let t = texts(l);
    let c = &ins.concentration;
    let Some(share) = c.top3_share else {
        return vec![Line::styled(
            tr(l, "No RTV: nothing to depend on", "Pas de RTV"),
            theme.dim(),
        )];
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(i18n::percent(share, l), theme.title()),
        Span::raw(format!(" {}", t.of_rtv)),
    ])];
    if c.flagged {
        let flag = format!("! {} (> {})", t.depends_on_few, percent0(0.5, l));
        for part in wrap(&flag, width) {
            lines.push(Line::styled(part, theme.warn().patch(theme.title())));
        }
    }
    let rtv = ins.summary.rtv_cents;
    for (name, cents) in &c.accounts {
        let part = if rtv > 0 {
            percent0(*cents as f64 / rtv as f64, l)
        } else {
            t.none.to_owned()
        };
        lines.push(Line::from(vec![
            Span::raw(format!("{} ", text::pad(&text::clean_line(name), 20))),
            Span::styled(format!("{:>9}", money(app, *cents)), theme.money()),
            Span::styled(format!(" {part:>5}"), theme.dim()),
        ]));
    }
    lines
}

fn draw_concentration(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let lines = app
        .insight
        .as_ref()
        .map(|i| concentration_lines(app, i, theme, usize::from(area.width.saturating_sub(2))))
        .unwrap_or_default();
    frame.render_widget(
        Paragraph::new(lines).block(block(texts(app.lang).concentration.into(), theme)),
        area,
    );
}

/// The stale list, the most overdue first; the selection scrolls into view.
fn draw_stale(app: &App, dash: &Dashboard, theme: Theme, frame: &mut Frame, area: Rect) {
    let l = app.lang;
    let room = area.height.saturating_sub(2) as usize;
    let offset = dash.selected.saturating_sub(room.saturating_sub(1));
    let inner = area.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    if dash.stale.is_empty() {
        lines.push(Line::styled(
            tr(l, "No stale card", "Aucune carte en retard"),
            theme.dim(),
        ));
    }
    let stage_w = (inner / 4).clamp(6, 14);
    for (i, opp) in dash.stale.iter().enumerate().skip(offset).take(room) {
        let days = opp.days_in_stage(app.today);
        let expected = app.expected_days[opp.stage.index()];
        let head = format!(
            "{} {:>4}/{:<3} {} ",
            if i == dash.selected { "›" } else { " " },
            format!("{days}{}", tr(l, "d", "j")),
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
    let count = if dash.stale.len() >= crate::tui::dashboard::STALE_LIMIT {
        format!("{}+", dash.stale.len())
    } else {
        dash.stale.len().to_string()
    };
    let mut title = format!("{} ({count})", tr(l, "Stale cards", "Cartes en retard"));
    let legend = tr(l, " — days in stage / expected", " — jours / prévus");
    // The title and the spaces around it fit the top border, or the legend is left out.
    if text::width(&title) + text::width(&legend) + 2 <= inner {
        title.push_str(&legend);
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(title, theme).title_bottom(Span::styled(
            tr(
                l,
                " Enter: show on the board ",
                " Entrée : voir sur le tableau ",
            ),
            theme.dim(),
        ))),
        area,
    );
}

#[cfg(test)]
mod tests {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::widgets::{Sparkline, Widget};

    use super::rebase;

    /// The bars a one-row sparkline draws of `data`, rebased.
    fn bars(data: &[Option<u64>]) -> String {
        let area = Rect::new(0, 0, data.len() as u16, 1);
        let mut buffer = Buffer::empty(area);
        Sparkline::default()
            .data(rebase(data.to_vec()))
            .render(area, &mut buffer);
        (0..area.width).map(|x| buffer[(x, 0)].symbol()).collect()
    }

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
