//! Pop-ups over the board: help, the evidence question, text prompts, the delete confirmation,
//! forms and the owner picker.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_segmentation::UnicodeSegmentation;

use super::Theme;
use super::board::centered;
use crate::domain::text;
use crate::tui::app::{App, Mode, Prompt};
use crate::tui::form::Form;
use crate::tui::input::Input;
use crate::tui::keymap::{self, Binding};
use crate::tui::update::tr;

pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let l = app.lang;
    match &app.mode {
        Mode::Board | Mode::Detail | Mode::Dashboard | Mode::OneToOne => {}
        Mode::Help { back } => {
            let table = match back.as_ref() {
                Mode::Detail => keymap::DETAIL,
                Mode::Dashboard => keymap::DASHBOARD,
                Mode::OneToOne => keymap::ONE_TO_ONE,
                _ => keymap::BOARD,
            };
            draw_help(app, theme, frame, area, table);
        }
        Mode::EvidencePrompt { card, from, to } => {
            let info = app.catalog.info(*from);
            let lines = vec![
                Line::styled(text::truncate(&card.title, 60), theme.title()),
                Line::raw(""),
                Line::raw(format!(
                    "{} → {}: {}",
                    app.stage_name(*from),
                    app.stage_name(*to),
                    tr(
                        l,
                        "leaving this stage needs its evidence, not confirmed yet:",
                        "quitter cette étape demande sa preuve, pas encore confirmée :"
                    ),
                )),
                Line::styled(info.evidence.clone(), theme.dim()),
                Line::raw(""),
                hint_line(app, theme, keymap::EVIDENCE_PROMPT),
            ];
            popup(
                frame,
                area,
                tr(l, " Evidence ", " Preuve "),
                lines,
                theme,
                70,
            );
        }
        Mode::ConfirmDelete { card } => {
            let lines = vec![
                Line::raw(format!(
                    "{} \"{}\"?",
                    tr(l, "Delete", "Supprimer"),
                    text::truncate(&card.title, 50)
                )),
                Line::styled(
                    tr(l, "(u undoes it afterwards)", "(u l'annule ensuite)"),
                    theme.dim(),
                ),
                Line::raw(""),
                hint_line(app, theme, keymap::CONFIRM),
            ];
            popup(
                frame,
                area,
                tr(l, " Delete ", " Supprimer "),
                lines,
                theme,
                60,
            );
        }
        Mode::Text { prompt, input, .. } => draw_prompt(app, theme, frame, area, prompt, input),
        Mode::Form { form, .. } => draw_form(app, theme, frame, area, form),
        Mode::Conflicts { list, selected } => {
            let mut lines: Vec<Line> = list
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let kept = match c.winner {
                        crate::store::Keep::Mine => tr(l, "mine kept", "le mien gardé"),
                        crate::store::Keep::Theirs => tr(l, "theirs kept", "le leur gardé"),
                    };
                    let text = format!(
                        " {} · {kept} ",
                        text::truncate(&text::clean_line(&c.title), 50)
                    );
                    Line::styled(text, theme.selected_if(i == *selected))
                })
                .collect();
            lines.push(Line::raw(""));
            if let Some(c) = list.get(*selected) {
                for (field, mine, theirs) in c.differences() {
                    let show = |v: &serde_json::Value| {
                        text::truncate(&text::clean_line(&v.to_string()), 24)
                    };
                    lines.push(Line::raw(format!(
                        "{field}: {} {} · {} {}",
                        tr(l, "mine", "le mien"),
                        show(&mine),
                        tr(l, "theirs", "le leur"),
                        show(&theirs)
                    )));
                }
            }
            lines.push(Line::raw(""));
            lines.push(hint_line(app, theme, keymap::CONFLICTS));
            popup(
                frame,
                area,
                tr(l, " Sync conflicts ", " Conflits de synchro "),
                lines,
                theme,
                90,
            );
        }
        Mode::OwnerPicker { owners, selected } | Mode::SellerPicker { owners, selected } => {
            let mut lines: Vec<Line> = owners
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    Line::styled(
                        format!(" {} ", text::truncate(o, 40)),
                        theme.selected_if(i == *selected),
                    )
                })
                .collect();
            lines.push(Line::raw(""));
            lines.push(hint_line(app, theme, keymap::PICKER));
            popup(
                frame,
                area,
                if matches!(app.mode, Mode::SellerPicker { .. }) {
                    tr(l, " One-to-one with ", " Entretien avec ")
                } else {
                    tr(l, " Show one seller ", " Afficher un vendeur ")
                },
                lines,
                theme,
                50,
            );
        }
    }
}

