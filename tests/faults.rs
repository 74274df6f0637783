//! Faults around the database file: a second writer (stale versions are refused, a held lock is
//! waited for then reported), a read-only file or directory, and a full disk. Each is driven
//! through the library, the board (`Tui`) and the binary, as a user would meet it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use funnel::config::Config;
use funnel::domain::{Lang, OpportunityFields, Stage};
use funnel::store::{CardFilter, Funnel, NewOpportunity, Store, StoreError};
use funnel::tui::Tui;
use predicates::prelude::*;

mod common;

use common::Env;

/// The database opened through the library.
trait Open {
    fn open(&self) -> (Store, Funnel);
}

impl Open for Env {
    fn open(&self) -> (Store, Funnel) {
        let mut store = Store::open(&self.db()).unwrap();
        let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
        (store, funnel)
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

fn tui<'a>(store: &'a mut Store, funnel: &Funnel) -> Tui<'a> {
    Tui::new(
        store,
        funnel.clone(),
        Lang::En,
        &Config::default(),
        (120, 40),
    )
    .unwrap()
}

fn press(tui: &mut Tui, c: char) {
    let mods = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    tui.handle_key(&KeyEvent::new(KeyCode::Char(c), mods));
}

fn notice(tui: &Tui) -> String {
    tui.app
        .notice
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
    let mut tui = tui(&mut mine, &funnel);
    assert_eq!(tui.board.columns[0].count, 1);
    // Another window closes the card while this board still shows it open in pre-funnel.
    theirs.mark_won(&id, None, theirs.today()).unwrap();
    press(&mut tui, 'H'); // no stage before pre-funnel: nothing written
    press(&mut tui, 'x'); // lost, with a reason…
    for c in "too late".chars() {
        press(&mut tui, c);
    }
    tui.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let message = notice(&tui);
    assert!(message.contains("changed elsewhere"), "{message}");
    assert!(tui.app.notice.as_ref().unwrap().error);
    // Reloaded: the won card left the open board, and it is still won.
    assert_eq!(tui.board.columns[0].count, 0);
    drop(tui);
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
    let mut tui = tui(&mut store, &funnel);
    tui.board.focus = 1;
    let lock = hold_write_lock(&env.db());
    press(&mut tui, 'H');
    let message = notice(&tui);
    assert!(message.starts_with("the database is busy"), "{message}");
    drop(lock);
    drop(tui);
    assert_eq!(
        store.opportunity(&id).unwrap().stage,
        Stage::ProblemRecognized
    );
}

