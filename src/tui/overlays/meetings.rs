//! The past meetings of a one-to-one's seller or team, newest first: the day, who it was with,
//! the skill chosen and how many of its action items are done and open.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Outcome, step};
use crate::domain::text;
use crate::store::{MeetingKind, PastMeeting};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Table;
use crate::tui::texts;
use crate::tui::ui::{Theme, popup};

#[derive(Debug, Clone, PartialEq)]
pub struct PastMeetings {
    /// The seller or team, for the title.
    pub who: String,
    pub rows: Vec<PastMeeting>,
    pub selected: usize,
}

impl PastMeetings {
    pub fn new(who: String, rows: Vec<PastMeeting>) -> PastMeetings {
        PastMeetings {
            who,
            rows,
            selected: 0,
        }
    }

    pub fn update(&mut self, action: &Action) -> Outcome {
        match action {
            Action::Up | Action::Down => {
                self.selected = step(self.selected, self.rows.len(), *action == Action::Up);
                Outcome::Stay
            }
            _ => Outcome::Close,
        }
    }

    pub fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let (l, theme) = (app.lang, Theme::of(app));
        let width = usize::from(popup::popup_width(area, 90).saturating_sub(2));
        // As many rows as the screen holds around the selected one.
        let room = usize::from(area.height.saturating_sub(6)).max(1);
        let first = (self.selected + 1).saturating_sub(room);
        let mut lines: Vec<Line> = self
            .rows
            .iter()
            .enumerate()
            .skip(first)
            .take(room)
            .map(|(i, row)| {
                let m = &row.meeting;
                let kind = match m.kind {
                    MeetingKind::Seller => texts::kind_seller(l),
                    MeetingKind::Team => texts::kind_team(l),
                };
                let with = if m.owner.is_empty() {
                    &m.team
                } else {
                    &m.owner
                };
                let skill = if m.skill.is_empty() {
                    texts::no_skill(l).to_owned()
                } else {
                    m.skill.clone()
                };
                let items = texts::items_done_open(l, row.items_done, row.items_open);
                let line = format!(
                    " {}  {}  {}  {}  {items}",
                    m.held_on,
                    text::pad(kind, 7),
                    text::pad(&text::truncate(with, 16), 16),
                    text::pad(&text::truncate(&skill, 24), 24),
                );
                Line::styled(
                    text::truncate(&line, width),
                    theme.selected_if(i == self.selected),
                )
            })
            .collect();
        if lines.is_empty() {
            lines.push(Line::styled(
                format!(" {}", texts::no_past_meeting(l)),
                theme.dim(),
            ));
        }
        lines.push(Line::raw(""));
        lines.push(popup::hint_line(app, theme, Table::Meetings));
        let title = texts::past_meetings_title(l, &text::truncate(&self.who, 30));
        popup::popup(frame, area, &title, lines, theme, 90);
    }
}
