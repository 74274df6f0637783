//! Styles. With `NO_COLOR` set, colours are dropped and only bold, dim and reverse remain, so no
//! meaning is ever carried by colour alone (markers like `!` and `✓` say it in text too).

use ratatui::style::{Color, Modifier, Style};

use crate::tui::app::App;

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// The app's theme (without colours under `NO_COLOR`).
    pub fn of(app: &App) -> Theme {
        Theme { color: app.color }
    }

    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn dim(self) -> Style {
        self.fg(Color::DarkGray).add_modifier(if self.color {
            Modifier::empty()
        } else {
            Modifier::DIM
        })
    }
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    /// The selected row's style, or none.
    pub fn selected_if(self, selected: bool) -> Style {
        if selected {
            self.selected()
        } else {
            Style::new()
        }
    }
    pub fn focused_border(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn viable_border(self) -> Style {
        self.fg(Color::Green)
    }
    pub fn stale(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn good(self) -> Style {
        self.fg(Color::Green)
    }
    pub fn warn(self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn money(self) -> Style {
        self.fg(Color::LightGreen)
    }
}
