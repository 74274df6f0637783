//! The activity form: a call, meeting, email or note logged on a card, with its day (today
//! unless said otherwise, quick dates accepted), who it was with (a person of the card's buying
//! centre, chosen with the arrows, or any name typed) and a short summary.

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::entry::{self, Boxed, Row};
use super::{Outcome, Reply};
use crate::domain::activity::{ActivityKind, NewActivity};
use crate::domain::{Lang, text};
use crate::tui::action::Action;
use crate::tui::app::{App, CardRef};
use crate::tui::input::Input;
use crate::tui::texts;

/// The kinds a seller logs by hand (a step marked done is logged by the done key).
pub const KINDS: [ActivityKind; 4] = [
    ActivityKind::Call,
    ActivityKind::Meeting,
    ActivityKind::Email,
    ActivityKind::Note,
];

/// The form's fields, in order.
const KIND: usize = 0;
const DAY: usize = 1;
const WITH: usize = 2;
const SUMMARY: usize = 3;
const FIELDS: usize = 4;

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityForm {
    pub card: CardRef,
    /// The names of the card's buying centre, offered for "with".
    pub people: Vec<String>,
    /// Index in [`KINDS`].
    pub kind: usize,
    pub day: Input,
    pub with: Input,
    pub summary: Input,
    pub focus: usize,
    /// By field.
    pub errors: [Option<String>; FIELDS],
}

impl ActivityForm {
    /// A call today, with nobody named yet.
    pub fn new(card: CardRef, people: Vec<String>) -> ActivityForm {
        ActivityForm {
            card,
            people,
            kind: 0,
            day: Input::default(),
            with: Input::default(),
            summary: Input::default(),
            focus: KIND,
            errors: Default::default(),
        }
    }

    pub fn kind(&self) -> ActivityKind {
        KINDS[self.kind]
    }

    pub fn update(&mut self, action: &Action, lang: Lang, today: NaiveDate) -> Outcome {
        let later = matches!(action, Action::Down);
        match action {
            Action::NextField => self.focus = (self.focus + 1) % FIELDS,
            Action::PreviousField => self.focus = (self.focus + FIELDS - 1) % FIELDS,
            Action::Up | Action::Down => match self.focus {
                KIND => self.kind = super::step(self.kind, KINDS.len(), !later),
                DAY => entry::shift_day(&mut self.day, today, later),
                WITH => self.choose_person(later),
                _ => {}
            },
            Action::Type(key) if self.focus == KIND => {
                // Left, right and space turn the choice as the arrows do.
                match key.code {
                    KeyCode::Left => self.kind = super::step(self.kind, KINDS.len(), true),
                    KeyCode::Right | KeyCode::Char(' ') => {
                        self.kind = super::step(self.kind, KINDS.len(), false)
                    }
                    _ => {}
                }
            }
            Action::Type(key) => {
                if let Some(input) = self.text_field() {
                    input.handle(key);
                }
            }
            Action::Paste(text) => {
                if let Some(input) = self.text_field() {
                    input.insert(text);
                }
            }
            Action::Accept => {
                return match self.check(lang, today) {
                    Some(activity) => Outcome::Reply(Reply::Activity {
                        card: self.card.clone(),
                        activity,
                    }),
                    None => Outcome::Refused(texts::fields_to_fix(lang).to_owned()),
                };
            }
            Action::Cancel => return Outcome::Close,
            _ => {}
        }
        Outcome::Stay
    }

    fn text_field(&mut self) -> Option<&mut Input> {
        match self.focus {
            DAY => Some(&mut self.day),
            WITH => Some(&mut self.with),
            SUMMARY => Some(&mut self.summary),
            _ => None,
        }
    }

    /// The next (or previous) person of the buying centre after the name in the field.
    fn choose_person(&mut self, next: bool) {
        if self.people.is_empty() {
            return;
        }
        let current = self
            .people
            .iter()
            .position(|p| p == self.with.value().trim());
        let chosen = match current {
            Some(i) => super::step(i, self.people.len(), !next),
            None if next => 0,
            None => self.people.len() - 1,
        };
        self.with = Input::new(&self.people[chosen]);
    }

    /// The activity, or `None` with the errors set beside their fields (the focus on the first).
    pub fn check(&mut self, lang: Lang, today: NaiveDate) -> Option<NewActivity> {
        let day = match self.day.value().trim() {
            "" => Ok((today, None)),
            typed => entry::read_when(today, typed, lang),
        };
        let summary = self.summary.value().trim().to_owned();
        let summary_error = (summary.is_empty() && self.kind() == ActivityKind::Note)
            .then(|| texts::note_needs_text(lang).to_owned());
        self.errors = [None, day.clone().err(), None, summary_error];
        if let Some(first) = self.errors.iter().position(Option::is_some) {
            self.focus = first;
            return None;
        }
        let (on, at) = day.ok()?;
        Some(NewActivity {
            kind: self.kind(),
            on,
            at,
            with: self.with.value().trim().to_owned(),
            summary,
        })
    }

