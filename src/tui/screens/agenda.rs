//! The agenda: what needs the seller now, across their open cards. Every flagged card is one
//! line under its most urgent flag (overdue next steps, due today, close date passed, no next
//! step, too long in its stage, no recent activity), the most urgent and biggest first as the
//! store orders them. From a line the seller acts at once: marks the step done (then sets the
//! next), reschedules it, logs an activity, opens the card or goes to it on the board; the list
//! is read again after each change and the selection stays on its card. Above the cards, the
//! user's open action items of their one-to-ones (overdue first) are a group of their own, and
//! `Space` ticks one done.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use super::board::{Board, cards};
use super::{Ctx, Open, View};
use crate::domain::money::format_compact;
use crate::domain::{Flag, Opportunity, text};
use crate::store::{self, ActionItem, Result};
use crate::tui::action::Action;
use crate::tui::app::{App, quoted};
use crate::tui::keymap::Table;
use crate::tui::overlays::{Help, Overlay, step};
use crate::tui::texts;
use crate::tui::ui::{self, Theme, title};

/// At most this many lines are read: the most urgent, which are a day's work and more.
pub const LIMIT: usize = 500;

#[derive(Debug, Clone, PartialEq)]
pub struct Agenda {
    /// The configured user's cards only (else everyone's).
    pub mine: bool,
    pub agenda: store::Agenda,
    /// The user's open action items, due first (none when everyone's cards are shown).
    pub items: Vec<ActionItem>,
    /// Index over the action items, then the agenda's lines.
    pub selected: usize,
    /// The line the seller last acted from: where the selection goes back to once the card
    /// leaves the agenda (done, then given a next step, it moves through other groups first).
    pub acted_at: Option<usize>,
}

impl Agenda {
    fn load(app: &App, mine: bool) -> Result<store::Agenda> {
        let owner = app.user.as_deref().filter(|_| mine);
        app.store.agenda(
            &app.funnel,
            owner,
            app.today,
            &app.upkeep,
            &app.expected_days,
            LIMIT,
        )
    }

    /// The user's open action items, when their own cards are shown.
    fn load_items(app: &App, mine: bool) -> Result<Vec<ActionItem>> {
        match app.user.as_deref().filter(|_| mine) {
            Some(user) => app.store.open_action_items(&app.funnel, user),
            None => Ok(Vec::new()),
        }
    }

    /// The card of the selected line.
    pub fn selected_card(&self) -> Option<&Opportunity> {
        let line = self.selected.checked_sub(self.items.len())?;
        self.agenda.lines.get(line).map(|l| &l.card)
    }

    /// The selected action item.
    pub fn selected_item(&self) -> Option<&ActionItem> {
        self.items.get(self.selected)
    }

    fn len(&self) -> usize {
        self.items.len() + self.agenda.lines.len()
    }

    fn last(&self) -> usize {
        self.len().saturating_sub(1)
    }

    /// The lines a page holds (the screen's height less its frame and headings, about).
    fn page(app: &App) -> usize {
        usize::from(app.height.saturating_sub(10)).max(1)
    }
}

impl View for Agenda {
    type Request = ();

    fn open((): (), app: &mut App, _board: &mut Board) -> Result<Agenda> {
        let mine = app.user.is_some();
        Ok(Agenda {
            mine,
            agenda: Agenda::load(app, mine)?,
            items: Agenda::load_items(app, mine)?,
            selected: 0,
            acted_at: None,
        })
    }

    fn table(&self) -> Table {
        Table::Agenda
    }

