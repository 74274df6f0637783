//! What opens above a screen: help, the evidence question, the delete confirmation, text
//! prompts, forms and pickers. Each owns its state (the text typed, the field focused), turns
//! the actions of its own key table into an [`Outcome`], checks what was entered, and reports
//! back with a [`Reply`] the screen below acts on; it never changes the store itself.

pub mod activity;
mod confirm;
mod entry;
pub mod form;
mod help;
mod meetings;
pub mod next_step;
mod picker;
pub mod prompt;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

pub use activity::ActivityForm;
pub use confirm::{DeleteCard, MissingEvidence};
pub use entry::when_text;
pub use form::{Form, FormKind, FormValue};
pub use help::Help;
pub use meetings::PastMeetings;
pub use next_step::{NextStep, NextStepPrompt};
pub use picker::{Pick, Picker, step};
pub use prompt::{Entered, MeetingPrompt, Prompt, TextPrompt};

use super::action::Action;
use super::app::{App, CardRef};
use super::keymap::Table;
use crate::domain::Lang;
use crate::domain::Stage;
use crate::domain::activity::NewActivity;

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help(Help),
    MissingEvidence(MissingEvidence),
    DeleteCard(DeleteCard),
    Text(TextPrompt),
    Form(Form),
    Picker(Picker),
    /// Boxed: the forms are far larger than the other overlays.
    NextStep(Box<NextStepPrompt>),
    Activity(Box<ActivityForm>),
    Meetings(PastMeetings),
}

/// What an action did to an overlay.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It stays open (a key moved a selection or edited a field).
    Stay,
    /// It stays open and says why what was entered is refused.
    Refused(String),
    /// It closes without an answer.
    Close,
    /// It closes with an answer for the screen below.
    Reply(Reply),
    /// It stays open and tells the screen below what is typed so far (a live filter).
    Typed(Reply),
    /// It gives way to another (the evidence question to the note of the evidence).
    Replace(Overlay),
}

/// An overlay's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A prompt's text, checked.
    Text {
        prompt: Prompt,
        value: Entered,
    },
    /// The filter prompt was closed with Esc: the filter goes.
    FilterCancelled,
    /// A form's fields, checked.
    Form {
        kind: FormKind,
        value: Box<FormValue>,
    },
    Picked {
        pick: Pick,
        owner: String,
    },
    DeleteCard(CardRef),
    /// Leaving a stage without its evidence: move anyway, recorded as unverified.
    ForceMove {
        card: CardRef,
        from: Stage,
        to: Stage,
    },
    /// Evidence confirmed with its note: `to` is where the card goes on, if anywhere.
    Evidence {
        card: CardRef,
        stage: Stage,
        to: Option<Stage>,
        note: String,
    },
    /// The card's next step, set, rescheduled or following one marked done.
    NextStep {
        card: CardRef,
        step: NextStep,
    },
    Activity {
        card: CardRef,
        activity: NewActivity,
    },
}

impl Overlay {
    pub fn table(&self) -> Table {
        match self {
            Overlay::Help(_) => Table::Help,
            Overlay::MissingEvidence(_) => Table::Evidence,
            Overlay::DeleteCard(_) => Table::Confirm,
            Overlay::Text(_) => Table::Text,
            Overlay::Form(_) => Table::Form,
            Overlay::Picker(_) => Table::Picker,
            Overlay::NextStep(_) | Overlay::Activity(_) => Table::Entry,
            Overlay::Meetings(_) => Table::Meetings,
        }
    }

    /// Applies an action; `today` is what an empty date means.
    pub fn update(&mut self, action: &Action, lang: Lang, today: NaiveDate) -> Outcome {
        match self {
            Overlay::Help(_) => match action {
                Action::Cancel => Outcome::Close,
                _ => Outcome::Stay,
            },
            Overlay::MissingEvidence(o) => o.update(action),
            Overlay::DeleteCard(o) => o.update(action),
            Overlay::Text(o) => o.update(action, lang, today),
            Overlay::Form(o) => o.update(action, lang, today),
            Overlay::Picker(o) => o.update(action),
            Overlay::NextStep(o) => o.update(action, lang, today),
            Overlay::Activity(o) => o.update(action, lang, today),
            Overlay::Meetings(o) => o.update(action),
        }
    }

    pub fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        match self {
            Overlay::Help(o) => o.draw(app, frame, area),
            Overlay::MissingEvidence(o) => o.draw(app, frame, area),
            Overlay::DeleteCard(o) => o.draw(app, frame, area),
            Overlay::Text(o) => o.draw(app, frame, area),
            Overlay::Form(o) => o.draw(app, frame, area),
            Overlay::Picker(o) => o.draw(app, frame, area),
            Overlay::NextStep(o) => o.draw(app, frame, area),
            Overlay::Activity(o) => o.draw(app, frame, area),
            Overlay::Meetings(o) => o.draw(app, frame, area),
        }
    }
}
