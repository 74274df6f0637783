//! The key bindings, as data: one table per screen and overlay, composed of shared parts
//! ([`tables`]). The same table drives the dispatch, the hint bar at the bottom and the `?`
//! help overlay, so they can never disagree. `config.toml` changes them per table ([`remap`]).

mod remap;
mod tables;

pub use remap::{Problem, Reason, Refusal};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use crate::domain::Lang;

/// A key with its modifiers (shift is part of the character for letters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

const fn shift(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::SHIFT,
    }
}

impl Key {
    /// How the key is written in hints and help.
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("C-{base}")
        } else if self.mods.contains(KeyModifiers::SHIFT) && !matches!(self.code, KeyCode::Char(_))
        {
            format!("S-{base}")
        } else {
            base
        }
    }

    /// Reads the notation [`Key::label`] writes (`L`, `Space`, `S-Tab`, `C-r`, `S-→`…), with
    /// `Left`, `Right`, `Up` and `Down` for the arrows; names may be in any case.
    pub fn parse(text: &str) -> Result<Key, Problem> {
        let prefixed = |prefix: &str| {
            text.split_at_checked(2)
                .filter(|(p, rest)| p.eq_ignore_ascii_case(prefix) && !rest.is_empty())
                .map(|(_, rest)| rest)
        };
        let (mods, base) = match (prefixed("C-"), prefixed("S-")) {
            (Some(base), _) => (KeyModifiers::CONTROL, base),
            (_, Some(base)) => (KeyModifiers::SHIFT, base),
            _ => (KeyModifiers::NONE, text),
        };
        let mut chars = base.chars();
        let code = match (named(base), chars.next(), chars.next()) {
            (Some(code), _, _) => code,
            (None, Some(c), None) => KeyCode::Char(c),
            _ => return Err(Problem::Unreadable(text.to_owned())),
        };
        match (mods, code) {
            (KeyModifiers::SHIFT, KeyCode::Char(_)) => {
                Err(Problem::ShiftedCharacter(text.to_owned()))
            }
            (KeyModifiers::SHIFT, KeyCode::Tab) => Ok(key(KeyCode::BackTab)),
            (mods, code) => Ok(Key { code, mods }),
        }
    }

    /// Whether a key event is this key. Shift is ignored for characters (the character already
    /// says it: `L` is shift+l), and for BackTab.
    fn matches(self, event: &KeyEvent) -> bool {
        let mods = match event.code {
            KeyCode::Char(_) | KeyCode::BackTab => event.mods_without_shift(),
            _ => event.modifiers,
        };
        self.code == event.code && self.mods == mods
    }
}

/// A key written by its name (the arrows by name or as drawn).
fn named(name: &str) -> Option<KeyCode> {
    let code = match name.to_ascii_lowercase().as_str() {
        "space" => KeyCode::Char(' '),
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "del" => KeyCode::Delete,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pgup" => KeyCode::PageUp,
        "pgdn" => KeyCode::PageDown,
        "left" | "←" => KeyCode::Left,
        "right" | "→" => KeyCode::Right,
        "up" | "↑" => KeyCode::Up,
        "down" | "↓" => KeyCode::Down,
        other => KeyCode::F((1..=12).find(|n| other == format!("f{n}"))?),
    };
    Some(code)
}

trait WithoutShift {
    fn mods_without_shift(&self) -> KeyModifiers;
}

impl WithoutShift for KeyEvent {
    fn mods_without_shift(&self) -> KeyModifiers {
        self.modifiers - KeyModifiers::SHIFT
    }
}

/// One line of a default table: keys, a short label for the hint bar (`None`: not in the bar),
/// a description for the help overlay, each a message in the interface's language.
pub struct Bind {
    pub keys: &'static [Key],
    pub action: Action,
    pub hint: Option<fn(Lang) -> &'static str>,
    pub help: fn(Lang) -> &'static str,
}

/// One line of a table in use: the default's texts with its keys (remapped or not).
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<Key>,
    bind: &'static Bind,
}

