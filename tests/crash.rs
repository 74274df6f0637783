//! Crash safety: a shell loop runs `funnel add`, `move` and `won` on one database and prints an
//! acknowledgement after each command that exited 0; the whole process group is SIGKILLed at a
//! random point, many times. Afterwards every acknowledged change is in the database, and
//! `check` (SQLite's integrity check and the funnel's invariants) finds nothing wrong.
//!
//! `cargo test --test crash` runs 30 kills; `cargo test --test crash -- --ignored` runs 500.
//! Every run prints its seed first, so a failure shows it beside the run, the command and what
//! it said: `FUNNEL_CRASH_SEED=N` replays that run.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use funnel::domain::{Stage, Status};
use funnel::store::{APPLICATION_ID, Store, StoreError};
use rusqlite::Connection;

/// Each loop turn adds a card, moves it to closing and marks it won, acknowledging each step.
/// A command that fails ends the loop with `failed COMMAND exited N` (its stderr is in `$ERR`).
const SCRIPT: &str = r#"
fail() { echo "failed funnel $1 exited $2"; exit 1; }
i=0
while :; do
  i=$((i+1))
  id=$("$FUNNEL" add --title "crash $RUN-$i" --value "$i" 2>"$ERR") || fail "add --title 'crash $RUN-$i'" $?
  echo "add $id"
  "$FUNNEL" move "$id" closing --force 2>"$ERR" || fail "move $id closing --force" $?
  echo "move $id"
  "$FUNNEL" won "$id" 2>"$ERR" || fail "won $id" $?
  echo "won $id"
done
"#;

/// xorshift64*: enough randomness to spread the kills, reproducible from the seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

/// What the loop acknowledged before it was killed.
#[derive(Default)]
struct Acked {
    added: Vec<String>,
    moved: Vec<String>,
    won: Vec<String>,
}

fn run_and_kill(db: &Path, seed: u64, run: usize, rng: &mut Rng, acked: &mut Acked) {
    let err = db.with_file_name("stderr");
    let mut child = Command::new("sh")
        .args(["-c", SCRIPT])
        .env("FUNNEL", env!("CARGO_BIN_EXE_funnel"))
        .env("FUNNEL_DB", db)
        .env("RUN", run.to_string())
        .env("ERR", &err)
        .env("XDG_CONFIG_HOME", db.parent().unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // Wait for a random number of acknowledgements (a condition, not a duration)…
    for _ in 0..rng.below(7) {
        let line = match lines.next() {
            Some(Ok(line)) if !line.starts_with("failed ") => line,
            stopped => {
                let said = std::fs::read_to_string(&err).unwrap_or_default();
                let why = match stopped {
                    Some(Ok(failed)) => failed,
                    _ => "the loop stopped by itself".to_owned(),
                };
                panic!(
                    "seed {seed} (replay: FUNNEL_CRASH_SEED={seed}), run {run}: {why}; \
                     its stderr: {said:?}"
                )
            }
        };
        let (verb, id) = line.split_once(' ').unwrap();
        match verb {
            "add" => acked.added.push(id.to_owned()),
            "move" => acked.moved.push(id.to_owned()),
            _ => acked.won.push(id.to_owned()),
        }
    }
    // …then a random instant inside the next command: this delay is where the fault lands,
    // not something the test waits for.
    std::thread::sleep(Duration::from_micros(rng.below(15_000)));
    let killed = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .status()
        .unwrap();
    assert!(killed.success());
    child.wait().unwrap();
}

fn crash_loop(iterations: usize) {
    let seed = std::env::var("FUNNEL_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    // Printed first, so that any failure below, even one without the seed in its message,
    // shows it (the harness prints a failed test's output).
    eprintln!("seed {seed} (replay: FUNNEL_CRASH_SEED={seed})");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("funnel.db");
    let mut rng = Rng(seed);
    let mut acked = Acked::default();
    for run in 0..iterations {
        run_and_kill(&db, seed, run, &mut rng, &mut acked);
    }
    let store = Store::open(&db).unwrap_or_else(|e| panic!("seed {seed}: open after kills: {e}"));
    let problems = store
        .check()
        .unwrap_or_else(|e| panic!("seed {seed}: check: {e}"));
    assert!(problems.is_empty(), "seed {seed}: {problems:#?}");
    for id in &acked.added {
        assert!(
            store.exists(id).unwrap(),
            "seed {seed}: acknowledged add {id} lost"
        );
    }
    for id in &acked.moved {
        let stage = store.opportunity(id).unwrap().stage;
        assert_eq!(
            stage,
            Stage::Closing,
            "seed {seed}: acknowledged move of {id} lost"
        );
    }
    for id in &acked.won {
        let status = store.opportunity(id).unwrap().status;
        assert_eq!(
            status,
            Status::Won,
            "seed {seed}: acknowledged win of {id} lost"
        );
    }
    eprintln!(
        "seed {seed}: {iterations} kills, {} adds / {} moves / {} wins acknowledged and kept",
        acked.added.len(),
        acked.moved.len(),
        acked.won.len()
    );
}

#[test]
fn acknowledged_changes_survive_sigkill() {
    crash_loop(30);
}

#[test]
#[ignore = "long: 500 kills; run with `cargo test --test crash -- --ignored`"]
fn acknowledged_changes_survive_many_sigkills() {
    crash_loop(500);
}

/// The SQLite magic that starts a rollback journal SQLite will play back (a hot journal).
const JOURNAL_MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];

/// Fifty rows of a kilobyte for table `t`: more than a one-page cache holds.
const FIFTY_ROWS: &str = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) \
     INSERT INTO t SELECT randomblob(1000) FROM n;";

