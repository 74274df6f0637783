//! The card detail: every field with the next step and how its due day stands, the current
//! stage's evidence and question checklist, the buying centre, and the card's timeline, newest
//! first: the activities logged, its stage history (who made each move, unverified moves
//! marked, won, lost) and the changes to its main fields, scrolled a page at a time.
//! Questions are ticked and answered, the evidence confirmed and people added here; the card
//! moves and is edited as on the board.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::board::Board;
use super::{Ctx, View};
use crate::domain::money::format_money;
use crate::domain::{
    Answer, EventKind, Evidence, Opportunity, Person, Stage, StageEvent, Status, text,
};
use crate::store::{FieldValue, Result, Store, TimelineEntry, TimelineWhat};
use crate::tui::action::Action;
use crate::tui::app::{App, CardRef};
use crate::tui::keymap::Table;
use crate::tui::overlays::{
    self, Form, FormKind, FormValue, Help, Overlay, Prompt, Reply, TextPrompt,
};
use crate::tui::texts;
use crate::tui::ui::{self, Theme};
use ratatui::style::Style;

/// The card detail's data, read when it opens and after each change.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub opportunity: Opportunity,
    /// Newest first.
    pub timeline: Vec<TimelineEntry>,
    /// The timeline's first entry on screen.
    pub timeline_top: usize,
    pub evidence: Vec<Evidence>,
    pub answers: Vec<Answer>,
    pub people: Vec<Person>,
    /// Index over the current stage's questions, then the people.
    pub selected: usize,
}

impl Detail {
    pub fn load(store: &Store, id: &str, selected: usize) -> Result<Detail> {
        Ok(Detail {
            opportunity: store.opportunity(id)?,
            timeline: store.timeline(id)?,
            timeline_top: 0,
            evidence: store.evidence(id)?,
            answers: store.answers(id)?,
            people: store.people(id)?,
            selected,
        })
    }

    pub fn answer(&self, question: usize) -> Option<&Answer> {
        let stage = self.opportunity.stage;
        self.answers
            .iter()
            .find(|a| a.stage == stage && a.question == question)
    }

    pub fn evidence_of(&self, stage: Stage) -> Option<&Evidence> {
        self.evidence.iter().find(|e| e.stage == stage)
    }
}

impl View for Detail {
    /// The card's id.
    type Request = String;

    fn open(id: String, app: &mut App, _board: &mut Board) -> Result<Detail> {
        Detail::load(app.store, &id, 0)
    }

    fn table(&self) -> Table {
        Table::Detail
    }

    fn update(&mut self, cx: &mut Ctx, action: &Action) -> Result<()> {
        let app = &mut *cx.app;
        let opp = self.opportunity.clone();
        let questions = app.catalog.info(opp.stage).questions.len();
        let items = questions + self.people.len();
        let selected = self.selected;
        let person: Option<Person> = selected
            .checked_sub(questions)
            .and_then(|i| self.people.get(i).cloned());
        match action {
            Action::Up | Action::Down => {
                self.selected = overlays::step(selected, items, *action == Action::Up);
            }
            Action::ToggleAsked if selected < questions => {
                let current = self.answer(selected).cloned();
                let answer = Answer {
                    stage: opp.stage,
                    question: selected,
                    asked: !current.as_ref().is_some_and(|a| a.asked),
                    answer: current.map(|a| a.answer).unwrap_or_default(),
                };
                app.store.set_answer(&opp.id, &answer)?;
                app.cannot_undo(texts::asked_barrier);
                cx.fx.refresh();
            }
            Action::EditAnswer | Action::EditSelected if selected < questions => {
                let text = self
                    .answer(selected)
                    .map(|a| a.answer.clone())
                    .unwrap_or_default();
                let prompt = Prompt::Answer { question: selected };
                cx.fx.overlay(Overlay::Text(TextPrompt::new(prompt, &text)));
            }
            Action::EditSelected => {
                if let Some(person) = person {
                    cx.fx.overlay(Overlay::Form(Form::person(&opp.id, &person)));
                }
            }
            Action::AddPerson => {
                let form = Form::person(&opp.id, &Person::default());
                cx.fx.overlay(Overlay::Form(form));
            }
            Action::RemovePerson => {
                if let Some(person) = person {
                    app.store.remove_person(&person.id)?;
                    app.cannot_undo(texts::buying_centre_barrier);
                    app.notify(texts::person_removed(app.lang, &person.name));
                    cx.fx.refresh();
                }
            }
            Action::ConfirmCurrentEvidence if opp.status == Status::Open => {
                let prompt = Prompt::EvidenceNote {
                    card: CardRef::of(&opp),
                    stage: opp.stage,
                    to: None,
                };
                cx.fx.overlay(Overlay::Text(TextPrompt::new(prompt, "")));
            }
            Action::EditCard => cx.fx.overlay(Overlay::Form(Form::edit_card(&opp))),
            Action::SetNextStep | Action::NextStepDone | Action::LogActivity => {
                super::board::cards::day_key(app, cx.fx, action, &opp)?;
            }
            Action::MoveForward if opp.status == Status::Open => {
                if let Some(to) = opp.stage.next() {
                    let card = CardRef::of(&opp);
                    cx.board
                        .move_card(app, cx.fx, card, (opp.stage, to), false, None, false)?;
                }
            }
            Action::PageDown | Action::PageUp => {
                let page = timeline_rows(app.height, self.timeline.len()).max(1);
                let last_page = self.timeline.len().saturating_sub(page);
                self.timeline_top = if *action == Action::PageDown {
                    (self.timeline_top + page).min(last_page)
                } else {
                    self.timeline_top.min(last_page).saturating_sub(page)
                };
            }
            Action::Undo | Action::Redo => {
                app.undo_or_redo(*action == Action::Undo);
                cx.fx.refresh();
            }
            Action::Help => cx.fx.overlay(Overlay::Help(Help {
                table: Table::Detail,
            })),
            Action::Cancel => {
                cx.fx.close();
                cx.fx.refresh();
            }
            _ => {}
        }
        Ok(())
    }

