//! A one-line text input: the text, a cursor, and the editing keys every terminal user expects.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::text;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    text: String,
    /// Cursor position, in chars.
    cursor: usize,
}

impl Input {
    pub fn new(value: &str) -> Input {
        let text = text::clean_line(value);
        Input {
            cursor: text.chars().count(),
            text,
        }
    }

    pub fn value(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    /// Applies an editing key; returns false if the key is not an editing key.
    pub fn handle(&mut self, key: &KeyEvent) -> bool {
        let len = self.text.chars().count();
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('u') if ctrl => {
                self.text.drain(..self.byte_at(self.cursor));
                self.cursor = 0;
            }
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = len,
            KeyCode::Char(_) if ctrl => return false,
            KeyCode::Char(c) => self.insert(&c.to_string()),
            KeyCode::Backspace if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.text.remove(at);
                self.cursor -= 1;
            }
            KeyCode::Delete if self.cursor < len => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(len),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = len,
            KeyCode::Backspace | KeyCode::Delete => {}
            _ => return false,
        }
        true
    }

    /// Inserts typed or pasted text, cleaned of control characters and escape sequences.
    pub fn insert(&mut self, raw: &str) {
        let clean = text::clean(raw).replace(['\n', '\r'], " ");
        if clean.is_empty() {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert_str(at, &clean);
        self.cursor += clean.chars().count();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(input: &mut Input, code: KeyCode) {
        input.handle(&KeyEvent::new(code, KeyModifiers::NONE));
    }

    #[test]
    fn edits_multibyte_text_at_the_cursor() {
        let mut input = Input::new("café");
        press(&mut input, KeyCode::Left);
        press(&mut input, KeyCode::Backspace);
        press(&mut input, KeyCode::Char('ï'));
        assert_eq!(input.value(), "caïé");
        press(&mut input, KeyCode::Home);
        press(&mut input, KeyCode::Delete);
        assert_eq!(input.value(), "aïé");
        press(&mut input, KeyCode::Backspace);
        assert_eq!(input.value(), "aïé");
    }

    #[test]
    fn pasted_escape_sequences_are_dropped() {
        let mut input = Input::default();
        input.insert("\x1b[31mred\x1b[0m\x1b]52;c;SGk=\x07!");
        assert_eq!(input.value(), "red!");
    }
}
