//! `config.toml`'s `[keys.TABLE]` sections over the default tables: an action, named as its
//! variant in snake_case, gets the keys written for it in that table. Checked before the board
//! starts, so a mistake is refused with its line rather than leaving a key that does nothing or
//! one key for two actions.

use crossterm::event::{KeyCode, KeyModifiers};

use super::{Key, Keymap, Table, ctrl};
use crate::config::{KeyRemap, KeyTableSetting};
use crate::domain::Lang;
use crate::tui::texts;

/// A `[keys]` entry refused: its line in `config.toml` and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: usize,
    pub reason: Reason,
}

/// Why a `[keys]` entry is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    UnknownTable(String),
    UnknownAction {
        table: Table,
        action: String,
    },
    /// The keys given to an action.
    Keys {
        table: Table,
        action: String,
        problem: Problem,
    },
}

/// What is wrong with the keys given to an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NoKey,
    Unreadable(String),
    /// `S-l` for `L`.
    ShiftedCharacter(String),
    CtrlC,
    /// A character in a table whose unbound keys type text.
    TypesItself(String),
    WrittenTwice(String),
    /// The key is another action's in the same table too.
    BoundTwice {
        key: String,
        other: String,
    },
}

impl Refusal {
    /// `LINE: reason`, in the user's language.
    pub fn say(&self, lang: Lang) -> String {
        format!("{}: {}", self.line, self.reason.say(lang))
    }
}