    fn reply(&mut self, cx: &mut Ctx, reply: Reply) -> Result<()> {
        let app = &mut *cx.app;
        match reply {
            Reply::Text {
                prompt: Prompt::Answer { question },
                value,
            } => {
                let value = value.text();
                let asked = self.answer(question).is_none_or(|a| a.asked) || !value.is_empty();
                let answer = Answer {
                    stage: self.opportunity.stage,
                    question,
                    asked,
                    answer: value,
                };
                app.store.set_answer(&self.opportunity.id, &answer)?;
                app.cannot_undo(texts::answering_barrier);
                cx.fx.refresh();
            }
            Reply::Form {
                kind: FormKind::Person { opportunity_id, .. },
                value,
            } => {
                let FormValue::Person(person) = *value else {
                    return Ok(());
                };
                app.store.save_person(&opportunity_id, &person)?;
                app.cannot_undo(texts::buying_centre_barrier);
                app.notify(texts::buying_centre_saved(app.lang));
                cx.fx.refresh();
            }
            reply => cx.board.reply(app, cx.fx, reply, false)?,
        }
        Ok(())
    }

    fn reload(&mut self, app: &mut App) -> Result<bool> {
        match Detail::load(app.store, &self.opportunity.id, self.selected) {
            Ok(detail) => {
                let top = self.timeline_top;
                *self = detail;
                self.timeline_top = top.min(self.timeline.len().saturating_sub(1));
                Ok(true)
            }
            // Deleted (by undo, or elsewhere): back to what was under it.
            Err(_) => Ok(false),
        }
    }

    fn draw(&self, app: &App, _board: &Board, frame: &mut Frame, area: Rect) {
        draw(app, self, Theme::of(app), frame, area);
    }
}

fn draw(app: &App, detail: &Detail, theme: Theme, frame: &mut Frame, area: Rect) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area);
    let questions = app.catalog.info(detail.opportunity.stage).questions.len();
    let selected_person = detail.selected.checked_sub(questions);
    let people = people_lines(app, detail, theme, selected_person);
    // The room the people take, up to half the side; beyond, the list scrolls.
    let people_rows = ui::wrapped_rows(&people, left.width.saturating_sub(2));
    let people_height = u16::try_from(people_rows + 2)
        .unwrap_or(u16::MAX)
        .min(left.height / 2)
        .max(4);
    let [fields_area, people_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(people_height)]).areas(left);
    draw_fields(app, detail, theme, frame, fields_area);
    let block = Block::bordered().title(Span::styled(
        texts::buying_centre_title(app.lang),
        theme.title(),
    ));
    let keep = selected_person.map_or(0..0, |i| i..i + 1);
    ui::draw_scrolled_panel(app, theme, frame, people_area, block, people, keep);
    let timeline_height = timeline_rows(area.height + BODY_CHROME, detail.timeline.len()) + 2;
    let [stage_area, timeline_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(timeline_height as u16),
    ])
    .areas(right);
    draw_stage(app, detail, theme, frame, stage_area);
    draw_timeline(app, detail, theme, frame, timeline_area);
}

