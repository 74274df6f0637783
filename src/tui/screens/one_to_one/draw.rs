//! The one-to-one side panel: the meeting clock, the seller's figures (the same as `report
//! --json --by owner`) and their 90-day trend, their conversion beside the team's with the
//! weakest stage marked, the skill chosen last time and now, the changes since the previous
//! meeting, the card walked through (with what changed on it), the meeting note and the action
//! plan.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType};

use super::OneToOne;
use crate::domain::insight::Ratio;
use crate::domain::money::format_compact;
use crate::domain::review::Change;
use crate::domain::{Stage, text};
use crate::i18n::{self, figures};
use crate::tui::app::App;
use crate::tui::keymap::Table;
use crate::tui::reviews::Reading;
use crate::tui::texts;
use crate::tui::ui::{self, Theme};

/// The side panel.
pub fn draw(app: &App, o: &OneToOne, frame: &mut Frame, area: Rect) {
    let theme = Theme::of(app);
    let l = app.lang;
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(theme.focused_border())
        .title(Span::styled(
            texts::panel_title(l, &text::truncate(&o.session.meeting.owner, 28)),
            theme.title(),
        ));
    // The meeting clock, by the store's clock, always in view.
    let block = o.session.pin_clock(app, theme, frame, area, block);
    let width = usize::from(block.inner(area).width);
    let mut lines: Vec<Line> = Vec::new();

    // Figures: the seller's, as the report gives them.
    let s = &app.summary;
    let money = |cents: i128| format_compact(cents, &app.funnel.currency, l);
    let none = || figures::none(l).to_owned();
    let factor = match (s.factor, app.insight.as_ref().and_then(|i| i.judgement())) {
        (Some(f), Some(j)) => format!("{} {}", i18n::factor(f, l), j.symbol()),
        (Some(f), None) => i18n::factor(f, l),
        _ => none(),
    };
    let probability = app
        .insight
        .as_ref()
        .and_then(|i| i.probability)
        .map_or_else(none, |p| i18n::percent(p, l));
    let pairs = [
        (figures::rtv(l), money(s.rtv_cents)),
        (figures::sales_to_date(l), money(s.sales_to_date_cents)),
        (figures::target(l), s.target_cents.map_or_else(none, money)),
        (figures::gap(l), s.gap_cents.map_or_else(none, &money)),
        (figures::factor(l), factor),
        (figures::probability_short(l), probability),
        (
            figures::win_rate(l),
            s.win_rate.map_or_else(none, |r| i18n::percent(r, l)),
        ),
    ];
    let half = width.saturating_sub(1) / 2;
    // A passed target's GAP in French ("-10,8 k €") is wider than the usual 8: labels give way.
    let widest = pairs.iter().map(|(_, v)| text::width(v)).max().unwrap_or(0);
    let value_width = widest.clamp(8, 10).min(half);
    for pair in pairs.chunks(2) {
        let mut spans = Vec::new();
        for (i, (label, value)) in pair.iter().enumerate() {
            let label_width = half.saturating_sub(value_width + 1);
            spans.push(Span::styled(
                text::pad(&text::truncate(label, label_width), label_width + 1),
                theme.dim(),
            ));
            spans.push(Span::styled(
                format!("{:>value_width$}", text::truncate(value, value_width)),
                theme.money(),
            ));
            if i == 0 {
                spans.push(Span::raw(" "));
            }
        }
        lines.push(Line::from(spans));
    }

    // Conversion: the seller's beside the team's, the weakest stage marked in words.
    let weakest = o.weakest_stage(app);
    let (team_label, team_name) = match o.team.as_deref() {
        Some(team) => (texts::team_header(l), text::truncate(team, 13)),
        None => (texts::funnel_header(l), String::new()),
    };
    lines.push(Line::styled(
        format!(
            "{:<15}{:>8}{:>9} {team_name}",
            texts::conversion_header(l),
            texts::seller_header(l),
            team_label
        ),
        theme.title(),
    ));
    let rate = |r: Ratio| {
        r.rate()
            .map_or_else(|| "—".to_owned(), |v| i18n::percent(v, l))
    };
    if let Some(own) = app.insight.as_ref().map(|i| &i.conversion) {
        for stage in Stage::ALL.iter().take(Stage::COUNT - 1) {
            let i = stage.index();
            let weak = weakest == Some(*stage);
            let name = &app.catalog.info(*stage).short;
            let mut spans = vec![
                Span::raw(if weak { "▶ " } else { "  " }),
                Span::raw(text::pad(&text::truncate(name, 13), 13)),
                Span::raw(format!("{:>8}", rate(own.next[i]))),
                Span::styled(
                    format!("{:>9}", rate(o.team_conversion.next[i])),
                    theme.dim(),
                ),
            ];
            if weak {
                spans.push(Span::raw(format!(" {}", texts::weakest_mark(l))));
            }
            let style = if weak { theme.warn() } else { Style::new() };
            lines.push(Line::from(spans).style(style));
        }
    }
    let hint = weakest.map_or_else(|| texts::no_stage_history(l), |s| app.stage_name(s));
    lines.push(Line::raw(texts::skill_hint(l, hint)));
    o.session.skill_lines(app, theme, width, &mut lines);

    // The trend, then what changed since the previous meeting (each under its own heading: no
    // blank line between them, so the figures above stay in view at 40 rows).
    o.session.trend_lines(app, theme, width, &mut lines);
    let review = &o.session.review;
    if o.session.reading != Reading::Done {
        lines.push(crate::tui::screens::changes::reading_line(app, theme));
    } else if review.cards.is_empty() && review.overdue_items.is_empty() {
        lines.push(Line::styled(
            texts::no_change_since(l, review.since),
            theme.dim(),
        ));
    } else {
        lines.push(Line::styled(
            text::truncate(
                &texts::changes_header(
                    l,
                    review.since,
                    &crate::i18n::review::cards(l, review.cards.len()),
                ),
                width,
            ),
            theme.title(),
        ));
        lines.extend(crate::tui::screens::changes::counts_lines(
            app, theme, review, width, false,
        ));
    }

    // The card walked through.
    lines.push(Line::raw(""));
    match (&o.walked, o.walk) {
        (Some(w), Some(i)) => {
            let opp = &w.opportunity;
            let title = text::truncate(&opp.fields.title, width.saturating_sub(18));
            let heading = match o.walked_change() {
                Some(_) => texts::walked_change(l, i + 1, o.session.order.len(), &title),
                None => texts::walked_card(l, i + 1, o.cards, &title),
            };
            lines.push(Line::styled(heading, theme.title()));
            for change in o.walked_change().map_or(&[][..], |c| &c.changes) {
                let style = if change.is_warning() {
                    theme.warn()
                } else {
                    Style::new()
                };
                let said = crate::tui::screens::changes::change_text(app, change);
                lines.push(Line::styled(
                    format!("  {}", text::truncate(&said, width.saturating_sub(2))),
                    style,
                ));
            }
            let (evidence, style) = if w.evidence {
                (texts::evidence_confirmed_mark(l), theme.good())
            } else {
                (texts::evidence_missing(l), theme.warn())
            };
            lines.push(Line::from(vec![
                Span::raw(format!(
                    "  {} · ",
                    text::truncate(&app.catalog.info(opp.stage).short, 14)
                )),
                Span::styled(evidence, style),
            ]));
            lines.push(Line::raw(format!(
                "  {}",
                texts::checklist_asked(l, w.asked, w.questions)
            )));
            // The changes walked through already say the moves since the previous meeting.
            let moved = o.walked_change().is_some_and(|c| {
                c.changes.iter().any(|c| {
                    matches!(
                        c,
                        Change::Forward { .. }
                            | Change::Backward { .. }
                            | Change::Unverified { .. }
                    )
                })
            });
            let last = match &w.last_move {
                _ if moved => Vec::new(),
                Some(e) => {
                    let from = e
                        .from_stage
                        .map(|s| app.catalog.info(s).short.clone())
                        .unwrap_or_default();
                    let verified = if e.evidence_confirmed {
                        Span::styled(texts::verified(l), theme.dim())
                    } else {
                        Span::styled(texts::unverified_warning(l), theme.warn())
                    };
                    let to = &app.catalog.info(e.to_stage).short;
                    vec![
                        Span::raw(format!(
                            "  {} · ",
                            texts::last_move(l, &from, to, e.at.date())
                        )),
                        verified,
                    ]
                }
                None => vec![Span::styled(
                    format!("  {}", texts::no_move_yet(l)),
                    theme.dim(),
                )],
            };
            if !last.is_empty() {
                lines.push(Line::from(last));
            }
            if let Some(note) = o.session.card_note(&opp.id) {
                let note = text::truncate(note, width.saturating_sub(9));
                lines.push(Line::raw(format!("  {}", texts::card_note(l, &note))));
            }
        }
        _ => lines.push(Line::styled(texts::no_open_card(l), theme.dim())),
    }

    // Meeting note and action plan.
    lines.push(Line::raw(""));
    let keep = o
        .session
        .plan_lines(app, theme, Table::OneToOne, width, &mut lines);
    let keep = keep..lines.len();
    ui::draw_scrolled_panel(app, theme, frame, area, block, lines, keep);
}
