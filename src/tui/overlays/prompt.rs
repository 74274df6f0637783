//! One-line text prompts: the filter, a lost card's reason, a won card's date, an evidence note,
//! a question's answer, the period's target and the one-to-one's notes and action items. Each
//! checks what was typed for what it is for (a date, an amount) before the screen below sees it.

use std::borrow::Cow;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use unicode_segmentation::UnicodeSegmentation;

use super::{Outcome, Reply};
use crate::domain::when::{self, WhenError};
use crate::domain::{Lang, Stage, money, text};
use crate::tui::action::Action;
use crate::tui::app::{App, CardRef};
use crate::tui::input::Input;
use crate::tui::keymap::Table;
use crate::tui::texts;
use crate::tui::ui::{Theme, popup, wrapped_rows};

/// What a one-line text prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    Filter,
    LostReason(CardRef),
    WonDate(CardRef),
    /// The evidence note typed before a move (`to`: where the card goes after).
    EvidenceNote {
        card: CardRef,
        stage: Stage,
        to: Option<Stage>,
    },
    Answer {
        question: usize,
    },
    /// The period's target (the filtered owner's, if any).
    Target,
    /// A note, skill or action item of the one-to-one.
    Meeting(MeetingPrompt),
    /// The day the changes view starts from (empty: the previous meeting).
    Since,
}

/// What a one-line prompt of the one-to-one is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingPrompt {
    CardNote { id: String, title: String },
    MeetingNote,
    Skill,
    ItemText,
    ItemOwner { text: String },
    ItemDue { text: String, owner: String },
}

/// A prompt's text once checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Entered {
    /// Trimmed.
    Text(String),
    /// `None`: left empty where that means no date.
    Date(Option<NaiveDate>),
    Cents(i64),
}

impl Entered {
    /// The text entered (empty for a date or an amount).
    pub fn text(self) -> String {
        match self {
            Entered::Text(text) => text,
            _ => String::new(),
        }
    }
}

/// A prompt and the text typed so far.
#[derive(Debug, Clone, PartialEq)]
pub struct TextPrompt {
    pub prompt: Prompt,
    pub input: Input,
}

impl TextPrompt {
    pub fn new(prompt: Prompt, text: &str) -> TextPrompt {
        TextPrompt {
            prompt,
            input: Input::new(text),
        }
    }

    pub fn update(&mut self, action: &Action, lang: Lang, today: NaiveDate) -> Outcome {
        let edited = match action {
            Action::Accept => {
                return match self.check(lang, today) {
                    Ok(value) => Outcome::Reply(Reply::Text {
                        prompt: self.prompt.clone(),
                        value,
                    }),
                    Err(why) => Outcome::Refused(why),
                };
            }
            Action::Cancel if self.prompt == Prompt::Filter => {
                return Outcome::Reply(Reply::FilterCancelled);
            }
            Action::Cancel => return Outcome::Close,
            Action::Type(key) => self.input.handle(key),
            Action::Paste(text) => {
                self.input.insert(text);
                true
            }
            _ => false,
        };
        if edited && self.prompt == Prompt::Filter {
            Outcome::Typed(Reply::Text {
                prompt: Prompt::Filter,
                value: Entered::Text(self.input.value().trim().to_owned()),
            })
        } else {
            Outcome::Stay
        }
    }

    /// The text typed, as what the prompt is for, or why it is refused.
    fn check(&self, lang: Lang, today: NaiveDate) -> Result<Entered, String> {
        let value = self.input.value().trim();
        let date = |empty: Option<NaiveDate>| {
            if value.is_empty() {
                return Ok(Entered::Date(empty));
            }
            NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .map(|d| Entered::Date(Some(d)))
                .map_err(|_| texts::not_a_date(lang).to_owned())
        };
        match &self.prompt {
            Prompt::LostReason(_) if value.is_empty() => {
                Err(texts::lost_needs_reason(lang).to_owned())
            }
            Prompt::WonDate(_) => date(Some(today)),
            Prompt::Meeting(MeetingPrompt::ItemDue { .. }) => date(None),
            Prompt::Since if value.is_empty() => Ok(Entered::Date(None)),
            Prompt::Since => match since_day(today, value) {
                Ok(day) if day > today => Err(texts::since_in_future(lang).to_owned()),
                Ok(day) => Ok(Entered::Date(Some(day))),
                Err(e) => Err(e.say(lang).to_owned()),
            },
            Prompt::Target => money::parse_cents_lenient(value)
                .map(Entered::Cents)
                .map_err(|e| e.message(lang)),
            _ => Ok(Entered::Text(value.to_owned())),
        }
    }