    fn update(&mut self, cx: &mut Ctx, action: &Action) -> Result<()> {
        let app = &mut *cx.app;
        let page = Agenda::page(app);
        if !matches!(action, Action::Help) {
            self.acted_at = None;
        }
        match action {
            Action::Up | Action::Down => {
                self.selected = step(self.selected, self.len(), *action == Action::Up);
            }
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = self.last(),
            Action::PageUp => self.selected = self.selected.saturating_sub(page),
            Action::PageDown => self.selected = (self.selected + page).min(self.last()),
            Action::NextStepDone if self.selected_item().is_some() => {
                if let Some(item) = self.selected_item() {
                    app.store.toggle_action_item(&item.id)?;
                    app.cannot_undo(texts::ticking_barrier);
                    app.notify(texts::item_ticked(app.lang, &quoted(&item.text)));
                    self.acted_at = Some(self.selected);
                    cx.fx.refresh();
                }
            }
            Action::SetNextStep | Action::NextStepDone | Action::LogActivity => {
                if let Some(opp) = self.selected_card().cloned() {
                    self.acted_at = Some(self.selected);
                    cards::day_key(app, cx.fx, action, &opp)?;
                }
            }
            Action::OpenDetail => {
                if let Some(opp) = self.selected_card() {
                    cx.fx.open(Open::Detail(opp.id.clone()));
                }
            }
            Action::ShowOnBoard => {
                if let Some(opp) = self.selected_card().cloned() {
                    cx.fx.close();
                    // The card must be on the board: a text filter could hide it, and another
                    // seller shown would.
                    app.filter.text = None;
                    if app.filter.owner.as_ref() != Some(&opp.fields.owner) {
                        app.filter.owner = None;
                    }
                    cx.board.select_card(app, &opp)?;
                    cx.fx.refresh();
                    app.notify(texts::on_the_board(app.lang, &quoted(&opp.fields.title)));
                }
            }
            Action::ToggleMine => match app.user {
                Some(_) => {
                    self.mine = !self.mine;
                    self.selected = 0;
                    self.agenda = Agenda::load(app, self.mine)?;
                    self.items = Agenda::load_items(app, self.mine)?;
                }
                None => app.notify(texts::no_user_set(app.lang)),
            },
            Action::Undo | Action::Redo => {
                app.undo_or_redo(*action == Action::Undo);
                cx.fx.refresh();
            }
            Action::Reload => {
                app.today = app.store.today();
                app.notify(texts::reloaded(app.lang));
                cx.fx.refresh();
            }
            Action::Help => cx.fx.overlay(Overlay::Help(Help {
                table: Table::Agenda,
            })),
            Action::Cancel => cx.fx.close(),
            _ => {}
        }
        Ok(())
    }

    /// Read again after a change: the selection stays on its card (or item) if it is still
    /// listed, else back on the line the seller acted from, or on the line that took its place.
    fn reload(&mut self, app: &mut App) -> Result<bool> {
        let card = self.selected_card().map(|c| c.id.clone());
        let item = self.selected_item().map(|i| i.id.clone());
        self.agenda = Agenda::load(app, self.mine)?;
        self.items = Agenda::load_items(app, self.mine)?;
        let items = self.items.len();
        let kept = match (card, item) {
            (Some(id), _) => self
                .agenda
                .lines
                .iter()
                .position(|l| l.card.id == id)
                .map(|i| i + items),
            (_, Some(id)) => self.items.iter().position(|i| i.id == id),
            _ => None,
        };
        self.selected = kept
            .or(self.acted_at)
            .unwrap_or(self.selected)
            .min(self.last());
        Ok(true)
    }