/// Copies what a transaction on `source` has written so far, its journal included, to `to`
/// while the transaction is still open: the files a process killed at that point leaves. A
/// one-page cache makes SQLite write the changes to the file (after the journal) before commit.
fn copy_mid_transaction(source: &Path, to: &Path, change: &str) {
    let mut conn = Connection::open(source).unwrap();
    conn.pragma_update(None, "cache_size", 1).unwrap();
    let tx = conn.transaction().unwrap();
    tx.execute_batch(change).unwrap();
    let mut journal = source.as_os_str().to_owned();
    journal.push("-journal");
    let mut copy = to.as_os_str().to_owned();
    copy.push("-journal");
    std::fs::copy(journal, &copy).unwrap();
    std::fs::copy(source, to).unwrap();
    let hot = std::fs::read(&copy).unwrap();
    assert_eq!(hot[..8], JOURNAL_MAGIC, "the copied journal is not hot");
}

/// The first command on a new path, killed while it switches the file to WAL (before it marks
/// the file as funnel's), leaves a header page and a hot journal saying the file was empty. A
/// read-only look cannot roll that journal back: the file used to be refused as foreign, for
/// good. The next command now rolls it back and sets the file up.
#[test]
fn a_file_killed_while_being_created_is_set_up_by_the_next_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("funnel.db");
    // The header page: what the switch to WAL writes in an empty file.
    std::fs::File::create(&db).unwrap();
    Connection::open(&db)
        .unwrap()
        .pragma_update(None, "journal_mode", "WAL")
        .unwrap();
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 4096);
    // The journal of a first transaction on an empty file, taken before it commits.
    let scratch = dir.path().join("scratch.db");
    std::fs::File::create(&scratch).unwrap();
    copy_mid_transaction(
        &scratch,
        &dir.path().join("spilled.db"),
        &format!("CREATE TABLE t(x); {FIFTY_ROWS}"),
    );
    std::fs::rename(
        dir.path().join("spilled.db-journal"),
        dir.path().join("funnel.db-journal"),
    )
    .unwrap();

    let added = Command::new(env!("CARGO_BIN_EXE_funnel"))
        .args(["add", "--title", "after the crash", "--value", "1"])
        .env("FUNNEL_DB", &db)
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let id = String::from_utf8(added.stdout).unwrap();
    let store = Store::open(&db).unwrap();
    assert!(store.exists(id.trim()).unwrap());
    assert!(store.check().unwrap().is_empty());
    let mark: i32 = Connection::open(&db)
        .unwrap()
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(mark, APPLICATION_ID);
}

/// Another program's database with a hot journal (its own transaction cut short) is still
/// refused and left exactly as it was, journal included: rolling it back is that program's
/// business.
#[test]
fn a_foreign_file_with_a_hot_journal_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = dir.path().join("theirs.db");
    Connection::open(&theirs)
        .unwrap()
        .execute_batch("CREATE TABLE notes(text); INSERT INTO notes VALUES ('keep me');")
        .unwrap();
    let db = dir.path().join("funnel.db");
    copy_mid_transaction(&theirs, &db, &FIFTY_ROWS.replace("INTO t", "INTO notes"));
    let journal = dir.path().join("funnel.db-journal");
    let before = (
        std::fs::read(&db).unwrap(),
        std::fs::read(&journal).unwrap(),
    );
    assert!(matches!(
        Store::open(&db),
        Err(StoreError::NotFunnelDatabase { .. })
    ));
    let after = (
        std::fs::read(&db).unwrap(),
        std::fs::read(&journal).unwrap(),
    );
    assert!(before == after, "the foreign file or its journal changed");
}
