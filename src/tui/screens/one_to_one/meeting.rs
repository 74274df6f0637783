//! What the seller's and the team's one-to-one share: the meeting's note, skill and action plan
//! (the keys that write them and the prompts' answers), what the meeting looks back on (the
//! skill chosen last time, the changes since the previous meeting, the 90-day trend, the past
//! meetings) and how the panel draws them.

use chrono::{Duration, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding};

use super::super::changes::{self, Group};
use super::super::{ChangesRequest, Ctx, Open};
use super::MEETING_MINUTES;
use crate::domain::insight::Snapshot;
use crate::domain::money::format_compact;
use crate::domain::review::{Review, ReviewScope};
use crate::domain::text;
use crate::i18n::{self, figures};
use crate::insight;
use crate::store::{ActionItem, Meeting, Result};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Table;
use crate::tui::overlays::{
    Entered, Help, MeetingPrompt, Overlay, PastMeetings, Prompt, TextPrompt,
};
use crate::tui::reviews::{Reading, Reviewed};
use crate::tui::texts;
use crate::tui::ui::Theme;

/// Days of figures the one-to-one's trend shows.
pub const TREND_DAYS: u32 = 90;

/// A meeting under way and what it looks back on.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub meeting: Meeting,
    pub scope: ReviewScope,
    /// Selected action item, over the carried items then this meeting's.
    pub item: usize,
    /// The skill chosen at the previous meeting that chose one, with its day.
    pub last_skill: Option<(NaiveDate, String)>,
    /// What changed since the previous meeting (or 30 days).
    pub review: Review,
    /// The review's cards in the order they are listed and walked.
    pub order: Vec<(Group, usize)>,
    /// While the changes are read again, the ones before stay walked.
    pub reading: Reading,
    /// The seller's or team's daily figures over [`TREND_DAYS`], oldest first.
    pub trend: Vec<Snapshot>,
}

impl Session {
    /// Reads what a new meeting looks back on.
    pub fn open(app: &App, meeting: Meeting, scope: ReviewScope) -> Result<Session> {
        let last_skill = app.store.last_skill(&app.funnel, &scope, &meeting.id)?;
        let (review, reading) = changes::load(app, &scope, None)?;
        let trend = insight::snapshots::trend(app.store, &app.funnel, &scope, TREND_DAYS)?;
        Ok(Session {
            meeting,
            order: changes::grouped(&review),
            reading,
            scope,
            item: 0,
            last_skill,
            review,
            trend,
        })
    }

    /// Time since the meeting started, by the store's clock.
    pub fn elapsed(&self, app: &App) -> Duration {
        (app.store.now() - self.meeting.started_at).max(Duration::zero())
    }