fn hint_line(app: &App, theme: Theme, table: &[Binding]) -> Line<'static> {
    let mut spans = Vec::new();
    for b in table.iter().filter(|b| !b.hint(app.lang).is_empty()) {
        spans.push(Span::styled(b.keys[0].label(), theme.key()));
        spans.push(Span::raw(format!(" {}   ", b.hint(app.lang))));
    }
    Line::from(spans)
}

/// A bordered box in the middle of the screen, at most `max_width` wide.
fn popup(
    frame: &mut Frame,
    area: Rect,
    title: String,
    lines: Vec<Line>,
    theme: Theme,
    max_width: u16,
) -> Rect {
    let width = popup_width(area, max_width);
    // Rows after wrapping, so the last line (the key hints) is never cut off.
    let rows = super::wrapped_rows(&lines, width - 2);
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(area.height);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(theme.key())
        .title(Span::styled(title, theme.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
    rect
}

/// The width of a pop-up in `area`, at most `max_width`.
fn popup_width(area: Rect, max_width: u16) -> u16 {
    max_width.min(area.width.saturating_sub(2)).max(10)
}

fn draw_help(app: &App, theme: Theme, frame: &mut Frame, area: Rect, table: &[Binding]) {
    let key_width = table
        .iter()
        .map(|b| text::width(&b.keys_label()))
        .max()
        .unwrap_or(0);
    // One column when the table fits the height, else two side by side (short terminals).
    let rows_available = usize::from(area.height.saturating_sub(6));
    let columns = if table.len() <= rows_available { 1 } else { 2 };
    let per_column = table.len().div_ceil(columns);
    let cell_width = usize::from(area.width.saturating_sub(4)) / columns;
    let cell = |b: &Binding| -> Vec<Span<'static>> {
        let help = text::truncate(b.help(app.lang), cell_width.saturating_sub(key_width + 3));
        vec![
            Span::styled(text::pad(&b.keys_label(), key_width + 2), theme.key()),
            Span::raw(if columns == 1 {
                help
            } else {
                text::pad(&help, cell_width - key_width - 2)
            }),
        ]
    };
    let mut lines: Vec<Line> = (0..per_column)
        .map(|row| {
            Line::from(
                (0..columns)
                    .filter_map(|c| table.get(c * per_column + row))
                    .flat_map(cell)
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    lines.push(Line::raw(""));
    let legend = if std::ptr::eq(table, keymap::DASHBOARD) {
        tr(
            app.lang,
            "Factor ▼ below, ≈ near (within 10%), ▲ above the required factor. ! marks the weakest stage step and a funnel that depends on a few customers. Stale: days in stage / expected days.",
            "Facteur ▼ en dessous, ≈ proche (à 10 % près), ▲ au-dessus du facteur requis. ! signale l'étape la plus faible et un entonnoir qui dépend de quelques clients. Retard : jours dans l'étape / jours prévus.",
        )
    } else {
        tr(
            app.lang,
            "Double borders: viable stages, counted in RTV. On cards: 12d = days in stage (! = stale), 3/5 = questions asked, ✓ = evidence confirmed.",
            "Bordures doubles : étapes viables, comptées dans la RTV. Sur les cartes : 12j = jours dans l'étape (! = en retard), 3/5 = questions posées, ✓ = preuve confirmée.",
        )
    };
    lines.push(Line::styled(legend, theme.dim()));
    popup(
        frame,
        area,
        tr(
            app.lang,
            " Keys (Esc closes) ",
            " Touches (Échap pour fermer) ",
        ),
        lines,
        theme,
        if columns == 1 { 100 } else { area.width },
    );
}

fn draw_prompt(
    app: &App,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
    prompt: &Prompt,
    input: &Input,
) {
    let l = app.lang;
    let (title, label) = match prompt {
        Prompt::Filter => (
            tr(l, " Filter ", " Filtre "),
            tr(
                l,
                "Title, account, owner, team or region contains:",
                "Titre, compte, vendeur, équipe ou région contient :",
            ),
        ),
        Prompt::LostReason(card) => (
            tr(l, " Lost ", " Perdue "),
            format!(
                "{} \"{}\":",
                tr(l, "Why was it lost", "Pourquoi a-t-elle été perdue"),
                text::truncate(&card.title, 40)
            ),
        ),
        Prompt::WonDate(card) => (
            tr(l, " Won ", " Gagnée "),
            format!(
                "\"{}\" — {}",
                text::truncate(&card.title, 40),
                tr(
                    l,
                    "closing date (YYYY-MM-DD):",
                    "date de clôture (AAAA-MM-JJ) :"
                )
            ),
        ),
        Prompt::EvidenceNote { stage, .. } => (
            tr(l, " Evidence ", " Preuve "),
            format!(
                "{} — {}",
                app.catalog.info(*stage).evidence,
                tr(l, "note (optional):", "note (facultative) :")
            ),
        ),
        Prompt::Meeting(prompt) => super::one_to_one::prompt_text(app, prompt),
        Prompt::Answer { .. } => (
            tr(l, " Answer ", " Réponse "),
            tr(l, "The customer's answer:", "La réponse du client :"),
        ),
        Prompt::Target => (
            tr(l, " Target ", " Objectif "),
            format!(
                "{} {}{} ({}):",
                tr(l, "Sales target for", "Objectif de ventes pour"),
                app.period,
                app.filter
                    .owner
                    .as_ref()
                    .map(|o| format!(" — {o}"))
                    .unwrap_or_default(),
                app.funnel.currency
            ),
        ),
    };
    // The text wraps at the box's edge and scrolls, as little as needed, to keep the cursor's
    // row in view: a long note fills the box up to the terminal's height, no more.
    let width = popup_width(area, 80);
    let inner = width - 2;
    let label = Line::raw(label);
    let hint = hint_line(app, theme, keymap::TEXT_INPUT);
    let around = super::wrapped_rows(&[label.clone(), hint.clone()], inner) + 2;
    let room = usize::from(area.height.saturating_sub(2))
        .saturating_sub(around)
        .max(1);
    let (rows, cursor) = input_rows(input, usize::from(inner));
    let first = (cursor.0 + 1).saturating_sub(room);
    let label_rows = super::wrapped_rows(std::slice::from_ref(&label), inner);
    let mut lines = vec![label, Line::raw("")];
    lines.extend(rows.into_iter().skip(first).take(room).map(Line::raw));
    lines.extend([Line::raw(""), hint]);
    let rect = popup(frame, area, title, lines, theme, 80);
    let row = 1 + label_rows + 1 + (cursor.0 - first);
    let x = rect.x + 1 + u16::try_from(cursor.1).unwrap_or(u16::MAX);
    let y = rect.y + u16::try_from(row).unwrap_or(u16::MAX);
    if x < rect.right().saturating_sub(1) && y < rect.bottom().saturating_sub(1) {
        frame.set_cursor_position(Position { x, y });
    }
}

/// A text field's text after `> `, cut into rows of at most `width` columns (by grapheme, the
/// rows after the first indented under it), and the cursor's row and column. The cursor after
/// a full row starts the next one, so it is never drawn on the box's border.
fn input_rows(input: &Input, width: usize) -> (Vec<String>, (usize, usize)) {
    const INDENT: usize = 2;
    let mut rows = vec![String::from("> ")];
    let mut used = INDENT;
    let mut chars = 0;
    let mut cursor = None;
    for grapheme in input.value().graphemes(true) {
        let cols = text::width(grapheme);
        if used + cols > width {
            rows.push(" ".repeat(INDENT));
            used = INDENT;
        }
        if cursor.is_none() && chars + grapheme.chars().count() > input.cursor() {
            cursor = Some((rows.len() - 1, used));
        }
        rows.last_mut()
            .expect("one row at least")
            .push_str(grapheme);
        used += cols;
        chars += grapheme.chars().count();
    }
    let cursor = cursor.unwrap_or_else(|| {
        if used >= width {
            rows.push(" ".repeat(INDENT));
            used = INDENT;
        }
        (rows.len() - 1, used)
    });
    (rows, cursor)
}

fn draw_form(app: &App, theme: Theme, frame: &mut Frame, area: Rect, form: &Form) {
    let l = app.lang;
    let label_width = form
        .fields
        .iter()
        .map(|f| text::width(f.key.label(l)))
        .max()
        .unwrap_or(0);
    let mut fields = Vec::new();
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let mut spans = vec![
            Span::styled(
                text::pad(field.key.label(l), label_width + 1),
                if focused { theme.key() } else { theme.dim() },
            ),
            Span::styled(
                format!(" {}", field.input.value()),
                theme.selected_if(focused),
            ),
        ];
        if let Some(error) = &field.error {
            spans.push(Span::styled(format!("  ✗ {error}"), theme.error()));
        }
        fields.push(Line::from(spans));
    }
    let title = match &form.kind {
        crate::tui::form::FormKind::NewCard { stage } => format!(
            " {} — {} ",
            tr(l, "New opportunity", "Nouvelle opportunité"),
            app.stage_name(*stage)
        ),
        crate::tui::form::FormKind::EditCard { .. } => {
            tr(l, " Edit opportunity ", " Modifier l'opportunité ")
        }
        crate::tui::form::FormKind::Person { .. } => {
            tr(l, " Buying centre: person ", " Centre d'achat : personne ")
        }
    };
    // The fields, a line that counts the fields below the box, the key hints. The fields scroll
    // to the focused one (its error beside it) when the terminal is too short for them all.
    let width = popup_width(area, 90);
    let hint = hint_line(app, theme, keymap::FORM);
    let hint_rows = super::wrapped_rows(std::slice::from_ref(&hint), width - 2);
    let rows = super::wrapped_rows(&fields, width - 2) + 1 + hint_rows;
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(area.height);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let mut block = Block::bordered()
        .border_style(theme.key())
        .title(Span::styled(title, theme.title()));
    let [fields_area, more_area, hint_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(u16::try_from(hint_rows).unwrap_or(u16::MAX)),
    ])
    .areas(block.inner(rect));
    let scrolled = super::draw_scrolled(frame, fields_area, fields, form.focus..form.focus + 1);
    if let Some(above) = super::more_above(scrolled.above, theme) {
        block = block.title_top(above);
    }
    frame.render_widget(block, rect);
    if let Some(below) = super::more_below(scrolled.below, l, theme) {
        frame.render_widget(below, more_area);
    }
    frame.render_widget(Paragraph::new(hint).wrap(Wrap { trim: false }), hint_area);
    let focused = &form.fields[form.focus].input;
    let before: String = focused.value().chars().take(focused.cursor()).collect();
    let x = rect.x + 1 + label_width as u16 + 2 + text::width(&before) as u16;
    let y = scrolled.kept_row;
    if x < rect.right().saturating_sub(1) && y < fields_area.bottom() {
        frame.set_cursor_position(Position { x, y });
    }
}
