//! Drawing the board: the columns in view, each with its totals and the cards on screen.
//! Viable stages (from "commits to invest" on, the ones counted in RTV) have double borders.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::columns::FLAG_COUNT_CAP;
use super::{Board, CARD_HEIGHT, Column, Drawn};
use crate::domain::money::format_compact;
use crate::domain::{Flag, Flags, Stage, Status, text};
use crate::store::Card;
use crate::tui::app::App;
use crate::tui::texts;
use crate::tui::ui::{Theme, popup, put_line};

impl Board {
    /// Draws the columns in view into `area`, and keeps where each column's cards went.
    pub fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let theme = Theme::of(app);
        let visible = self.visible_columns();
        let areas = Layout::horizontal(vec![Constraint::Fill(1); visible]).split(area);
        let mut drawn: Drawn = [None; Stage::COUNT];
        for (slot, column_area) in areas.iter().enumerate() {
            let index = self.first_column + slot;
            if let Some(stage) = Stage::from_index(index) {
                let cards = self.draw_column(app, theme, frame, *column_area, stage);
                drawn[slot] = Some((index, cards));
            }
        }
        self.drawn.set(drawn);
        let empty = self.columns.iter().all(|c| c.count == 0);
        if empty && app.filter == Default::default() {
            draw_first_run_hint(app, theme, frame, area);
        }
    }
}

