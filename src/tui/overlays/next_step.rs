//! The next step prompt: what the next step is and when, set or rescheduled in one key from the
//! board or the agenda, and asked again right after a step is marked done, so that every open
//! card keeps one. The "when" takes quick dates in both languages with an optional time.

use chrono::{NaiveDate, NaiveTime};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::entry::{self, Boxed, Row};
use super::{Outcome, Reply};
use crate::domain::{Lang, Opportunity, text};
use crate::tui::action::Action;
use crate::tui::app::{App, CardRef};
use crate::tui::input::Input;
use crate::tui::texts;

/// The prompt and what is typed so far.
#[derive(Debug, Clone, PartialEq)]
pub struct NextStepPrompt {
    pub card: CardRef,
    /// The step just marked done, when the prompt asks for the one after it.
    pub after: Option<String>,
    pub step: Input,
    pub when: Input,
    /// 0: the step, 1: when.
    pub focus: usize,
    pub errors: [Option<String>; 2],
}

/// A checked next step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextStep {
    pub text: String,
    pub due: NaiveDate,
    pub at: Option<NaiveTime>,
}

impl NextStepPrompt {
    /// Setting or rescheduling the card's next step: it starts with the current one.
    pub fn edit(opp: &Opportunity) -> NextStepPrompt {
        let f = &opp.fields;
        let when = f
            .next_step_due
            .map(|due| entry::when_text(due, f.next_step_at))
            .unwrap_or_default();
        NextStepPrompt {
            card: CardRef::of(opp),
            after: None,
            step: Input::new(&f.next_step),
            // The cursor on what is most often changed: the day, when there is a step already.
            focus: usize::from(!f.next_step.is_empty()),
            when: Input::new(&when),
            errors: [None, None],
        }
    }

    /// The step after `done`, which was just marked done on `card` (read after that).
    pub fn following(card: CardRef, done: String) -> NextStepPrompt {
        NextStepPrompt {
            card,
            after: Some(done),
            step: Input::default(),
            when: Input::default(),
            focus: 0,
            errors: [None, None],
        }
    }

    pub fn update(&mut self, action: &Action, lang: Lang, today: NaiveDate) -> Outcome {
        match action {
            Action::NextField | Action::PreviousField => self.focus = 1 - self.focus,
            Action::Up | Action::Down if self.focus == 1 => {
                entry::shift_day(&mut self.when, today, *action == Action::Down);
            }
            Action::Type(key) => {
                self.focused().handle(key);
            }
            Action::Paste(text) => self.focused().insert(text),
            Action::Accept => {
                return match self.check(lang, today) {
                    Ok(step) => Outcome::Reply(Reply::NextStep {
                        card: self.card.clone(),
                        step,
                    }),
                    Err(why) => Outcome::Refused(why),
                };
            }
            Action::Cancel => return Outcome::Close,
            _ => {}
        }
        Outcome::Stay
    }

    fn focused(&mut self) -> &mut Input {
        if self.focus == 0 {
            &mut self.step
        } else {
            &mut self.when
        }
    }

    /// The step typed, or why not (set beside the bad fields; the focus goes to the first).
    pub fn check(&mut self, lang: Lang, today: NaiveDate) -> Result<NextStep, String> {
        let text = self.step.value().trim().to_owned();
        let step = if text.is_empty() {
            Err(texts::step_needs_text(lang).to_owned())
        } else {
            Ok(text)
        };
        let when = entry::read_when(today, self.when.value(), lang).and_then(|(due, at)| {
            if due < today {
                Err(texts::step_day_passed(lang).to_owned())
            } else {
                Ok((due, at))
            }
        });
        self.errors = [step.clone().err(), when.clone().err()];
        match (step, when) {
            (Ok(text), Ok((due, at))) => Ok(NextStep { text, due, at }),
            _ => {
                self.focus = usize::from(self.errors[0].is_none());
                Err(texts::fields_to_fix(lang).to_owned())
            }
        }
    }

