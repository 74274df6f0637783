//! Faults around the database file: a second writer (stale versions are refused, a held lock is
//! waited for then reported), a read-only file or directory, and a full disk. Each is driven
//! through the library, the board (`App`) and the binary, as a user would meet it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin_cmd;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use funnel::config::Config;
use funnel::domain::{Lang, OpportunityFields, Stage};
use funnel::store::{CardFilter, Funnel, NewOpportunity, Store, StoreError};
use funnel::tui::App;
use predicates::prelude::*;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("funnel.db")
    }

    fn open(&self) -> (Store, Funnel) {
        let mut store = Store::open(&self.db()).unwrap();
        let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
        (store, funnel)
    }

    fn cli(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        cargo_bin_cmd!("funnel")
            .arg("--db")
            .arg(self.db())
            .args(args)
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env("LANG", "C")
            .env_remove("FUNNEL_DB")
            .assert()
    }
}

fn add(store: &mut Store, funnel: &Funnel, title: &str, stage: Stage) -> String {
    let fields = OpportunityFields {
        title: title.into(),
        value_cents: 1000_00,
        ..Default::default()
    };
    let new = NewOpportunity {
        fields,
        stage: Some(stage),
    };
    store.add_opportunity(funnel, new).unwrap().id
}

fn app<'a>(store: &'a mut Store, funnel: &Funnel) -> App<'a> {
    App::new(
        store,
        funnel.clone(),
        Lang::En,
        &Config::default(),
        (120, 40),
    )
    .unwrap()
}

fn press(app: &mut App, c: char) {
    let mods = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    app.handle_key(&KeyEvent::new(KeyCode::Char(c), mods));
}

fn notice(app: &App) -> String {
    app.notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

/// Another program holding the write lock (a transaction begun, not yet committed).
fn hold_write_lock(db: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    conn
}

#[test]
fn a_write_based_on_a_stale_version_is_refused() {
    let env = Env::new();
    let (mut mine, funnel) = env.open();
    let (mut theirs, _) = env.open();
    let id = add(&mut mine, &funnel, "Shared deal", Stage::PreFunnel);
    let seen = mine.opportunity(&id).unwrap();
    theirs
        .move_stage(&id, None, Stage::ProblemRecognized, true)
        .unwrap();
    let mut edited = seen.fields.clone();
    edited.title = "My edit".into();
    let refused = mine.update_fields(&id, seen.version, edited).unwrap_err();
    assert!(matches!(refused, StoreError::Conflict), "{refused}");
    // Their change is kept, mine was not written over it.
    let now = mine.opportunity(&id).unwrap();
    assert_eq!(
        (now.stage, now.fields.title.as_str()),
        (Stage::ProblemRecognized, "Shared deal")
    );
}

#[test]
fn the_board_reloads_with_a_message_when_a_card_changed_underneath() {
    let env = Env::new();
    let (mut mine, funnel) = env.open();
    let (mut theirs, _) = env.open();
    let id = add(&mut mine, &funnel, "Shared deal", Stage::PreFunnel);
    let mut app = app(&mut mine, &funnel);
    assert_eq!(app.columns[0].count, 1);
    // Another window closes the card while this board still shows it open in pre-funnel.
    theirs.mark_won(&id, None, theirs.today()).unwrap();
    press(&mut app, 'H'); // no stage before pre-funnel: nothing written
    press(&mut app, 'x'); // lost, with a reason…
    for c in "too late".chars() {
        press(&mut app, c);
    }
    app.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let message = notice(&app);
    assert!(message.contains("changed elsewhere"), "{message}");
    assert!(app.notice.as_ref().unwrap().error);
    // Reloaded: the won card left the open board, and it is still won.
    assert_eq!(app.columns[0].count, 0);
    drop(app);
    let card = mine.opportunity(&id).unwrap();
    assert_eq!(card.status, funnel::domain::Status::Won);
}

#[test]
fn a_locked_database_waits_for_the_busy_timeout_then_says_so() {
    let env = Env::new();
    let (mut store, funnel) = env.open();
    store.set_busy_timeout(Duration::from_millis(300)).unwrap();
    let lock = hold_write_lock(&env.db());
    let started = Instant::now();
    let fields = OpportunityFields {
        title: "Waits".into(),
        ..Default::default()
    };
    let new = NewOpportunity {
        fields,
        stage: None,
    };
    let err = store.add_opportunity(&funnel, new.clone()).unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(matches!(err, StoreError::Busy));
    assert!(err.to_string().starts_with("the database is busy"));
    drop(lock);
    store.add_opportunity(&funnel, new).unwrap();
}

#[test]
fn the_board_says_busy_and_changes_nothing() {
    let env = Env::new();
    let (mut store, funnel) = env.open();
    let id = add(&mut store, &funnel, "Deal", Stage::ProblemRecognized);
    store.set_busy_timeout(Duration::from_millis(100)).unwrap();
    let mut app = app(&mut store, &funnel);
    app.focus = 1;
    let lock = hold_write_lock(&env.db());
    press(&mut app, 'H');
    let message = notice(&app);
    assert!(message.starts_with("the database is busy"), "{message}");
    drop(lock);
    drop(app);
    assert_eq!(
        store.opportunity(&id).unwrap().stage,
        Stage::ProblemRecognized
    );
}

#[test]
fn the_cli_waits_then_reports_a_busy_database_with_exit_1() {
    let env = Env::new();
    env.cli(&["add", "--title", "First", "--value", "1"])
        .success();
    let lock = hold_write_lock(&env.db());
    let started = Instant::now();
    env.cli(&[
        "--busy-timeout",
        "300",
        "add",
        "--title",
        "Second",
        "--value",
        "2",
    ])
    .code(1)
    .stdout("")
    .stderr(predicate::str::contains("the database is busy"));
    assert!(started.elapsed() >= Duration::from_millis(300));
    drop(lock);
    let (store, funnel) = env.open();
    let all = store
        .opportunities(&funnel, &CardFilter::default())
        .unwrap();
    assert_eq!(all.len(), 1, "the refused add wrote nothing");
}