impl Reason {
    pub fn say(&self, lang: Lang) -> String {
        match self {
            Reason::UnknownTable(table) => {
                let tables = Table::ALL.map(Table::name).join(", ");
                texts::unknown_key_table(lang, table, &tables)
            }
            Reason::UnknownAction { table, action } => {
                let actions = Keymap::default()
                    .table(*table)
                    .iter()
                    .map(|b| b.action_name())
                    .collect::<Vec<_>>()
                    .join(", ");
                texts::unknown_key_action(lang, action, table.name(), &actions)
            }
            Reason::Keys {
                table,
                action,
                problem,
            } => {
                let problem = match problem {
                    Problem::NoKey => texts::no_key_given(lang).to_owned(),
                    Problem::Unreadable(key) => texts::unreadable_key(lang, key),
                    Problem::ShiftedCharacter(key) => texts::shifted_character(lang, key),
                    Problem::CtrlC => texts::ctrl_c_quits(lang).to_owned(),
                    Problem::TypesItself(key) => texts::key_types_itself(lang, key),
                    Problem::WrittenTwice(key) => texts::key_written_twice(lang, key),
                    Problem::BoundTwice { key, other } => {
                        texts::key_bound_twice(lang, key, table.name(), action, other)
                    }
                };
                format!("keys.{}.{action}: {problem}", table.name())
            }
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
}

impl Keymap {
    /// The default tables with `config.toml`'s remaps; of several mistakes, the first by line
    /// is refused.
    pub fn with_remaps(settings: &[KeyTableSetting]) -> Result<Keymap, Refusal> {
        let mut keymap = Keymap::default();
        let mut refusals = Vec::new();
        for setting in settings {
            match Table::ALL.into_iter().find(|t| t.name() == setting.table) {
                Some(table) => keymap.remap(table, &setting.remaps, &mut refusals),
                None => refusals.push(Refusal {
                    line: setting.line,
                    reason: Reason::UnknownTable(setting.table.clone()),
                }),
            }
        }
        match refusals.into_iter().min_by_key(|r| r.line) {
            Some(refusal) => Err(refusal),
            None => Ok(keymap),
        }
    }

    /// Gives one table's actions their new keys, then checks that no key is left on two
    /// actions (a new key may collide with another action's default one).
    fn remap(&mut self, table: Table, remaps: &[KeyRemap], refusals: &mut Vec<Refusal>) {
        let bindings = &mut self.tables[table.index()];
        // The line that set each binding's keys, for the ones remapped.
        let mut lines = vec![None; bindings.len()];
        for remap in remaps {
            let refuse = |problem: Problem| Refusal {
                line: remap.line,
                reason: Reason::Keys {
                    table,
                    action: remap.action.clone(),
                    problem,
                },
            };
            let Some(index) = bindings
                .iter()
                .position(|b| b.action_name() == remap.action)
            else {
                refusals.push(Refusal {
                    line: remap.line,
                    reason: Reason::UnknownAction {
                        table,
                        action: remap.action.clone(),
                    },
                });
                continue;
            };
            match parse_keys(table, &remap.keys) {
                Ok(keys) => {
                    bindings[index].keys = keys;
                    lines[index] = Some(remap.line);
                }
                Err(reason) => refusals.push(refuse(reason)),
            }
        }
        for (i, a) in bindings.iter().enumerate() {
            for (j, b) in bindings.iter().enumerate().skip(i + 1) {
                let Some(key) = a.keys.iter().find(|k| b.keys.contains(k)) else {
                    continue;
                };
                // The default keys never collide: the later remap brought the collision.
                let Some(line) = lines[i].max(lines[j]) else {
                    continue;
                };
                let (blamed, other) = if lines[j] == Some(line) {
                    (b, a)
                } else {
                    (a, b)
                };
                refusals.push(Refusal {
                    line,
                    reason: Reason::Keys {
                        table,
                        action: blamed.action_name(),
                        problem: Problem::BoundTwice {
                            key: key.label(),
                            other: other.action_name(),
                        },
                    },
                });
            }
        }
    }
}

/// The keys of one entry, read and checked.
fn parse_keys(table: Table, written: &[String]) -> Result<Vec<Key>, Problem> {
    if written.is_empty() {
        return Err(Problem::NoKey);
    }
    let mut keys: Vec<Key> = Vec::new();
    for text in written {
        let key = Key::parse(text)?;
        if key == ctrl('c') {
            return Err(Problem::CtrlC);
        }
        // A text field or a form gets every key its table does not bind: a character there
        // must type itself.
        if matches!(table, Table::Text | Table::Form | Table::Entry)
            && key.mods == KeyModifiers::NONE
            && matches!(key.code, KeyCode::Char(_))
        {
            return Err(Problem::TypesItself(key.label()));
        }
        if keys.contains(&key) {
            return Err(Problem::WrittenTwice(key.label()));
        }
        keys.push(key);
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::tui::action::Action;
    use crate::tui::keymap::Binding;
    use crossterm::event::KeyEvent;

    fn keymap(toml: &str) -> Result<Keymap, Refusal> {
        Keymap::with_remaps(
            &Config::parse(toml, crate::domain::Lang::En)
                .expect("well-formed")
                .keys,
        )
    }

    /// The refusal's line and reason.
    fn refused(toml: &str) -> (usize, String) {
        let refusal = keymap(toml).expect_err(toml);
        (refusal.line, refusal.reason.say(Lang::En))
    }

    fn press(keymap: &Keymap, table: Table, code: KeyCode, mods: KeyModifiers) -> Option<Action> {
        keymap.lookup(table, &KeyEvent::new(code, mods))
    }

    #[test]
    fn a_remap_replaces_the_actions_keys_in_its_table_only() {
        let keys = keymap(
            "[keys.board]\nmove_forward = \"m\"\nmove_back = [\"B\", \"S-Left\", \"F2\"]\n\
             [keys.detail]\ntoggle_asked = \"C-t\"\n",
        )
        .unwrap();
        let board = |code, mods| press(&keys, Table::Board, code, mods);
        assert_eq!(
            board(KeyCode::Char('m'), KeyModifiers::NONE),
            Some(Action::MoveForward)
        );
        assert_eq!(board(KeyCode::Char('L'), KeyModifiers::SHIFT), None);
        assert_eq!(board(KeyCode::Right, KeyModifiers::SHIFT), None);
        assert_eq!(
            board(KeyCode::Char('B'), KeyModifiers::SHIFT),
            Some(Action::MoveBack)
        );
        assert_eq!(
            board(KeyCode::F(2), KeyModifiers::NONE),
            Some(Action::MoveBack)
        );
        assert_eq!(board(KeyCode::Char('H'), KeyModifiers::SHIFT), None);
        // The detail keeps its own `L`; its Space no longer marks a question asked.
        let detail = |code, mods| press(&keys, Table::Detail, code, mods);
        assert_eq!(
            detail(KeyCode::Char('L'), KeyModifiers::SHIFT),
            Some(Action::MoveForward)
        );
        assert_eq!(
            detail(KeyCode::Char('t'), KeyModifiers::CONTROL),
            Some(Action::ToggleAsked)
        );
        assert_eq!(detail(KeyCode::Char(' '), KeyModifiers::NONE), None);
        let forward = keys
            .table(Table::Board)
            .iter()
            .find(|b| *b.action() == Action::MoveForward)
            .unwrap();
        assert_eq!(forward.keys_label(), "m");
    }

    #[test]
    fn a_key_freed_by_one_remap_may_go_to_another_action() {
        let keys = keymap("[keys.board]\nmove_forward = \"d\"\ndelete_card = \"X\"\n").unwrap();
        let board = |c| press(&keys, Table::Board, KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(board('d'), Some(Action::MoveForward));
        assert_eq!(
            press(&keys, Table::Board, KeyCode::Delete, KeyModifiers::NONE),
            None
        );
    }

    #[test]
    fn an_unknown_table_names_the_line_of_its_section() {
        let (line, reason) = refused("mouse = true\n\n[keys.bored]\nmove_forward = \"m\"\n");
        assert_eq!(line, 3);
        assert!(
            reason.starts_with("unknown key table [keys.bored]"),
            "{reason}"
        );
        assert!(reason.contains("one_to_one"), "{reason}");
    }

    #[test]
    fn an_action_of_another_table_is_unknown_in_this_one() {
        let (line, reason) = refused("[keys.board]\nquit = \"Q\"\n\ntoggle_asked = \"x\"\n");
        assert_eq!(line, 4);
        assert!(
            reason.starts_with("unknown action `toggle_asked` in [keys.board]"),
            "{reason}"
        );
        assert!(reason.contains("move_forward"), "{reason}");
        let (line, reason) = refused("[keys.detail]\nMoveForward = \"m\"\n");
        assert_eq!(line, 2);
        assert!(reason.contains("`MoveForward`"), "{reason}");
    }

    #[test]
    fn an_unreadable_key_names_its_entry() {
        for (toml, line, said) in [
            (
                "[keys.board]\nmove_forward = \"Ctrl+L\"\n",
                2,
                "cannot read the key `Ctrl+L`",
            ),
            (
                "[keys.board]\n\nmove_back = [\"H\", \"S-h\"]\n",
                3,
                "`S-h`: write the character",
            ),
            (
                "[keys.board]\nquit = \"F13\"\n",
                2,
                "cannot read the key `F13`",
            ),
            ("[keys.board]\nquit = \"\"\n", 2, "cannot read the key ``"),
            ("[keys.board]\nquit = []\n", 2, "give at least one key"),
            (
                "[keys.board]\nquit = [\"Q\", \"Q\"]\n",
                2,
                "`Q` is written twice",
            ),
            ("[keys.help]\ncancel = \"C-c\"\n", 2, "C-c always quits"),
            ("\n[keys.text]\naccept = \"a\"\n", 3, "`a` types itself"),
            (
                "[keys.form]\nnext_field = \"Space\"\n",
                2,
                "`Space` types itself",
            ),
        ] {
            let (at, reason) = refused(toml);
            assert_eq!(at, line, "{toml}");
            assert!(reason.contains(said), "{toml}: {reason}");
        }
        // Characters are fine in the picker, keys with Control in a text field.
        keymap("[keys.picker]\naccept = \"x\"\n[keys.text]\naccept = \"C-s\"\n").unwrap();
    }

    #[test]
    fn a_key_bound_twice_after_remapping_is_refused_at_the_remap() {
        // On another action's default key.
        let (line, reason) = refused("[keys.board]\n\nmove_forward = \"d\"\n");
        assert_eq!(line, 3);
        assert_eq!(
            reason,
            "keys.board.move_forward: `d` would be bound twice in [keys.board], to move_forward \
             and to delete_card"
        );
        // Two remaps on one key: the later one is blamed, whatever the order of the actions.
        let (line, reason) = refused("[keys.board]\nquit = \"m\"\nmove_back = \"m\"\n");
        assert_eq!(line, 3);
        assert!(reason.starts_with("keys.board.move_back: `m`"), "{reason}");
        let (line, reason) = refused("[keys.board]\nmove_back = \"m\"\nquit = \"m\"\n");
        assert_eq!(line, 3);
        assert!(reason.starts_with("keys.board.quit: `m`"), "{reason}");
        // The same key in two tables is fine.
        keymap("[keys.board]\nquit = \"Q\"\n[keys.detail]\ncancel = [\"Esc\", \"Q\"]\n").unwrap();
    }

    #[test]
    fn of_several_mistakes_the_first_line_is_refused() {
        let (line, _) = refused(
            "[keys.detail]\ncancel = \"Q\"\nfly = \"x\"\n[keys.board]\nmove_forward = \"d\"\n\
             [keys.nope]\n",
        );
        assert_eq!(line, 3);
        let (line, _) = refused("[keys.board]\nmove_forward = \"d\"\nwalk = \"x\"\n");
        assert_eq!(line, 2);
    }

    /// README.md lists every table's actions in order, so a new or renamed action shows there.
    #[test]
    fn the_readme_lists_every_tables_actions() {
        let readme = include_str!("../../../README.md")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let keymap = Keymap::default();
        for table in Table::ALL {
            let names: Vec<String> = keymap
                .table(table)
                .iter()
                .map(Binding::action_name)
                .collect();
            let listed = format!("`{}`: {}", table.name(), names.join(", "));
            assert!(readme.contains(&listed), "README.md lacks {listed}");
        }
    }

    #[test]
    fn a_refusal_is_said_in_the_users_language() {
        let refusal = keymap("[keys.board]\nmove_forward = \"d\"\n").unwrap_err();
        assert_eq!(
            refusal.say(Lang::Fr),
            "2: keys.board.move_forward: `d` serait liée deux fois dans [keys.board], à \
             move_forward et à delete_card"
        );
        let refusal = keymap("[keys.bord]\nquit = \"Q\"\n").unwrap_err();
        assert!(
            refusal
                .say(Lang::Fr)
                .starts_with("1: table de touches inconnue [keys.bord]"),
            "{}",
            refusal.say(Lang::Fr)
        );
    }
}