impl Board {
    /// Draws one column; returns the area its cards take.
    fn draw_column(
        &self,
        app: &App,
        theme: Theme,
        frame: &mut Frame,
        area: Rect,
        stage: Stage,
    ) -> Rect {
        let column: &Column = &self.columns[stage.index()];
        let focused = self.focus == stage.index();
        let info = app.catalog.info(stage);
        let inner_width = usize::from(area.width.saturating_sub(2));
        let name = if text::width(&info.name) + 2 <= inner_width {
            &info.name
        } else {
            &info.short
        };
        let border_style = if focused {
            theme.focused_border()
        } else if stage.is_viable() {
            theme.viable_border()
        } else {
            Style::new()
        };
        let block = Block::bordered()
            .border_type(if stage.is_viable() {
                BorderType::Double
            } else {
                BorderType::Plain
            })
            .border_style(border_style)
            .title(Span::styled(
                format!(" {} ", text::truncate(name, inner_width.saturating_sub(2))),
                theme.title(),
            ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [header, cards_area, more_below] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        let sum = format_compact(column.value_cents, &app.funnel.currency, app.lang);
        let above = if column.offset > 0 {
            format!("  ↑ {}", column.offset)
        } else {
            String::new()
        };
        let mut first_line = vec![
            Span::styled(format!("{} · ", column.count), theme.title()),
            Span::styled(sum, theme.money()),
        ];
        // Cards needing the seller: next step overdue (!) or missing (?), expected close
        // passed (⧖), as the funnel checks them.
        for (flag, mark, style) in [
            (Flag::Overdue, "!", theme.stale()),
            (Flag::NoNextStep, "?", theme.warn()),
            (Flag::ClosePassed, "⧖", theme.warn()),
        ] {
            let n = column.flagged.get(flag) as usize;
            if n > 0 && app.upkeep.flags.contains(flag) {
                let n = if n >= FLAG_COUNT_CAP {
                    format!("{}+", FLAG_COUNT_CAP - 1)
                } else {
                    n.to_string()
                };
                first_line.push(Span::styled(format!(" {mark}{n}"), style));
            }
        }
        first_line.push(Span::styled(above, theme.dim()));
        let header_lines = vec![
            Line::from(first_line),
            Line::styled("─".repeat(inner_width), theme.dim()),
        ];
        let buffer = frame.buffer_mut();
        for (y, line) in (header.y..header.bottom()).zip(&header_lines) {
            put_line(buffer, header.x, y, line, header.width);
        }
        let cards = column.on_screen(self.page_size());
        for (i, card) in cards.iter().enumerate() {
            let selected = focused && column.offset + i == column.selected;
            // Three lines per card and a gap between cards (none needed after the last).
            let card_area = Rect {
                y: cards_area.y + i as u16 * CARD_HEIGHT,
                height: 3,
                ..cards_area
            };
            if card_area.bottom() <= cards_area.bottom() {
                draw_card(app, theme, frame, card_area, card, selected);
            }
        }
        let below = usize::try_from(column.count)
            .unwrap_or(0)
            .saturating_sub(column.offset + cards.len());
        if below > 0 {
            let text = format!("↓ {below} {}", texts::more(app.lang));
            frame.render_widget(
                Paragraph::new(Span::styled(text, theme.dim())).alignment(Alignment::Center),
                more_below,
            );
        }
        cards_area
    }
}

fn draw_card(app: &App, theme: Theme, frame: &mut Frame, area: Rect, card: &Card, selected: bool) {
    let opp = &card.opportunity;
    let width = usize::from(area.width);
    let marker = if selected { "▌" } else { " " };
    let body = width.saturating_sub(1);
    let who: Vec<&str> = [opp.fields.account.as_str(), opp.fields.owner.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let value = format_compact(
        opp.fields.value_cents.into(),
        &app.funnel.currency,
        app.lang,
    );
    let mut meta: Vec<Span> = Vec::new();
    match opp.status {
        Status::Open => {
            let days = opp.days_in_stage(app.today);
            let stale = app.is_stale(opp);
            let day = texts::days_short(app.lang);
            meta.push(Span::styled(
                format!("{days}{day}{}", if stale { "!" } else { "" }),
                if stale { theme.stale() } else { theme.dim() },
            ));
            // Always read for a card on screen; left out rather than guessed should a read
            // have failed.
            if let Some(progress) = card.progress {
                let questions = app.catalog.info(opp.stage).questions.len();
                meta.push(Span::styled(
                    format!(" {}/{questions}", progress.asked.min(questions)),
                    theme.dim(),
                ));
                let (mark, style) = if progress.evidence {
                    (" ✓", theme.good())
                } else {
                    (" ·", theme.dim())
                };
                meta.push(Span::styled(mark, style));
            }
            meta.extend(upkeep_marks(theme, app.flags_of(opp, card.last_activity)));
        }
        Status::Won => meta.push(Span::styled(texts::won_badge(app.lang), theme.good())),
        Status::Lost => meta.push(Span::styled(texts::lost_badge(app.lang), theme.error())),
    }
    let mut meta_width: usize = meta.iter().map(|s| text::width(&s.content)).sum();
    // A later next step's day, where the card has room for it beside the value.
    if opp.status == Status::Open
        && let Some(due) = opp.fields.next_step_due.filter(|d| *d > app.today)
    {
        let day = format!(" →{}", due.format("%d/%m"));
        let width = text::width(&day);
        if text::width(&value) + 1 + meta_width + width <= body {
            meta_width += width;
            meta.push(Span::styled(day, theme.dim()));
        }
    }
    let value_width = body.saturating_sub(meta_width + 1).max(1);
    let value_text = text::pad(&value, value_width);
    let mut third = vec![
        Span::raw(marker),
        Span::styled(value_text, theme.money()),
        Span::raw(" "),
    ];
    third.extend(meta);
    let base = if selected {
        theme.selected()
    } else {
        Style::new()
    };
    let lines = [
        Line::from(vec![
            Span::raw(marker),
            Span::styled(text::truncate(&opp.fields.title, body), theme.title()),
        ]),
        Line::from(vec![
            Span::raw(marker),
            Span::styled(text::truncate(&who.join(" · "), body), theme.dim()),
        ]),
        Line::from(third),
    ];
    // Straight into the buffer: cards are most of a frame, and a paragraph per card would
    // re-split every line into graphemes to wrap or align what already fits.
    let buffer = frame.buffer_mut();
    buffer.set_style(area, base);
    for (y, line) in (area.y..area.bottom()).zip(&lines) {
        put_line(buffer, area.x, y, line, area.width);
    }
}

/// The marks of what needs the seller on an open card, most urgent first (the help's legend
/// names each): the next step overdue, due today or missing, the close date passed, no recent
/// activity. Too long in the stage is the `!` after the days.
fn upkeep_marks(theme: Theme, flags: Flags) -> impl Iterator<Item = Span<'static>> {
    flags.iter().filter_map(move |flag| {
        let (mark, style) = match flag {
            Flag::Overdue => (" !", theme.stale()),
            Flag::DueToday => (" •", theme.warn()),
            Flag::NoNextStep => (" ?", theme.warn()),
            Flag::ClosePassed => (" ⧖", theme.error()),
            Flag::Inactive => (" z", theme.dim()),
            Flag::OverStage => return None,
        };
        Some(Span::styled(mark, style))
    })
}

fn draw_first_run_hint(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let l = app.lang;
    let lines: Vec<Line> = [
        texts::first_run(l),
        "",
        texts::first_run_add(l),
        texts::first_run_import(l),
        texts::first_run_demo(l),
        texts::first_run_keys(l),
    ]
    .into_iter()
    .map(Line::from)
    .collect();
    let width = lines.iter().map(|l| l.width()).max().unwrap_or(0) as u16 + 4;
    let height = lines.len() as u16 + 2;
    let popup = popup::centered(area, width, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().border_style(theme.key()))
            .wrap(Wrap { trim: false }),
        popup,
    );
}