    fn draw(&self, app: &App, _board: &Board, frame: &mut Frame, area: Rect) {
        let (l, theme) = (app.lang, Theme::of(app));
        let who = match (&app.user, self.mine) {
            (Some(user), true) => texts::cards_of(l, &text::truncate(user, 30)),
            _ => texts::everyones_cards(l).to_owned(),
        };
        let heading = texts::agenda_title(l, &who);
        let room = usize::from(area.width).saturating_sub(text::width(&heading) + 6);
        let mut top = vec![Span::styled(heading, theme.title())];
        let counts = title::flag_counts(l, theme, &self.agenda.counts, room);
        if !counts.is_empty() {
            top.push(Span::styled("· ", theme.dim()));
            top.extend(counts);
            top.push(Span::raw(" "));
        }
        let block = Block::bordered()
            .border_style(theme.focused_border())
            .title(Line::from(top));
        let width = usize::from(area.width.saturating_sub(2));
        let columns = Columns::for_width(width);
        let mut lines = Vec::new();
        let mut keep = 0..0;
        if !self.items.is_empty() {
            let key = app.keys.key_for(Table::Agenda, &Action::NextStepDone);
            lines.push(Line::from(vec![
                Span::styled(
                    format!(" {} ({})", texts::action_items_group(l), self.items.len()),
                    theme.title(),
                ),
                Span::styled(format!(" · {}", texts::key_ticks_one(l, &key)), theme.dim()),
            ]));
            for (i, item) in self.items.iter().enumerate() {
                if i == self.selected {
                    keep = lines.len()..lines.len() + 1;
                }
                lines.push(item_line(app, theme, item, width, i == self.selected));
            }
        }
        let mut group = None;
        let items = self.items.len();
        for (i, line) in self.agenda.lines.iter().enumerate() {
            let flag = line.flags.first();
            if flag != group {
                group = flag;
                if !lines.is_empty() {
                    lines.push(Line::raw(""));
                }
                if let Some(flag) = flag {
                    let style = match flag {
                        Flag::Overdue => theme.stale(),
                        Flag::DueToday => theme.warn(),
                        _ => theme.title(),
                    };
                    let n = self.agenda.lines[i..]
                        .iter()
                        .take_while(|l| l.flags.first() == Some(flag))
                        .count();
                    lines.push(Line::styled(
                        format!(" {} ({n})", texts::flag_name(l, flag)),
                        style,
                    ));
                }
            }
            let selected = i + items == self.selected;
            if selected {
                keep = lines.len()..lines.len() + 1;
            }
            lines.push(columns.line(app, theme, line, selected));
        }
        if self.agenda.lines.is_empty() {
            if !lines.is_empty() {
                lines.push(Line::raw(""));
            }
            lines.push(Line::styled(
                format!(" {}", texts::nothing_needs_you(l)),
                theme.good(),
            ));
        } else if self.agenda.more {
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                format!(" {}", texts::more_not_listed(l, self.agenda.lines.len())),
                theme.dim(),
            ));
        }
        ui::draw_scrolled_panel(app, theme, frame, area, block, lines, keep);
    }
}

/// The widths of a line's columns, for the screen's width: the marker, title and account,
/// value, stage (when there is room), next step, its day, and the other flags (on wide screens).
struct Columns {
    card: usize,
    stage: usize,
    step: usize,
    others: usize,
}

const MARKER: usize = 2;
const VALUE: usize = 8;
const DUE: usize = 17;
const GAP: usize = 2;
/// The least room for the other flags, on a wide screen.
const OTHERS: usize = 24;
const CARD_MAX: usize = 50;
const STEP_MAX: usize = 60;

impl Columns {
    fn for_width(width: usize) -> Columns {
        let stage = if width >= 110 { 22 } else { 0 };
        let wide = width >= 160;
        let gaps = 3 + usize::from(stage > 0) + usize::from(wide);
        let fixed = MARKER + VALUE + DUE + stage + GAP * gaps;
        let rest = width.saturating_sub(fixed + if wide { OTHERS } else { 0 });
        // A narrow screen keeps the card and its day, and leaves the step's text to the prompt;
        // a wide one gives what the card and step do not need to the other flags.
        let (card, step) = if rest >= 24 {
            let card = (rest * 9 / 20).min(CARD_MAX);
            (card, (rest - card).min(STEP_MAX))
        } else {
            (rest + GAP, 0)
        };
        let others = if wide {
            width.saturating_sub(fixed + card + step)
        } else {
            0
        };
        Columns {
            card,
            stage,
            step,
            others,
        }
    }

