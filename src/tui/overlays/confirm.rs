//! The two questions that stand between a key and a change: deleting a card, and moving a card
//! out of a stage whose evidence is not confirmed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Outcome, Overlay, Prompt, Reply, TextPrompt};
use crate::domain::{Stage, text};
use crate::tui::action::Action;
use crate::tui::app::{App, CardRef};
use crate::tui::keymap::Table;
use crate::tui::texts;
use crate::tui::ui::{Theme, popup};

/// "Delete this card?"
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteCard {
    pub card: CardRef,
}

impl DeleteCard {
    pub fn update(&mut self, action: &Action) -> Outcome {
        match action {
            Action::Accept => Outcome::Reply(Reply::DeleteCard(self.card.clone())),
            _ => Outcome::Close,
        }
    }

    pub fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let (l, theme) = (app.lang, Theme::of(app));
        let lines = vec![
            Line::raw(texts::delete_card(l, &text::truncate(&self.card.title, 50))),
            Line::styled(
                texts::key_undoes_it(l, &app.keys.key_for(Table::Board, &Action::Undo)),
                theme.dim(),
            ),
            Line::raw(""),
            popup::hint_line(app, theme, Table::Confirm),
        ];
        popup::popup(frame, area, texts::delete_title(l), lines, theme, 60);
    }
}

/// A card leaving a stage whose evidence is not confirmed: confirm it now, move anyway
/// (recorded as unverified), or stay.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingEvidence {
    pub card: CardRef,
    pub from: Stage,
    pub to: Stage,
}

impl MissingEvidence {
    pub fn update(&mut self, action: &Action) -> Outcome {
        match action {
            Action::ConfirmEvidence => Outcome::Replace(Overlay::Text(TextPrompt::new(
                Prompt::EvidenceNote {
                    card: self.card.clone(),
                    stage: self.from,
                    to: Some(self.to),
                },
                "",
            ))),
            Action::ForceMove => Outcome::Reply(Reply::ForceMove {
                card: self.card.clone(),
                from: self.from,
                to: self.to,
            }),
            Action::Cancel => Outcome::Close,
            _ => Outcome::Stay,
        }
    }

    pub fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let (l, theme) = (app.lang, Theme::of(app));
        let info = app.catalog.info(self.from);
        let lines = vec![
            Line::styled(text::truncate(&self.card.title, 60), theme.title()),
            Line::raw(""),
            Line::raw(texts::leaving_needs_evidence(
                l,
                app.stage_name(self.from),
                app.stage_name(self.to),
            )),
            Line::styled(info.evidence.clone(), theme.dim()),
            Line::raw(""),
            popup::hint_line(app, theme, Table::Evidence),
        ];
        popup::popup(frame, area, texts::evidence_title(l), lines, theme, 70);
    }
}