    /// The meeting clock (marked past the hour) and the meeting's day.
    /// Draws the meeting clock on the first row inside the panel's `block` drawn over `area`,
    /// and returns the block with that row kept free, so the clock stays in view however far
    /// the panel's lines scroll.
    pub fn pin_clock<'a>(
        &self,
        app: &App,
        theme: Theme,
        frame: &mut Frame,
        area: Rect,
        block: Block<'a>,
    ) -> Block<'a> {
        let inner = block.inner(area);
        let row = Rect {
            height: inner.height.min(1),
            ..inner
        };
        frame.render_widget(self.clock_line(app, theme), row);
        block.padding(Padding::top(1))
    }

    fn clock_line(&self, app: &App, theme: Theme) -> Line<'static> {
        let elapsed = self.elapsed(app);
        let minutes = elapsed.num_minutes();
        let clock = format!("{:02}:{:02}", minutes, elapsed.num_seconds() % 60);
        let (clock_text, clock_style) = if minutes >= MEETING_MINUTES {
            (texts::past_the_hour(app.lang, &clock), theme.error())
        } else {
            (format!("⏱ {clock} / {MEETING_MINUTES}:00"), theme.title())
        };
        Line::from(vec![
            Span::styled(clock_text, clock_style),
            Span::styled(format!(" · {}", self.meeting.held_on), theme.dim()),
        ])
    }

    /// Carried items first, then this meeting's.
    pub fn all_items(&self) -> impl Iterator<Item = (&ActionItem, bool)> {
        self.meeting
            .carried
            .iter()
            .map(|i| (i, true))
            .chain(self.meeting.items.iter().map(|i| (i, false)))
    }

    pub fn item_count(&self) -> usize {
        self.meeting.carried.len() + self.meeting.items.len()
    }

    pub fn card_note(&self, id: &str) -> Option<&str> {
        self.meeting
            .card_notes
            .iter()
            .find(|(card, _)| card == id)
            .map(|(_, note)| note.as_str())
    }

    /// Reads the meeting, the changes and the trend again (after a change made during the
    /// meeting; today's figures may have been kept meanwhile).
    pub fn reload(&mut self, app: &App) -> Result<()> {
        self.meeting = app.store.meeting(&self.meeting.id)?;
        self.item = self.item.min(self.item_count().saturating_sub(1));
        // While they are read again, the changes before stay walked.
        let (review, reading) = changes::load(app, &self.scope, Some(self.review.since))?;
        if reading == Reading::Done {
            self.review = review;
            self.order = changes::grouped(&self.review);
        }
        self.reading = reading;
        self.trend = insight::snapshots::trend(app.store, &app.funnel, &self.scope, TREND_DAYS)?;
        Ok(())
    }

    /// The worker's review arrived: taken if it is the one this meeting waits for. An error
    /// leaves the changes empty (the caller says it).
    pub fn arrived(&mut self, reviewed: &Reviewed) -> bool {
        if !changes::answers(self.reading, &self.review, reviewed) {
            return false;
        }
        if let Ok(review) = &reviewed.review {
            self.review = review.clone();
        }
        self.reading = Reading::Done;
        self.order = changes::grouped(&self.review);
        true
    }

    /// The keys of the meeting's note, plan and skill, and of what it looks back on; false for
    /// another key. `skill_hint` is what the skill prompt proposes when none is chosen.
    pub fn update(
        &mut self,
        cx: &mut Ctx,
        action: &Action,
        table: Table,
        skill_hint: impl FnOnce(&App) -> String,
    ) -> Result<bool> {
        match action {
            Action::MeetingNote => {
                let notes = self.meeting.notes.clone();
                prompt(cx, MeetingPrompt::MeetingNote, &notes);
            }
            Action::ChooseSkill => {
                let hint = if self.meeting.skill.is_empty() {
                    skill_hint(cx.app)
                } else {
                    self.meeting.skill.clone()
                };
                prompt(cx, MeetingPrompt::Skill, &hint);
            }
            Action::AddActionItem => prompt(cx, MeetingPrompt::ItemText, ""),
            Action::NextItem | Action::PreviousItem => {
                let items = self.item_count().max(1);
                self.item = if *action == Action::NextItem {
                    (self.item + 1) % items
                } else {
                    (self.item + items - 1) % items
                };
            }
            Action::ToggleItem => {
                let selected = self.all_items().nth(self.item).map(|(i, _)| i.id.clone());
                if let Some(id) = selected {
                    cx.app.store.toggle_action_item(&id)?;
                    cx.app.cannot_undo(texts::ticking_barrier);
                    self.reload(cx.app)?;
                }
            }
            Action::PastMeetings => {
                let rows = cx.app.store.past_meetings(
                    &cx.app.funnel,
                    &self.scope,
                    Some(&self.meeting.id),
                    50,
                )?;
                let who = changes::scope_name(cx.app.lang, &self.scope);
                cx.fx
                    .overlay(Overlay::Meetings(PastMeetings::new(who, rows)));
            }
            // Since the previous meeting, as the panel's changes.
            Action::OpenChanges => cx.fx.open(Open::Changes(ChangesRequest {
                scope: self.scope.clone(),
                since: None,
            })),
            Action::Help => cx.fx.overlay(Overlay::Help(Help { table })),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A prompt of the meeting answered: saved at once.
    pub fn reply(&mut self, cx: &mut Ctx, asked: MeetingPrompt, value: Entered) -> Result<()> {
        let app = &mut *cx.app;
        let id = self.meeting.id.clone();
        match asked {
            MeetingPrompt::CardNote { id: card, .. } => {
                app.store.set_card_note(&id, &card, &value.text())?;
                app.cannot_undo(texts::card_note_barrier);
                app.notify(texts::card_note_saved(app.lang));
            }
            MeetingPrompt::MeetingNote => {
                app.store.set_meeting_notes(&id, &value.text())?;
                app.cannot_undo(texts::meeting_note_barrier);
                app.notify(texts::meeting_note_saved(app.lang));
            }
            MeetingPrompt::Skill => {
                app.store.set_meeting_skill(&id, &value.text())?;
                app.cannot_undo(texts::skill_barrier);
                app.notify(texts::skill_chosen(app.lang));
            }
            MeetingPrompt::ItemText => {
                let text = value.text();
                if text.is_empty() {
                    app.notify(texts::no_text(app.lang));
                } else {
                    let owner = self.meeting.owner.clone();
                    prompt(cx, MeetingPrompt::ItemOwner { text }, &owner);
                }
            }
            MeetingPrompt::ItemOwner { text } => {
                let due = app.next_week().to_string();
                let owner = value.text();
                prompt(cx, MeetingPrompt::ItemDue { text, owner }, &due);
            }
            MeetingPrompt::ItemDue { text, owner } => {
                let due = match value {
                    Entered::Date(due) => due,
                    _ => None,
                };
                app.store.add_action_item(&id, &owner, &text, due)?;
                app.cannot_undo(texts::item_barrier);
                app.notify(texts::item_added(app.lang));
            }
        }
        self.reload(cx.app)
    }

    /// The skill chosen last time and the one chosen now.
    pub fn skill_lines(
        &self,
        app: &App,
        theme: Theme,
        width: usize,
        lines: &mut Vec<Line<'static>>,
    ) {
        let l = app.lang;
        let last = match &self.last_skill {
            Some((day, skill)) => texts::last_time(l, day, skill),
            None => texts::no_skill_before(l).to_owned(),
        };
        lines.push(Line::styled(text::truncate(&last, width), theme.dim()));
        lines.push(Line::from(vec![
            Span::raw(format!("{} ", texts::chosen_skill(l))),
            if self.meeting.skill.is_empty() {
                Span::styled(texts::s_chooses(l), theme.dim())
            } else {
                Span::styled(self.meeting.skill.clone(), theme.title())
            },
        ]));
    }

    /// The trend: RTV, factor and probability over the last 90 days, a bar a day (as many of
    /// the last days as fit), with today's figure.
    pub fn trend_lines(
        &self,
        app: &App,
        theme: Theme,
        width: usize,
        lines: &mut Vec<Line<'static>>,
    ) {
        let l = app.lang;
        if self.trend.is_empty() {
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", texts::trend_header_colon(l)), theme.title()),
                Span::styled(texts::no_trend(l), theme.dim()),
            ]));
            return;
        }
        lines.push(Line::styled(texts::trend_header(l), theme.title()));
        let none = || figures::none(l).to_owned();
        let last = self.trend.last();
        let rows: [(&str, Vec<Option<u64>>, String, Style); 3] = [
            (
                figures::rtv(l),
                self.trend
                    .iter()
                    .map(|s| u64::try_from(s.rtv_cents).ok())
                    .collect(),
                last.map_or_else(none, |s| {
                    format_compact(s.rtv_cents, &app.funnel.currency, l)
                }),
                theme.money(),
            ),
            (
                figures::factor(l),
                self.trend
                    .iter()
                    .map(|s| s.factor.map(|f| (f * 100.0).round() as u64))
                    .collect(),
                last.and_then(|s| s.factor)
                    .map_or_else(none, |f| i18n::factor(f, l)),
                Style::new(),
            ),
            (
                figures::probability_short(l),
                self.trend
                    .iter()
                    .map(|s| s.probability.map(|p| (p * 1000.0).round() as u64))
                    .collect(),
                last.and_then(|s| s.probability)
                    .map_or_else(none, |p| i18n::percent(p, l)),
                Style::new(),
            ),
        ];
        let label_width = 1 + rows.iter().map(|r| text::width(r.0)).max().unwrap_or(0);
        let value_width = 9;
        let room = width.saturating_sub(label_width + value_width + 2);
        for (label, data, now, style) in rows {
            let from = data.len().saturating_sub(room);
            lines.push(Line::from(vec![
                Span::styled(text::pad(label, label_width), theme.dim()),
                Span::styled(text::pad(&crate::tui::ui::bars(&data[from..]), room), style),
                Span::styled(format!(" {now:>value_width$}"), style),
            ]));
        }
    }

    /// The meeting note and the action plan; the row of the selected item (or of the empty
    /// plan's hint), to keep in view.
    pub fn plan_lines(
        &self,
        app: &App,
        theme: Theme,
        table: Table,
        width: usize,
        lines: &mut Vec<Line<'static>>,
    ) -> usize {
        let l = app.lang;
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", texts::note(l)), theme.title()),
            if self.meeting.notes.is_empty() {
                Span::styled(texts::m_writes_it(l), theme.dim())
            } else {
                Span::raw(text::truncate(&self.meeting.notes, width.saturating_sub(7)))
            },
        ]));
        lines.push(Line::styled(texts::action_plan(l), theme.title()));
        let mut keep = lines.len();
        if self.item_count() == 0 {
            let key = app.keys.key_for(table, &Action::AddActionItem);
            lines.push(Line::styled(texts::key_adds_an_item(l, &key), theme.dim()));
        }
        for (i, (item, carried)) in self.all_items().enumerate() {
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
            if i == self.item {
                keep = lines.len();
            }
            let style = if i == self.item {
                theme.selected()
            } else if item.done {
                theme.dim()
            } else if item.due.is_some_and(|d| d < app.today) {
                theme.stale()
            } else {
                Style::new()
            };
            lines.push(Line::styled(text::truncate(&line, width), style));
        }
        keep
    }
}

/// Opens a prompt of the one-to-one.
pub fn prompt(cx: &mut Ctx, prompt: MeetingPrompt, text: &str) {
    let prompt = TextPrompt::new(Prompt::Meeting(prompt), text);
    cx.fx.overlay(Overlay::Text(prompt));
}