#[test]
fn the_cli_waits_then_reports_a_busy_database_with_exit_1() {
    let env = Env::new();
    env.run(&["add", "--title", "First", "--value", "1"])
        .success();
    let lock = hold_write_lock(&env.db());
    let started = Instant::now();
    env.run(&[
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

/// Makes a file or directory unwritable for this process, root included (the immutable
/// attribute, when permissions do not stop us); undone on drop. `None` when this system
/// cannot express it (root on a file system without `chattr`), and the test says so.
struct Unwritable {
    path: PathBuf,
    immutable: bool,
}

impl Unwritable {
    fn make(path: &Path) -> Option<Unwritable> {
        use std::os::unix::fs::PermissionsExt;
        let mode = if path.is_dir() { 0o500 } else { 0o400 };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        let mut guard = Unwritable {
            path: path.to_owned(),
            immutable: false,
        };
        if guard.still_writable() {
            let chattr = std::process::Command::new("chattr")
                .arg("+i")
                .arg(path)
                .status();
            guard.immutable = chattr.is_ok_and(|s| s.success());
            if !guard.immutable || guard.still_writable() {
                eprintln!("cannot make {} unwritable here: skipped", path.display());
                return None;
            }
        }
        Some(guard)
    }

    fn still_writable(&self) -> bool {
        if self.path.is_dir() {
            let probe = self.path.join(".probe");
            let created = std::fs::File::create(&probe).is_ok();
            let _ = std::fs::remove_file(probe);
            created
        } else {
            std::fs::OpenOptions::new()
                .append(true)
                .open(&self.path)
                .is_ok()
        }
    }
}

impl Drop for Unwritable {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.immutable {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(&self.path)
                .status();
        }
        let mode = if self.path.is_dir() { 0o700 } else { 0o600 };
        let _ = std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(mode));
    }
}

/// A database with one card, closed; then `protect` makes the file or its directory unwritable.
fn read_only_case(protect: impl FnOnce(&Env) -> Option<Unwritable>) {
    let env = Env::new();
    let (mut store, funnel) = env.open();
    let id = add(&mut store, &funnel, "Kept deal", Stage::ProblemRecognized);
    drop(store);
    let before = std::fs::read(env.db()).unwrap();
    let Some(_guard) = protect(&env) else {
        return;
    };

    let mut store = Store::open(&env.db()).unwrap();
    assert!(store.is_read_only());
    let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
    assert_eq!(store.opportunity(&id).unwrap().fields.title, "Kept deal");
    let refused = store
        .move_stage(&id, None, Stage::PreFunnel, true)
        .unwrap_err();
    assert!(matches!(refused, StoreError::ReadOnly), "{refused}");

    let mut board = tui(&mut store, &funnel);
    let screen = funnel::tui::render_text(&board);
    assert!(
        screen.lines().next().unwrap().contains("read-only"),
        "{screen}"
    );
    board.board.focus = 1;
    press(&mut board, 'H');
    assert_eq!(
        notice(&board),
        "the database is read-only: nothing was changed"
    );
    drop(board);
    drop(store);

    env.run(&["list"])
        .success()
        .stdout(predicate::str::contains("Kept deal"));
    env.run(&["won", &id[..8]])
        .code(2)
        .stderr(predicate::str::contains("read-only"));
    let good = common::fixture("good.csv");
    env.run(&["import", good.to_str().unwrap()])
        .code(2)
        .stderr(predicate::str::contains("read-only"));
    // A dry run writes nothing: it says what the import would do.
    env.run(&["import", "--dry-run", good.to_str().unwrap()])
        .success()
        .stderr(predicate::str::contains("would import: 5 added, 0 updated"));
    env.run(&[
        "--lang",
        "fr",
        "import",
        "--dry-run",
        good.to_str().unwrap(),
    ])
    .success()
    .stderr(predicate::str::contains("importerait : 5 ajoutées"));
    assert_eq!(std::fs::read(env.db()).unwrap(), before);
}

#[test]
fn a_read_only_file_opens_read_only_and_says_so() {
    read_only_case(|env| Unwritable::make(&env.db()));
}

#[test]
fn a_file_in_a_read_only_directory_opens_read_only_and_says_so() {
    read_only_case(|env| Unwritable::make(env.dir.path()));
}

/// SQLite gives the `-wal` and `-shm` files it creates the database file's mode: a read-only
/// open of a 0400 file must not leave them 0400, or the file stays read-only for its owner
/// (root aside) once its own mode is fixed.
#[test]
fn a_read_only_open_leaves_nothing_that_keeps_the_file_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let (mut store, funnel) = env.open();
    add(&mut store, &funnel, "Kept deal", Stage::PreFunnel);
    drop(store);
    {
        let Some(_guard) = Unwritable::make(&env.db()) else {
            return;
        };
        env.run(&["list"])
            .success()
            .stdout(predicate::str::contains("Kept deal"));
    }
    for suffix in ["-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{suffix}", env.db().display()));
        if let Ok(meta) = std::fs::metadata(&path) {
            let mode = meta.permissions().mode() & 0o777;
            assert_ne!(mode & 0o200, 0, "{} left {mode:o}", path.display());
        }
    }
    env.run(&["add", "--title", "After the fix", "--value", "100"])
        .success();
    let (store, _) = env.open();
    assert!(!store.is_read_only());
}

#[test]
fn a_new_database_in_a_read_only_directory_fails_clearly() {
    let env = Env::new();
    let Some(_guard) = Unwritable::make(env.dir.path()) else {
        return;
    };
    env.run(&["list"])
        .code(2)
        .stderr(predicate::str::contains("cannot create"));
    assert!(!env.db().exists());
}