    pub fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let l = app.lang;
        let title = text::truncate(&self.card.title, 50);
        let mut intro = vec![Line::raw(texts::next_step_of(l, &title))];
        if let Some(done) = &self.after {
            intro.insert(
                0,
                Line::raw(texts::step_done_what_next(l, &text::truncate(done, 50))),
            );
        }
        let rows = vec![
            Row {
                label: texts::step_label(l),
                value: self.step.value().to_owned(),
                chosen: false,
                error: self.errors[0].as_deref(),
                help: None,
            },
            Row {
                label: texts::when_label(l),
                value: self.when.value().to_owned(),
                chosen: false,
                error: self.errors[1].as_deref(),
                help: Some(texts::when_help(l).to_owned()),
            },
        ];
        let cursor = if self.focus == 0 {
            self.step.cursor()
        } else {
            self.when.cursor()
        };
        let boxed = Boxed {
            title: texts::next_step_title(l),
            intro,
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
    use crate::domain::{OpportunityFields, Stage};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn card(step: &str, due: Option<NaiveDate>) -> Opportunity {
        let fields = OpportunityFields {
            title: "Fleet rollout".into(),
            next_step: step.into(),
            next_step_due: due,
            ..Default::default()
        };
        Opportunity::open(
            "c1".into(),
            "f".into(),
            fields,
            Stage::PreFunnel,
            day(12, 1),
        )
    }

    fn typed(prompt: &mut NextStepPrompt, text: &str) {
        prompt.update(&Action::Paste(text.into()), Lang::En, day(12, 9));
    }

    #[test]
    fn a_step_with_a_quick_date_and_time_is_read_in_either_language() {
        let mut prompt = NextStepPrompt::edit(&card("", None));
        assert_eq!(prompt.focus, 0);
        typed(&mut prompt, "Send the proposal");
        prompt.update(&Action::NextField, Lang::Fr, day(12, 9));
        typed(&mut prompt, "lundi prochain 14h30");
        let Outcome::Reply(Reply::NextStep { step, .. }) =
            prompt.update(&Action::Accept, Lang::Fr, day(12, 9))
        else {
            panic!("a reply")
        };
        assert_eq!(
            step,
            NextStep {
                text: "Send the proposal".into(),
                due: day(12, 14),
                at: NaiveTime::from_hms_opt(14, 30, 0),
            }
        );
    }

    #[test]
    fn a_missing_step_a_bad_date_and_a_passed_day_are_refused_beside_their_field() {
        let mut prompt = NextStepPrompt::edit(&card("", None));
        prompt.update(&Action::NextField, Lang::En, day(12, 9));
        typed(&mut prompt, "31/02");
        let refused = prompt.update(&Action::Accept, Lang::Fr, day(12, 9));
        assert!(matches!(refused, Outcome::Refused(_)));
        assert_eq!(
            prompt.errors[0].as_deref(),
            Some(texts::step_needs_text(Lang::Fr))
        );
        assert_eq!(prompt.errors[1].as_deref(), Some("ce jour n'existe pas"));
        assert_eq!(prompt.focus, 0);
        // An overdue step, kept as it was, asks for a new day.
        let mut overdue = NextStepPrompt::edit(&card("Call back", Some(day(12, 2))));
        assert_eq!(overdue.focus, 1);
        assert_eq!(overdue.when.value(), "2026-12-02");
        overdue.update(&Action::Accept, Lang::En, day(12, 9));
        assert_eq!(
            overdue.errors[1].as_deref(),
            Some(texts::step_day_passed(Lang::En))
        );
        // The arrows move it on a day at a time.
        for _ in 0..8 {
            overdue.update(&Action::Down, Lang::En, day(12, 9));
        }
        assert_eq!(overdue.when.value(), "2026-12-10");
        let accepted = overdue.update(&Action::Accept, Lang::En, day(12, 9));
        assert!(matches!(accepted, Outcome::Reply(_)), "{accepted:?}");
    }
}