    fn line(
        &self,
        app: &App,
        theme: Theme,
        line: &store::AgendaLine,
        selected: bool,
    ) -> Line<'static> {
        let l = app.lang;
        let opp = &line.card;
        let f = &opp.fields;
        let overdue = line.flags.contains(Flag::Overdue);
        let (marker, marker_style) = if overdue {
            ("! ", theme.stale())
        } else if line.flags.contains(Flag::DueToday) {
            ("• ", theme.warn())
        } else {
            ("  ", theme.dim())
        };
        let card = if f.account.is_empty() {
            text::clean_line(&f.title)
        } else {
            format!(
                "{} · {}",
                text::clean_line(&f.title),
                text::clean_line(&f.account)
            )
        };
        let value = format_compact(i128::from(f.value_cents), &app.funnel.currency, l);
        let (step, step_style) = if f.next_step.trim().is_empty() {
            (texts::no_step_yet(l).to_owned(), theme.dim())
        } else {
            (text::clean_line(&f.next_step), ratatui::style::Style::new())
        };
        let due = match f.next_step_due {
            Some(due) => due_text(app, due, f.next_step_at),
            // A step without a day is what the flag is about.
            None if !f.next_step.trim().is_empty() => texts::no_day_yet(l).to_owned(),
            None => String::new(),
        };
        let gap = " ".repeat(GAP);
        let mut spans = vec![
            Span::styled(marker, marker_style),
            Span::raw(text::pad(&text::truncate(&card, self.card), self.card)),
            Span::raw(gap.clone()),
            Span::styled(format!("{value:>VALUE$}"), theme.money()),
            Span::raw(gap.clone()),
        ];
        if self.stage > 0 {
            let stage = text::truncate(app.stage_name(opp.stage), self.stage);
            spans.push(Span::styled(text::pad(&stage, self.stage), theme.dim()));
            spans.push(Span::raw(gap.clone()));
        }
        if self.step > 0 {
            spans.push(Span::styled(
                text::pad(&text::truncate(&step, self.step), self.step),
                step_style,
            ));
            spans.push(Span::raw(gap.clone()));
        }
        spans.push(Span::styled(
            text::pad(&text::truncate(&due, DUE), DUE),
            if overdue { theme.stale() } else { theme.dim() },
        ));
        if self.others > 0 {
            // The line's other flags, after the one it is listed under.
            let others: Vec<&str> = line
                .flags
                .iter()
                .skip(1)
                .map(|f| texts::flag_short(l, f))
                .collect();
            spans.push(Span::raw(gap));
            spans.push(Span::styled(
                text::truncate(&others.join(", "), self.others),
                theme.dim(),
            ));
        }
        let line = Line::from(spans);
        if selected {
            line.style(theme.selected())
        } else {
            line
        }
    }
}

/// A next step's day: how late, today (with its time), or the day.
fn due_text(app: &App, due: NaiveDate, at: Option<chrono::NaiveTime>) -> String {
    let l = app.lang;
    let time = at
        .map(|t| format!(" {}", t.format("%H:%M")))
        .unwrap_or_default();
    let late = (app.today - due).num_days();
    if late > 0 {
        texts::days_late(l, late)
    } else if late == 0 {
        format!("{}{time}", texts::today_word(l))
    } else {
        format!("{due}{time}")
    }
}

/// An open action item of the user's: overdue marked as the cards' next steps are, its day and
/// the day of the one-to-one that set it.
fn item_line(
    app: &App,
    theme: Theme,
    item: &ActionItem,
    width: usize,
    selected: bool,
) -> Line<'static> {
    let overdue = item.due.is_some_and(|due| due < app.today);
    let (marker, marker_style) = if overdue {
        ("! ", theme.stale())
    } else if item.due == Some(app.today) {
        ("• ", theme.warn())
    } else {
        ("  ", theme.dim())
    };
    let due = item
        .due
        .map(|due| due_text(app, due, None))
        .unwrap_or_default();
    let room = width.saturating_sub(MARKER + GAP + DUE + 2);
    let line = Line::from(vec![
        Span::styled(marker, marker_style),
        Span::raw(format!(
            "☐ {}",
            text::pad(&text::truncate(&text::clean_line(&item.text), room), room)
        )),
        Span::raw(" ".repeat(GAP)),
        Span::styled(
            text::truncate(&due, DUE),
            if overdue { theme.stale() } else { theme.dim() },
        ),
    ]);
    if selected {
        line.style(theme.selected())
    } else {
        line
    }
}