    pub fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let theme = Theme::of(app);
        let (title, label) = self.texts(app);
        // The text wraps at the box's edge and scrolls, as little as needed, to keep the
        // cursor's row in view: a long note fills the box up to the terminal's height, no more.
        let width = popup::popup_width(area, 80);
        let inner = width - 2;
        let label = Line::raw(label);
        let hint = popup::hint_line(app, theme, Table::Text);
        let around = wrapped_rows(&[label.clone(), hint.clone()], inner) + 2;
        let room = usize::from(area.height.saturating_sub(2))
            .saturating_sub(around)
            .max(1);
        let (rows, cursor) = input_rows(&self.input, usize::from(inner));
        let first = (cursor.0 + 1).saturating_sub(room);
        let label_rows = wrapped_rows(std::slice::from_ref(&label), inner);
        let mut lines = vec![label, Line::raw("")];
        lines.extend(rows.into_iter().skip(first).take(room).map(Line::raw));
        lines.extend([Line::raw(""), hint]);
        let rect = popup::popup(frame, area, title, lines, theme, 80);
        let row = 1 + label_rows + 1 + (cursor.0 - first);
        let x = rect.x + 1 + u16::try_from(cursor.1).unwrap_or(u16::MAX);
        let y = rect.y + u16::try_from(row).unwrap_or(u16::MAX);
        if x < rect.right().saturating_sub(1) && y < rect.bottom().saturating_sub(1) {
            frame.set_cursor_position(Position { x, y });
        }
    }

    /// The box's title and the label above the text.
    fn texts(&self, app: &App) -> (&'static str, Cow<'static, str>) {
        let l = app.lang;
        match &self.prompt {
            Prompt::Filter => (texts::filter_title(l), texts::filter_label(l).into()),
            Prompt::LostReason(card) => (
                texts::lost_title(l),
                texts::why_lost(l, &text::truncate(&card.title, 40)).into(),
            ),
            Prompt::WonDate(card) => (
                texts::won_title(l),
                texts::won_date(l, &text::truncate(&card.title, 40)).into(),
            ),
            Prompt::EvidenceNote { stage, .. } => (
                texts::evidence_title(l),
                texts::evidence_note(l, &app.catalog.info(*stage).evidence).into(),
            ),
            Prompt::Meeting(prompt) => meeting_texts(l, prompt),
            Prompt::Since => (texts::since_title(l), texts::since_label(l).into()),
            Prompt::Answer { .. } => (texts::answer_title(l), texts::answer_label(l).into()),
            Prompt::Target => {
                let owner = app.filter.owner.as_ref().map(|o| format!(" — {o}"));
                let label = texts::target_label(
                    l,
                    app.period,
                    owner.as_deref().unwrap_or_default(),
                    &app.funnel.currency,
                );
                (texts::target_title(l), label.into())
            }
        }
    }
}

/// The day a "since" means: a quick date, or one read backwards (`-30d` as `+30d` is ahead).
fn since_day(today: NaiveDate, value: &str) -> Result<NaiveDate, WhenError> {
    match value.strip_prefix('-') {
        Some(back) => {
            when::parse_date(today, &format!("+{back}")).map(|ahead| today - (ahead - today))
        }
        None => when::parse_date(today, value),
    }
}

/// Title and label of a one-to-one prompt.
fn meeting_texts(l: Lang, prompt: &MeetingPrompt) -> (&'static str, Cow<'static, str>) {
    match prompt {
        MeetingPrompt::CardNote { title, .. } => (
            texts::card_note_title(l),
            texts::coaching_note_on(l, &text::truncate(title, 40)).into(),
        ),
        MeetingPrompt::MeetingNote => {
            (texts::meeting_note_title(l), texts::what_was_said(l).into())
        }
        MeetingPrompt::Skill => (texts::skill_title(l), texts::skill_label(l).into()),
        MeetingPrompt::ItemText => (
            texts::action_item_title(l),
            texts::item_text_label(l).into(),
        ),
        MeetingPrompt::ItemOwner { .. } => (
            texts::action_item_title(l),
            texts::item_owner_label(l).into(),
        ),
        MeetingPrompt::ItemDue { .. } => {
            (texts::action_item_title(l), texts::item_due_label(l).into())
        }
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