/// Rows of the terminal around the detail: the title bar, the footer, the status line and the
/// key hints.
const BODY_CHROME: u16 = 4;

/// The timeline's rows inside its borders on a terminal `height` rows high: its entries, up to
/// half the side (and a row at least).
fn timeline_rows(height: u16, entries: usize) -> usize {
    let side = usize::from(height.saturating_sub(BODY_CHROME));
    entries.min((side / 2).saturating_sub(2)).max(1)
}

fn draw_fields(app: &App, detail: &Detail, theme: Theme, frame: &mut Frame, area: Rect) {
    let o = &detail.opportunity;
    let f = &o.fields;
    let l = app.lang;
    let money = |cents: i64| format_money(cents.into(), &app.funnel.currency, l);
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let status = match o.status {
        Status::Open => texts::status_open(l).to_owned(),
        Status::Won => texts::won_on(l, &date(o.closed)),
        Status::Lost => texts::lost_on(l, &date(o.closed), &o.lost_reason),
    };
    let stage = texts::days_in_stage(l, app.stage_name(o.stage), o.days_in_stage(app.today));
    let rows: Vec<(&str, String)> = vec![
        (texts::account(l), f.account.clone()),
        (texts::value(l), money(f.value_cents)),
        (texts::stage(l), stage),
        (texts::status(l), status),
        (texts::next_step(l), f.next_step.clone()),
        (texts::owner(l), f.owner.clone()),
        (texts::team(l), f.team.clone()),
        (texts::region(l), f.region.clone()),
        (texts::territory(l), f.territory.clone()),
        (texts::product(l), f.product.clone()),
        (texts::created(l), o.created.to_string()),
        (texts::expected_close(l), date(f.expected_close)),
        (texts::decision_date(l), date(f.decision_date)),
        (
            texts::budget(l),
            f.budget_cents.map(money).unwrap_or_default(),
        ),
        (
            texts::problem_cost(l),
            f.problem_cost_cents.map(money).unwrap_or_default(),
        ),
    ];
    // Short fields on one line each (cut to fit, so the labels stay aligned); the two free
    // texts below as wrapped paragraphs.
    let label_width = rows.iter().map(|(k, _)| text::width(k)).max().unwrap_or(0);
    let next_step_row = rows.iter().position(|(k, _)| *k == texts::next_step(l));
    let value_width = usize::from(area.width.saturating_sub(3)).saturating_sub(label_width + 1);
    let mut lines: Vec<Line> = rows
        .into_iter()
        .map(|(k, v)| {
            Line::from(vec![
                Span::styled(text::pad(k, label_width + 1), theme.dim()),
                Span::raw(text::truncate(&v, value_width)),
            ])
        })
        .collect();
    // Under the next step, where a short terminal still shows it: when it is due, and how
    // that stands today.
    let inner = usize::from(area.width.saturating_sub(2));
    if let (Some(row), Some(state)) = (next_step_row, next_step_state(app, o, theme, inner)) {
        // Under the value when it fits there, else from the line's start.
        let width = text::width(&state.content);
        let indent = if label_width + 1 + width <= inner {
            label_width + 1
        } else {
            0
        };
        let state = Span::styled(
            text::truncate(&state.content, inner - indent.min(inner)),
            state.style,
        );
        lines.insert(
            row + 1,
            Line::from(vec![Span::raw(" ".repeat(indent)), state]),
        );
    }
    lines.push(Line::styled(texts::decision_criteria(l), theme.dim()));
    lines.push(Line::raw(if f.decision_criteria.is_empty() {
        "—".to_owned()
    } else {
        f.decision_criteria.clone()
    }));
    let block = Block::bordered().title(Span::styled(
        format!(
            " {} ",
            text::truncate(&f.title, usize::from(area.width.saturating_sub(4)))
        ),
        theme.title(),
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// When an open card's next step is due and how that stands today: overdue, due today, later,
/// undated, or missing.
/// `room`: the columns it has.
fn next_step_state(app: &App, o: &Opportunity, theme: Theme, room: usize) -> Option<Span<'static>> {
    let l = app.lang;
    let f = &o.fields;
    if o.status != Status::Open {
        return None;
    }
    Some(match f.next_step_due {
        Some(due) => {
            let days = (due - app.today).num_days();
            let said = |day_format: &str| {
                let mut when = due.format(day_format).to_string();
                if let Some(at) = f.next_step_at {
                    when = format!("{when} {}", at.format("%H:%M"));
                }
                if days < 0 {
                    texts::next_step_overdue(l, &when, -days)
                } else if days == 0 {
                    texts::next_step_due_today(l, &when)
                } else {
                    texts::next_step_later(l, &when, days)
                }
            };
            // The day in full, or without its year where that does not fit.
            let full = said("%Y-%m-%d");
            let text = if text::width(&full) <= room {
                full
            } else {
                said("%d/%m")
            };
            let style = match days {
                ..0 => theme.stale(),
                0 => theme.warn(),
                _ => theme.dim(),
            };
            Span::styled(text, style)
        }
        None if f.next_step.is_empty() => Span::styled(texts::no_next_step(l), theme.warn()),
        None => Span::styled(texts::next_step_undated(l), theme.warn()),
    })
}

/// One line per person of the buying centre, `selected` marked.
fn people_lines(
    app: &App,
    detail: &Detail,
    theme: Theme,
    selected: Option<usize>,
) -> Vec<Line<'static>> {
    let l = app.lang;
    let mut lines: Vec<Line> = detail
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let text = texts::person_line(
                l,
                &p.name,
                &p.role,
                p.influence,
                p.authority,
                &p.motivations,
            );
            let (style, pointer) = if selected == Some(i) {
                (theme.selected(), "›")
            } else {
                (Default::default(), " ")
            };
            Line::styled(format!("{pointer}{text}"), style)
        })
        .collect();
    if lines.is_empty() {
        let key = app.keys.key_for(Table::Detail, &Action::AddPerson);
        lines.push(Line::styled(texts::nobody_yet(l, &key), theme.dim()));
    }
    lines
}

