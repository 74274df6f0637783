//! Broken and hostile files through the real binary: each fixture of `tests/fixtures/` gives its
//! documented problems ("LINE: column: reason"), exit code 1 and an unchanged database. Then
//! escape sequences in every text field: cleaned on the way in, they reach neither the board,
//! `board --print`, `list` nor `report`.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use funnel::config::Config;
use funnel::domain::Lang;
use funnel::store::Store;
use funnel::tui::{Tui, render_text};

/// Each file and the problems it must report (every one of them, in this order).
const CASES: &[(&str, &[&str])] = &[
    (
        "wrong_delimiter.csv",
        &[
            "1: title|value|owner: unknown column",
            "1: title: required column is missing",
            "1: value: required column is missing",
        ],
    ),
    (
        "missing_column.csv",
        &[
            "1: title: required column is missing",
            "1: value: required column is missing",
        ],
    ),
    (
        "extra_cells.csv",
        &["2: expected 2 fields like the header, found 3"],
    ),
    ("duplicate_column.csv", &["1: OWNER: duplicate column"]),
    (
        "unknown_column.csv",
        &["1: colour: unknown column", "1: stge: unknown column"],
    ),
    (
        "open_quote.csv",
        &["3: title: quote opened here is never closed"],
    ),
    ("empty.csv", &["empty file: expected a header row"]),
    (
        "invalid_utf8.csv",
        &[
            "3: title: invalid UTF-8 (save the file as UTF-8)",
            "5: owner: invalid UTF-8 (save the file as UTF-8)",
        ],
    ),
    (
        HUGE_TITLE,
        &["2: title: too long: 1048576 characters (at most 10000)"],
    ),
    ("huge_value.csv", &["2: value: amount too large"]),
    (
        "negative_value.csv",
        &["2: value: negative amount not allowed"],
    ),
    (
        "thousands_ambiguity.csv",
        &["2: value: ambiguous amount \"1,234\": write 1234 or 1234.00"],
    ),
    (
        "impossible_date.csv",
        &["2: expected_close: no such date: 2026-02-30"],
    ),
    (
        "unknown_stage_status.csv",
        &[
            "2: stage: unknown stage \"nowhere\"",
            "3: status: unknown status \"maybe\" (open, won or lost)",
        ],
    ),
    (
        "duplicate_ids.csv",
        &[
            "4: id: duplicate id (also on line 2)",
            "5: id: not a UUID: \"not-a-uuid\"",
        ],
    ),
    (
        "huge_value.json",
        &["14: column 52: invalid type: floating point `1e+30`, expected i64"],
    ),
    (
        "bad_values.json",
        &[
            "opportunities[0].value_cents: negative amount not allowed",
            "opportunities[0].stage: unknown stage \"nowhere\"",
            "opportunities[0].status: unknown status \"maybe\" (open, won or lost)",
            "opportunities[0].created: no such date: 2026-02-30",
            "opportunities[1].id: duplicate id (also opportunities[0])",
            "opportunities[2].history: ends in stage pre_funnel but the opportunity is in stage closing",
        ],
    ),
];

/// A 1 MiB title, made at test time rather than kept in the repository.
const HUGE_TITLE: &str = "huge_title.csv (generated)";

mod common;

use common::Env;

/// Fixtures, one of them made at test time.
trait Fixtures {
    fn fixture(&self, name: &str) -> PathBuf;
}

impl Fixtures for Env {
    fn fixture(&self, name: &str) -> PathBuf {
        if name == HUGE_TITLE {
            let path = self.dir.path().join("huge_title.csv");
            let title = "T".repeat(1 << 20);
            std::fs::write(&path, format!("title,value\n{title},1\n")).unwrap();
            return path;
        }
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    }
}

#[test]
fn every_hostile_file_reports_its_problems_exits_1_and_changes_nothing() {
    let env = Env::new();
    env.run(&["add", "--title", "Existing deal", "--value", "1000"])
        .success();
    let before = env.stdout(&["export", "--format", "json"]);
    for (name, expected) in CASES {
        let path = env.fixture(name);
        let out = env
            .run(&["import", path.to_str().unwrap()])
            .code(1)
            .stdout("");
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        let mut lines = stderr.lines();
        let head = lines.next().unwrap_or_default();
        assert!(head.ends_with(": nothing imported"), "{name}: {stderr}");
        let reported: Vec<&str> = lines.collect();
        assert_eq!(reported.len(), expected.len(), "{name}: {stderr}");
        for (line, want) in reported.iter().zip(*expected) {
            assert!(line.starts_with(want), "{name}: {line:?} is not {want:?}");
        }
        assert_eq!(
            env.stdout(&["export", "--format", "json"]),
            before,
            "{name} changed the database"
        );
    }
}

/// What must never reach a terminal: escape sequences (or the remains of one) and bidi overrides.
fn assert_clean(what: &str, text: &str) {
    for bad in [
        "\x1b", "\u{9b}", "\u{9d}", "\u{202e}", "\u{202c}", "\x07", "[31m", "]52;", "]8;", "[2J",
        "[1;1H",
    ] {
        assert!(!text.contains(bad), "{what} contains {bad:?}:\n{text}");
    }
}

#[test]
fn escape_sequences_in_every_text_field_reach_no_screen() {
    let env = Env::new();
    let escapes = env.fixture("escapes.csv");
    env.run(&["import", escapes.to_str().unwrap()]).success();
    env.run(&["funnels", "add", "\x1b]52;c;SGk=\x07evil\x1bc funnel"])
        .success();
    env.run(&[
        "target",
        "set",
        "2026",
        "1000",
        "--owner",
        "\x1b[31mred owner0",
    ])
    .success();

    let list = env.stdout(&["list"]);
    assert_eq!(list.lines().count(), 8);
    assert!(list.contains("red title0") && list.contains("link account2"));
    assert_clean("list", &list);
    assert_clean("funnels", &env.stdout(&["funnels"]));
    assert_clean("report", &env.stdout(&["report", "--period", "2026"]));
    for (w, h) in [("200", "40"), ("80", "24"), ("40", "12")] {
        let board = env.stdout(&["board", "--print", "--width", w, "--height", h]);
        assert_clean("board --print", &board);
    }

    // The interactive board: every card's detail screen shows every field.
    let mut store = Store::open(&env.db()).unwrap();
    let funnel = store.resolve_funnel(Some("main"), "EUR", 1).unwrap();
    let mut tui = Tui::new(&mut store, funnel, Lang::En, &Config::default(), (200, 60)).unwrap();
    tui.app.color = false;
    tui.handle_key(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE)); // closed ones too
    tui.board.focus = 7; // every card is in closing, biggest (the last row of the file) first
    let mut seen = 0;
    for _ in 0..8 {
        assert_clean("board", &render_text(&tui));
        tui.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        let detail = render_text(&tui);
        assert!(
            detail.contains(&format!("territory{}", 7 - seen)) && detail.contains("next_step"),
            "{detail}"
        );
        assert_clean("detail", &detail);
        seen += 1;
        tui.handle_key(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        tui.handle_key(&KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
    }
    assert_eq!(seen, 8);
}