impl Binding {
    pub fn action(&self) -> &Action {
        &self.bind.action
    }
    /// The action's name in `config.toml`: its variant in snake_case (`move_forward`).
    pub fn action_name(&self) -> String {
        let mut name = String::new();
        for c in format!("{:?}", self.bind.action).chars() {
            if c.is_ascii_uppercase() && !name.is_empty() {
                name.push('_');
            }
            name.push(c.to_ascii_lowercase());
        }
        name
    }
    /// The binding's label in the hint bar; empty for one the bar leaves out.
    pub fn hint(&self, lang: Lang) -> &'static str {
        self.bind.hint.map_or("", |hint| hint(lang))
    }
    pub fn help(&self, lang: Lang) -> &'static str {
        (self.bind.help)(lang)
    }
    /// The key shown in the hint bar.
    pub fn first_key(&self) -> String {
        self.keys.first().map_or_else(String::new, |k| k.label())
    }
    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join("/")
    }
}

impl std::fmt::Debug for Bind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.action)
    }
}

/// A key table: one per screen and overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Board,
    Detail,
    Dashboard,
    OneToOne,
    Conflicts,
    Help,
    Evidence,
    Confirm,
    Text,
    Form,
    Picker,
    Agenda,
    /// The next step and activity forms.
    Entry,
    /// What changed since a day.
    Changes,
    /// The one-to-one over a team.
    TeamOneToOne,
    /// The past meetings' list.
    Meetings,
}

impl Table {
    pub const ALL: [Table; 16] = [
        Table::Board,
        Table::Detail,
        Table::Dashboard,
        Table::OneToOne,
        Table::Conflicts,
        Table::Help,
        Table::Evidence,
        Table::Confirm,
        Table::Text,
        Table::Form,
        Table::Picker,
        Table::Agenda,
        Table::Entry,
        Table::Changes,
        Table::TeamOneToOne,
        Table::Meetings,
    ];

    /// The table's name in `config.toml` (`[keys.board]`).
    pub fn name(self) -> &'static str {
        match self {
            Table::Board => "board",
            Table::Detail => "detail",
            Table::Dashboard => "dashboard",
            Table::OneToOne => "one_to_one",
            Table::Conflicts => "conflicts",
            Table::Help => "help",
            Table::Evidence => "evidence",
            Table::Confirm => "confirm",
            Table::Text => "text",
            Table::Form => "form",
            Table::Picker => "picker",
            Table::Agenda => "agenda",
            Table::Entry => "entry",
            Table::Changes => "changes",
            Table::TeamOneToOne => "team_one_to_one",
            Table::Meetings => "meetings",
        }
    }

    fn parts(self) -> &'static [&'static [Bind]] {
        match self {
            Table::Board => tables::BOARD,
            Table::Detail => tables::DETAIL,
            Table::Dashboard => tables::DASHBOARD,
            Table::OneToOne => tables::ONE_TO_ONE,
            Table::Conflicts => tables::CONFLICTS,
            Table::Help => tables::HELP,
            Table::Evidence => tables::EVIDENCE,
            Table::Confirm => tables::CONFIRM,
            Table::Text => tables::TEXT,
            Table::Form => tables::FORM,
            Table::Picker => tables::PICKER,
            Table::Agenda => tables::AGENDA,
            Table::Entry => tables::ENTRY,
            Table::Changes => tables::CHANGES,
            Table::TeamOneToOne => tables::TEAM_ONE_TO_ONE,
            Table::Meetings => tables::MEETINGS,
        }
    }

    fn index(self) -> usize {
        Table::ALL.iter().position(|t| *t == self).expect("listed")
    }
}

/// Every table in use.
#[derive(Debug, Clone)]
pub struct Keymap {
    tables: Vec<Vec<Binding>>,
}

impl Default for Keymap {
    /// The default keys.
    fn default() -> Keymap {
        let tables = Table::ALL
            .iter()
            .map(|t| {
                t.parts()
                    .iter()
                    .flat_map(|part| part.iter())
                    .map(|bind| Binding {
                        keys: bind.keys.to_vec(),
                        bind,
                    })
                    .collect()
            })
            .collect();
        Keymap { tables }
    }
}

impl Keymap {
    pub fn table(&self, table: Table) -> &[Binding] {
        &self.tables[table.index()]
    }

    /// The action a key triggers in a table, if any.
    pub fn lookup(&self, table: Table, event: &KeyEvent) -> Option<Action> {
        self.table(table)
            .iter()
            .find(|b| b.keys.iter().any(|k| k.matches(event)))
            .map(|b| b.action().clone())
    }