    pub fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let l = app.lang;
        let title = text::truncate(&self.card.title, 50);
        let people = if self.people.is_empty() {
            texts::nobody_in_buying_centre(l).to_owned()
        } else {
            let names: Vec<String> = self.people.iter().map(|p| text::truncate(p, 24)).collect();
            texts::buying_centre_choices(l, &names.join(", "))
        };
        let rows = vec![
            Row {
                label: texts::kind_label(l),
                value: texts::activity_kind(l, self.kind()).to_owned(),
                chosen: true,
                error: None,
                help: Some(texts::kind_help(l).to_owned()),
            },
            Row {
                label: texts::day_label(l),
                value: self.day.value().to_owned(),
                chosen: false,
                error: self.errors[DAY].as_deref(),
                help: Some(texts::day_help(l).to_owned()),
            },
            Row {
                label: texts::with_label(l),
                value: self.with.value().to_owned(),
                chosen: false,
                error: None,
                help: Some(people),
            },
            Row {
                label: texts::summary_label(l),
                value: self.summary.value().to_owned(),
                chosen: false,
                error: self.errors[SUMMARY].as_deref(),
                help: None,
            },
        ];
        let cursor = match self.focus {
            DAY => self.day.cursor(),
            WITH => self.with.cursor(),
            SUMMARY => self.summary.cursor(),
            _ => 0,
        };
        let boxed = Boxed {
            title: texts::activity_title(l),
            intro: vec![Line::raw(texts::activity_on(l, &title))],
            rows,
            focus: self.focus,
            cursor,
        };
        entry::draw(app, frame, area, boxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn form() -> ActivityForm {
        let card = CardRef {
            id: "c1".into(),
            version: 1,
            title: "Fleet rollout".into(),
        };
        ActivityForm::new(card, vec!["Léa Martin".into(), "Paul Roy".into()])
    }

    fn act(form: &mut ActivityForm, action: Action) -> Outcome {
        form.update(&action, Lang::En, day(12, 9))
    }

    #[test]
    fn a_call_today_with_nobody_named_takes_one_key() {
        let mut form = form();
        let Outcome::Reply(Reply::Activity { activity, .. }) = act(&mut form, Action::Accept)
        else {
            panic!("a reply")
        };
        assert_eq!(
            activity,
            NewActivity {
                kind: ActivityKind::Call,
                on: day(12, 9),
                at: None,
                with: String::new(),
                summary: String::new(),
            }
        );
    }

    #[test]
    fn kind_day_and_person_are_chosen_with_the_arrows_or_typed() {
        let mut form = form();
        act(&mut form, Action::Down);
        assert_eq!(form.kind(), ActivityKind::Meeting);
        act(&mut form, Action::Up);
        act(&mut form, Action::Up);
        assert_eq!(form.kind(), ActivityKind::Note);
        act(&mut form, Action::NextField);
        act(&mut form, Action::Paste("hier".into()));
        act(&mut form, Action::Accept);
        assert_eq!(form.focus, DAY);
        assert_eq!(
            form.errors[DAY].as_deref(),
            Some("not a date (tomorrow, +3d, +1w, monday, 15/01, 2027-01-15, then 14h or 9:30)")
        );
        // A note says something.
        assert_eq!(
            form.errors[SUMMARY].as_deref(),
            Some(texts::note_needs_text(Lang::En))
        );
        form.day = Input::new("vendredi 9h");
        act(&mut form, Action::NextField);
        act(&mut form, Action::Down);
        act(&mut form, Action::Down);
        assert_eq!(form.with.value(), "Paul Roy");
        act(&mut form, Action::Down);
        assert_eq!(form.with.value(), "Léa Martin");
        form.with = Input::new("Someone else");
        act(&mut form, Action::NextField);
        act(&mut form, Action::Paste("Budget moved to Q2".into()));
        let Outcome::Reply(Reply::Activity { activity, .. }) = act(&mut form, Action::Accept)
        else {
            panic!("a reply")
        };
        assert_eq!(activity.kind, ActivityKind::Note);
        assert_eq!(activity.on, day(12, 11));
        assert_eq!(activity.at, chrono::NaiveTime::from_hms_opt(9, 0, 0));
        assert_eq!(activity.with, "Someone else");
        assert_eq!(activity.summary, "Budget moved to Q2");
    }
}
