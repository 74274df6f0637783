//! What the tests that drive the board in process share: a board over a store, keys pressed as
//! a user types them, and the clock's noon of a day.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use funnel::config::Config;
use funnel::domain::Lang;
use funnel::store::{Funnel, Store};
use funnel::tui::Tui;

pub fn noon(y: i32, m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
}

/// The board over `store`, without colour (so snapshots are plain text).
pub fn tui<'a>(store: &'a mut Store, funnel: &Funnel, lang: Lang, size: (u16, u16)) -> Tui<'a> {
    let mut tui = Tui::new(store, funnel.clone(), lang, &Config::default(), size).unwrap();
    tui.app.color = false;
    tui
}

/// One key, with Shift for an upper-case letter as a terminal sends it.
pub fn key(tui: &mut Tui, code: KeyCode) {
    let modifiers = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    tui.handle_key(&KeyEvent::new(code, modifiers));
}

/// Typed text, a key per character.
pub fn keys(tui: &mut Tui, text: &str) {
    for c in text.chars() {
        key(tui, KeyCode::Char(c));
    }
}