fn draw_stage(app: &App, detail: &Detail, theme: Theme, frame: &mut Frame, area: Rect) {
    let l = app.lang;
    let o = &detail.opportunity;
    let info = app.catalog.info(o.stage);
    let mut lines = vec![
        Line::styled(texts::evidence_to_move_on(l), theme.dim()),
        Line::raw(info.evidence.clone()),
    ];
    lines.push(match detail.evidence_of(o.stage) {
        Some(e) => {
            let note = if e.note.is_empty() {
                String::new()
            } else {
                format!(" — {}", e.note)
            };
            Line::styled(texts::confirmed_on(l, e.confirmed_on, &note), theme.good())
        }
        None => Line::styled(texts::not_confirmed_yet(l), theme.warn()),
    });
    lines.push(Line::raw(""));
    lines.push(Line::styled(texts::questions_for_stage(l), theme.dim()));
    // The selected question and its answer are kept in view.
    let mut keep = 0..0;
    for (i, question) in info.questions.iter().enumerate() {
        let start = lines.len();
        let answer = detail.answer(i);
        let asked = answer.is_some_and(|a| a.asked);
        let (style, pointer) = if detail.selected == i {
            (theme.selected(), "›")
        } else {
            (Default::default(), " ")
        };
        lines.push(Line::styled(
            format!("{pointer}[{}] {question}", if asked { "x" } else { " " }),
            style,
        ));
        if let Some(a) = answer.filter(|a| !a.answer.is_empty()) {
            lines.push(Line::styled(format!("     → {}", a.answer), theme.dim()));
        }
        if detail.selected == i {
            keep = start..lines.len();
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(info.guidance.clone(), theme.dim()));
    let block = Block::bordered().title(Span::styled(
        format!(" {} ", app.stage_name(o.stage)),
        theme.title(),
    ));
    ui::draw_scrolled_panel(app, theme, frame, area, block, lines, keep);
}

/// The fewest columns worth showing who made a move in ("  · A…").
const MIN_BY_WIDTH: usize = 6;

/// Narrower than this, the timeline leaves out the time of day.
const TIMES_FROM_WIDTH: usize = 80;

fn draw_timeline(app: &App, detail: &Detail, theme: Theme, frame: &mut Frame, area: Rect) {
    let l = app.lang;
    let inner = usize::from(area.width.saturating_sub(2));
    let lines: Vec<Line> = detail
        .timeline
        .iter()
        .map(|entry| {
            let time = entry
                .at
                .filter(|_| inner >= TIMES_FROM_WIDTH)
                .map(|t| format!(" {}", t.format("%H:%M")))
                .unwrap_or_default();
            let date = format!("{}{time}  ", entry.on.format("%Y-%m-%d"));
            let (mark, mark_style) = match &entry.what {
                TimelineWhat::Stage(e) if !e.evidence_confirmed => {
                    (format!("  ! {}", texts::unverified(l)), theme.stale())
                }
                _ => (String::new(), theme.dim()),
            };
            let room = inner.saturating_sub(text::width(&date) + text::width(&mark));
            let (what, style) = timeline_what(app, theme, &entry.what, room);
            // Who did it, in the room the entry leaves: what happened comes first.
            let left = room.saturating_sub(text::width(&what));
            let by = if !entry.by.is_empty() && left >= MIN_BY_WIDTH {
                text::truncate(&format!("  · {}", entry.by), left)
            } else {
                String::new()
            };
            Line::from(vec![
                Span::styled(date, theme.dim()),
                Span::styled(what, style),
                Span::styled(by, theme.dim()),
                Span::styled(mark, mark_style),
            ])
        })
        .collect();
    let lines = if lines.is_empty() {
        vec![Line::styled(texts::nothing_yet(l), theme.dim())]
    } else {
        lines
    };
    let keep = detail.timeline_top..lines.len();
    let block = Block::bordered().title(Span::styled(texts::timeline_title(l), theme.title()));
    ui::draw_scrolled_panel(app, theme, frame, area, block, lines, keep);
}

/// What a timeline entry says, in at most `room` columns, and its style.
fn timeline_what(app: &App, theme: Theme, what: &TimelineWhat, room: usize) -> (String, Style) {
    let l = app.lang;
    match what {
        TimelineWhat::Activity(a) => {
            let with = if a.with.is_empty() {
                String::new()
            } else {
                format!(" {}", texts::with_whom(l, &text::clean_line(&a.with)))
            };
            let said = texts::activity_line(
                l,
                texts::activity_kind(l, a.kind),
                &with,
                &text::clean_line(&a.summary),
            );
            (text::truncate(&said, room), Style::new())
        }
        TimelineWhat::Stage(e) => (history_event(app, e, room), Style::new()),
        TimelineWhat::Change { field, old, new } => {
            let value = |v: &FieldValue| match v {
                FieldValue::Text(t) => text::clean_line(t),
                FieldValue::Amount(cents) => {
                    format_money(i128::from(*cents), &app.funnel.currency, l)
                }
                FieldValue::Date(d) => d.to_string(),
                FieldValue::Time(t) => t.format("%H:%M").to_string(),
                FieldValue::None => "—".to_owned(),
            };
            let name = texts::changed_field(l, *field);
            let words = text::width(&texts::field_changed(l, name, "", ""));
            let [old, new] = share(room.saturating_sub(words), [&value(old), &value(new)]);
            let said = texts::field_changed(l, name, &old, &new);
            (text::truncate(&said, room), theme.dim())
        }
    }
}

/// What happened, in at most `room` columns: the stages' full names when they fit, else their
/// short names, cut with '…' if even these do not; the words around them are kept whole.
fn history_event(app: &App, e: &StageEvent, room: usize) -> String {
    let l = app.lang;
    let names = |short: bool| {
        let name = |s: Stage| -> &str {
            let info = app.catalog.info(s);
            if short { &info.short } else { &info.name }
        };
        (e.from_stage.map(name).unwrap_or(""), name(e.to_stage))
    };
    let fits = |(from, to): (&str, &str)| text::width(from) + text::width(to) <= room;
    let (from, to) = match e.kind {
        EventKind::Created | EventKind::Moved if fits(names(false)) => names(false),
        EventKind::Created | EventKind::Moved => names(true),
        _ => ("", ""),
    };
    match e.kind {
        EventKind::Created => {
            let words = format!("{} ", texts::created_in(l));
            let to = text::truncate(to, room.saturating_sub(text::width(&words)));
            text::truncate(&format!("{words}{to}"), room)
        }
        EventKind::Moved => {
            let [from, to] = share(room.saturating_sub(3), [from, to]);
            format!("{from} → {to}")
        }
        EventKind::Won => text::truncate(texts::history_won(l), room),
        EventKind::Lost => {
            let words = texts::history_lost(l);
            let note = text::truncate(&e.note, room.saturating_sub(text::width(words) + 3));
            text::truncate(&format!("{words} ({note})"), room)
        }
        EventKind::Reopened => text::truncate(texts::history_reopened(l), room),
    }
}

/// Two texts cut to share `room` columns: each gets half, and what one does not use goes to
/// the other.
fn share(room: usize, [a, b]: [&str; 2]) -> [String; 2] {
    let (wa, wb) = (text::width(a), text::width(b));
    let a_room = wa.min(room.saturating_sub(wb.min(room / 2)));
    [
        text::truncate(a, a_room),
        text::truncate(b, room.saturating_sub(a_room)),
    ]
}
