//! The dashboard: the footer's figures large, the trend of factor and RTV, the stage funnel with
//! conversion and lead times, win rates by group, concentration and the stale list. Drawn from
//! [`App::insight`] (the footer's figures) and [`Dashboard`] (read when it opens); sections that
//! do not fit a small terminal are left out, least important first.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Dashboard;
use super::panels::{
    MIN_TREND_POINTS, UPKEEP_ROWS, block, concentration_lines, draw_concentration, draw_groups,
    draw_stale, draw_trend, draw_upkeep, few_points_text, money, wrap,
};
use crate::domain::insight::Judgement;
use crate::domain::{Stage, text};
use crate::i18n::{self, figures};
use crate::insight::Insight;
use crate::tui::app::App;
use crate::tui::texts;
use crate::tui::ui::Theme;

/// Rows of the figure tiles (borders, value, detail).
const TILE_ROWS: u16 = 4;

pub fn draw(app: &App, dash: &Dashboard, frame: &mut Frame, area: Rect) {
    let theme = Theme::of(app);
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
    let upkeep_rows = (dash.upkeep.len().max(1) as u16 + 2).min(UPKEEP_ROWS);
    let left_sections = stack(
        left,
        &[
            (0, funnel_rows, false),
            (1, 5, true),
            (2, upkeep_rows, false),
        ],
    );
    if let Some(r) = left_sections[0] {
        draw_funnel(app, theme, frame, r);
    }
    if let Some(r) = left_sections[1] {
        draw_groups(app, dash, theme, frame, r);
    }
    if let Some(r) = left_sections[2] {
        draw_upkeep(app, dash, theme, frame, r);
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

/// The footer's figures, one tile each: value, and a detail line.
fn draw_tiles(app: &App, theme: Theme, frame: &mut Frame, area: Rect, compact: bool) {
    let l = app.lang;
    let s = &app.summary;
    let narrow = area.width < 110;
    // (label, value, detail)
    let mut tiles: Vec<(Cow<str>, Span<'static>, Cow<str>)> = vec![
        (
            figures::rtv(l).into(),
            Span::styled(money(app, s.rtv_cents), theme.money().patch(theme.title())),
            i18n::count(
                s.viable_count,
                figures::viable_one(l),
                figures::viable(l),
                l,
            )
            .into(),
        ),
        (
            if narrow {
                texts::sales_short(l)
            } else {
                figures::sales_to_date(l)
            }
            .into(),
            Span::styled(
                money(app, s.sales_to_date_cents),
                theme.money().patch(theme.title()),
            ),
            i18n::count(s.won_count, figures::won_one(l), figures::won(l), l).into(),
        ),
    ];
    match (s.target_cents, s.gap_cents) {
        (Some(target), Some(gap)) => {
            tiles.push((
                figures::target(l).into(),
                Span::styled(money(app, target), theme.title()),
                app.period.to_string().into(),
            ));
            tiles.push((
                figures::gap(l).into(),
                Span::styled(money(app, gap), theme.title()),
                if s.target_reached {
                    format!("{} ✓", figures::target_reached(l)).into()
                } else {
                    texts::left_to_sell(l).into()
                },
            ));
        }
        _ => {
            tiles.push((
                figures::target(l).into(),
                Span::styled(figures::no_target(l), theme.warn()),
                texts::t_on_the_board(l).into(),
            ));
            tiles.push((
                figures::gap(l).into(),
                Span::styled(figures::none(l), theme.dim()),
                "".into(),
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
        _ => Span::styled(figures::none(l), theme.dim()),
    };
    // The six tiles share the width: the judgement in words when it fits one.
    let tile_inner = usize::from(area.width / 6).saturating_sub(2);
    let required = ins.map_or_else(String::new, |i| {
        let value = format!("{} {}", texts::req(l), i18n::factor(i.required.value, l));
        match judgement.map(|j| format!("{value} {}", i18n::judgement(j, l))) {
            Some(worded) if text::width(&worded) <= tile_inner => worded,
            _ => value,
        }
    });
    let factor_label = if compact {
        format!("{}/{}", figures::factor(l), texts::req(l)).into()
    } else {
        figures::factor(l).into()
    };
    tiles.push((factor_label, factor, required.into()));
    let probability = ins.and_then(|i| i.probability);
    tiles.push((
        if narrow {
            "P"
        } else {
            figures::probability_short(l)
        }
        .into(),
        match probability {
            Some(p) => Span::styled(i18n::percent(p, l), theme.title()),
            None => Span::styled(figures::none(l), theme.dim()),
        },
        texts::of_the_target(l).into(),
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
    let s = &app.summary;
    let ins = app.insight.as_ref();
    let weakest = ins.and_then(|i| i.conversion.weakest(None));
    let inner = area.width.saturating_sub(2) as usize;
    let (value_header, count_header, to_next) =
        (figures::value(l), figures::count(l), figures::to_next(l));
    let days_header = texts::days_header(l);
    let value_w = Stage::ALL
        .iter()
        .map(|st| text::width(&money(app, s.stages[st.index()].value_cents)))
        .chain([text::width(value_header)])
        .max()
        .unwrap_or(0);
    let count_w = text::width(count_header).max(4);
    let conv_w = text::width(to_next).max(9);
    let days_w = text::width(days_header).max(5);
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
        text::pad(figures::stage(l), name_w),
        right(count_header, count_w),
        " ".repeat(bar_w)
    );
    if bar_w == 0 {
        header.pop();
    }
    header.push_str(&format!(
        " {} {} {}",
        right(value_header, value_w),
        right(to_next, conv_w),
        right(days_header, days_w)
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
        let mut conv_text = conv.map_or_else(
            || figures::none(l).to_owned(),
            |r| i18n::whole_percent(r, l),
        );
        if i + 1 == Stage::COUNT {
            conv_text = texts::won_rate(l, &conv_text);
        }
        if weakest == Some(stage) {
            conv_text = format!("!{conv_text}");
        }
        let days = ins
            .and_then(|ins| ins.lead_times.stages[i])
            .map_or_else(|| figures::none(l).to_owned(), |d| i18n::days(d, l));
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
        let days = i18n::days(p, l);
        bottom.push(if narrow {
            texts::purchase_short(l, &days)
        } else {
            texts::purchase(l, &days)
        });
    }
    if let Some(w) = weakest {
        let stage = &app.catalog.info(w).short;
        bottom.push(if narrow {
            texts::weakest_short(l, stage)
        } else {
            texts::weakest_step(l, stage)
        });
    }
    let title = if narrow {
        texts::stage_funnel_short(l)
    } else {
        texts::stage_funnel(l)
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