    /// The key a text names for an action of a table (the first one bound, remapped or not),
    /// so a notice such as "n adds one" names the key that does it.
    pub fn key_for(&self, table: Table, action: &Action) -> String {
        self.table(table)
            .iter()
            .find(|b| b.action() == action)
            .map_or_else(String::new, Binding::first_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_a_table() {
        let keymap = Keymap::default();
        for table in Table::ALL {
            let keys: Vec<Key> = keymap
                .table(table)
                .iter()
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            for (i, a) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(a), "{a:?} bound twice in {table:?}");
            }
        }
    }

    #[test]
    fn shared_parts_are_written_once() {
        let keymap = Keymap::default();
        let help = |t| {
            keymap
                .table(t)
                .iter()
                .find(|b| *b.action() == Action::FocusLeft)
                .map(|b| b.help(Lang::En))
        };
        assert_eq!(help(Table::Board), help(Table::OneToOne));
        assert!(help(Table::Board).is_some());
    }

    #[test]
    fn every_binding_is_said_in_both_languages() {
        for table in Table::ALL {
            for part in table.parts() {
                for bind in *part {
                    for lang in [Lang::En, Lang::Fr] {
                        assert!(!(bind.help)(lang).is_empty(), "{bind:?} in {table:?}");
                        if let Some(hint) = bind.hint {
                            assert!(!hint(lang).is_empty(), "{bind:?} in {table:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn shifted_letters_and_arrows() {
        let keymap = Keymap::default();
        let on_board = |code, mods| keymap.lookup(Table::Board, &KeyEvent::new(code, mods));
        assert_eq!(
            on_board(KeyCode::Char('L'), KeyModifiers::SHIFT),
            Some(Action::MoveForward)
        );
        assert_eq!(
            on_board(KeyCode::Right, KeyModifiers::SHIFT),
            Some(Action::MoveForward)
        );
        assert_eq!(
            on_board(KeyCode::Right, KeyModifiers::NONE),
            Some(Action::FocusRight)
        );
        assert_eq!(
            on_board(KeyCode::Char('r'), KeyModifiers::CONTROL),
            Some(Action::Redo)
        );
        assert_eq!(on_board(KeyCode::Char('r'), KeyModifiers::NONE), None);
    }

    #[test]
    fn every_default_key_reads_back_from_its_label() {
        let keymap = Keymap::default();
        for table in Table::ALL {
            for key in keymap.table(table).iter().flat_map(|b| b.keys.iter()) {
                assert_eq!(Key::parse(&key.label()), Ok(*key), "{}", key.label());
            }
        }
    }

    #[test]
    fn keys_read_by_name_in_any_case() {
        let read = |text| Key::parse(text).unwrap();
        assert_eq!(read("L"), ch('L'));
        assert_eq!(read("l"), ch('l'));
        assert_eq!(read("["), ch('['));
        assert_eq!(read("-"), ch('-'));
        assert_eq!(read("space"), ch(' '));
        assert_eq!(read("PGDN"), key(KeyCode::PageDown));
        assert_eq!(read("Left"), key(KeyCode::Left));
        assert_eq!(read("↓"), key(KeyCode::Down));
        assert_eq!(read("S-Left"), shift(KeyCode::Left));
        assert_eq!(read("s-tab"), key(KeyCode::BackTab));
        assert_eq!(read("F12"), key(KeyCode::F(12)));
        assert_eq!(read("C-x"), ctrl('x'));
        assert_eq!(read("C--"), ctrl('-'));
        assert_eq!(
            read("C-Home"),
            Key {
                code: KeyCode::Home,
                mods: KeyModifiers::CONTROL
            }
        );
        for bad in [
            "", "Ctrl+x", "C-", "F0", "F13", "f01", "S-x", "LL", "Insert",
        ] {
            assert!(Key::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn action_names_are_the_variants_in_snake_case_once_per_table() {
        let keymap = Keymap::default();
        let board: Vec<String> = keymap
            .table(Table::Board)
            .iter()
            .map(Binding::action_name)
            .collect();
        assert!(board.contains(&"move_forward".to_owned()), "{board:?}");
        assert!(board.contains(&"start_one_to_one".to_owned()), "{board:?}");
        for table in Table::ALL {
            let names: Vec<String> = keymap
                .table(table)
                .iter()
                .map(Binding::action_name)
                .collect();
            for (i, name) in names.iter().enumerate() {
                assert!(!names[i + 1..].contains(name), "{name} twice in {table:?}");
            }
        }
    }
}
