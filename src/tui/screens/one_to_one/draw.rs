//! The one-to-one side panel: the seller's figures (the same as `report --json --by owner`),
//! their conversion beside the team's with the weakest stage marked, the meeting clock, the
//! card walked through, the meeting note and the action plan.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType};

use super::{MEETING_MINUTES, OneToOne};
use crate::domain::insight::Ratio;
use crate::domain::money::format_compact;
use crate::domain::{Stage, text};
use crate::i18n::{self, texts};
use crate::tui::app::{App, tr};
use crate::tui::ui::{self, Theme};

/// The side panel.
pub fn draw(app: &App, o: &OneToOne, frame: &mut Frame, area: Rect) {
    let theme = Theme::of(app);
    let l = app.lang;
    let t = texts(l);
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(theme.focused_border())
        .title(Span::styled(
            format!(
                " {} · {} ",
                tr(l, "One-to-one", "Entretien"),
                text::truncate(&o.meeting.owner, 28)
            ),
            theme.title(),
        ));
    let width = usize::from(block.inner(area).width);
    let mut lines: Vec<Line> = Vec::new();

    // The meeting clock, by the store's clock.
    let elapsed = o.elapsed(app);
    let minutes = elapsed.num_minutes();
    let clock = format!("{:02}:{:02}", minutes, elapsed.num_seconds() % 60);
    let (clock_text, clock_style) = if minutes >= MEETING_MINUTES {
        (
            format!(
                "⚑ {clock} — {}",
                tr(l, "past the hour", "l'heure est passée")
            ),
            theme.error(),
        )
    } else {
        (format!("⏱ {clock} / {MEETING_MINUTES}:00"), theme.title())
    };
    lines.push(Line::from(vec![
        Span::styled(clock_text, clock_style),
        Span::styled(format!(" · {}", o.meeting.held_on), theme.dim()),
    ]));

    // Figures: the seller's, as the report gives them.
    let s = &app.summary;
    let money = |cents: i128| format_compact(cents, &app.funnel.currency, l);
    let none = || t.none.to_owned();
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
        (t.rtv.to_owned(), money(s.rtv_cents)),
        (
            tr(l, "Sales to date", "Ventes à date"),
            money(s.sales_to_date_cents),
        ),
        (t.target.to_owned(), s.target_cents.map_or_else(none, money)),
        (
            t.gap.to_owned(),
            s.gap_cents.map_or_else(none, |g| money(g.max(0))),
        ),
        (t.factor.to_owned(), factor),
        (t.probability_short.to_owned(), probability),
        (
            t.win_rate.to_owned(),
            s.win_rate.map_or_else(none, |r| i18n::percent(r, l)),
        ),
    ];
    let half = width.saturating_sub(1) / 2;
    for pair in pairs.chunks(2) {
        let mut spans = Vec::new();
        for (i, (label, value)) in pair.iter().enumerate() {
            let value_width = 8.min(half);
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
        Some(team) => (tr(l, "team", "équipe"), text::truncate(team, 13)),
        None => (tr(l, "funnel", "entonnoir"), String::new()),
    };
    lines.push(Line::styled(
        format!(
            "{:<15}{:>8}{:>9} {team_name}",
            tr(l, "Conversion", "Conversion"),
            tr(l, "seller", "vendeur"),
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
                spans.push(Span::raw(format!(
                    " {}",
                    tr(l, "◀ weakest", "◀ plus faible")
                )));
            }
            let style = if weak { theme.warn() } else { Style::new() };
            lines.push(Line::from(spans).style(style));
        }
    }
    let hint = weakest.map_or_else(
        || tr(l, "no stage history yet", "pas encore d'historique"),
        |s| app.stage_name(s).to_owned(),
    );
    lines.push(Line::raw(format!(
        "{} {hint}",
        tr(
            l,
            "Skill to develop (hint):",
            "Compétence à développer (piste) :"
        )
    )));
    lines.push(Line::from(vec![
        Span::raw(format!(
            "{} ",
            tr(l, "Chosen skill:", "Compétence choisie :")
        )),
        if o.meeting.skill.is_empty() {
            Span::styled(tr(l, "— (s chooses)", "— (s pour choisir)"), theme.dim())
        } else {
            Span::styled(o.meeting.skill.clone(), theme.title())
        },
    ]));

    // The card walked through.
    lines.push(Line::raw(""));
    match (&o.walked, o.walk) {
        (Some(w), Some(i)) => {
            let opp = &w.opportunity;
            lines.push(Line::styled(
                format!(
                    "{} {}/{} · {}",
                    tr(l, "Card", "Carte"),
                    i + 1,
                    o.cards,
                    text::truncate(&opp.fields.title, width.saturating_sub(14))
                ),
                theme.title(),
            ));
            let (evidence, style) = if w.evidence {
                (
                    tr(l, "✓ evidence confirmed", "✓ preuve confirmée"),
                    theme.good(),
                )
            } else {
                (
                    tr(l, "✗ evidence missing", "✗ preuve manquante"),
                    theme.warn(),
                )
            };
            lines.push(Line::from(vec![
                Span::raw(format!(
                    "  {} · ",
                    text::truncate(&app.catalog.info(opp.stage).short, 14)
                )),
                Span::styled(evidence, style),
            ]));
            lines.push(Line::raw(format!(
                "  {} {}/{}",
                tr(l, "checklist asked", "questions posées"),
                w.asked,
                w.questions
            )));
            let last = match &w.last_move {
                Some(e) => {
                    let from = e
                        .from_stage
                        .map(|s| app.catalog.info(s).short.clone())
                        .unwrap_or_default();
                    let verified = if e.evidence_confirmed {
                        Span::styled(tr(l, "verified", "vérifié"), theme.dim())
                    } else {
                        Span::styled(tr(l, "⚠ unverified", "⚠ non vérifié"), theme.warn())
                    };
                    vec![
                        Span::raw(format!(
                            "  {} {from} → {} {} · ",
                            tr(l, "last move", "dernier pas"),
                            app.catalog.info(e.to_stage).short,
                            e.at.date()
                        )),
                        verified,
                    ]
                }
                None => vec![Span::styled(
                    format!("  {}", tr(l, "no move yet", "aucun déplacement")),
                    theme.dim(),
                )],
            };
            lines.push(Line::from(last));
            if let Some(note) = o.card_note(&opp.id) {
                lines.push(Line::raw(format!(
                    "  {} {}",
                    tr(l, "note:", "note :"),
                    text::truncate(note, width.saturating_sub(9))
                )));
            }
        }
        _ => lines.push(Line::styled(
            tr(
                l,
                "No open card for this seller",
                "Aucune carte ouverte pour ce vendeur",
            ),
            theme.dim(),
        )),
    }

    // Meeting note and action plan.
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled(format!("{} ", tr(l, "Note:", "Note :")), theme.title()),
        if o.meeting.notes.is_empty() {
            Span::styled(tr(l, "— (m writes it)", "— (m pour l'écrire)"), theme.dim())
        } else {
            Span::raw(text::truncate(&o.meeting.notes, width.saturating_sub(7)))
        },
    ]));
    lines.push(Line::styled(
        format!(
            "{} ({})",
            tr(l, "Action plan", "Plan d'action"),
            tr(
                l,
                "↻ = from an earlier meeting",
                "↻ = d'un entretien précédent"
            )
        ),
        theme.title(),
    ));
    // The panel scrolls to the selected item (or the empty plan's hint) and the rest of the plan
    // when it does not fit, so that what `i`, `Space` and `a` act on is on screen.
    let mut keep = lines.len();
    if o.item_count() == 0 {
        lines.push(Line::styled(
            tr(l, "  — (a adds an item)", "  — (a pour ajouter une action)"),
            theme.dim(),
        ));
    }
    for (i, (item, carried)) in o.all_items().enumerate() {
        let mut line = format!(
            "{}{} {}",
            if carried { "↻" } else { " " },
            if item.done { "☑" } else { "☐" },
            item.text
        );
        if !item.owner.is_empty() {
            line.push_str(&format!(" — {}", item.owner));
        }
        if let Some(due) = item.due {
            line.push_str(&format!(" · {due}"));
        }
        if i == o.item {
            keep = lines.len();
        }
        let style = if i == o.item {
            theme.selected()
        } else if item.done {
            theme.dim()
        } else {
            Style::new()
        };
        lines.push(Line::styled(text::truncate(&line, width), style));
    }
    let keep = keep..lines.len();
    ui::draw_scrolled_panel(app, theme, frame, area, block, lines, keep);
}
