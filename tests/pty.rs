//! End to end in a real pseudo-terminal: the binary draws the board, keys are typed as a user
//! types them, and both the screen and the database are checked afterwards. The output is read
//! continuously on a thread (a full pipe would block the app) and the test waits for the screen
//! to show what it expects rather than sleeping.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// The binary running in a 30x110 pseudo-terminal over a temporary database.
struct Session {
    dir: tempfile::TempDir,
    parser: Arc<Mutex<vt100::Parser>>,
    keys: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    /// Starts `funnel` with extra environment variables.
    fn start(env: &[(&str, &str)]) -> Session {
        Session::start_in(tempfile::tempdir().unwrap(), env)
    }

    /// Starts `funnel` over the database `pty.db` of `dir`, made beforehand if need be.
    fn start_in(dir: tempfile::TempDir, env: &[(&str, &str)]) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 110,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(cargo_bin!("funnel"));
        cmd.args([
            "--db",
            dir.path().join("pty.db").to_str().unwrap(),
            "--lang",
            "en",
        ]);
        cmd.env("XDG_CONFIG_HOME", dir.path());
        cmd.env("TERM", "xterm-256color");
        for (name, value) in env {
            cmd.env(name, value);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(30).unwrap(),
            NonZeroU16::new(110).unwrap(),
            0,
        )));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let sink = Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        let keys = pty.master.take_writer().unwrap();
        Session {
            dir,
            parser,
            keys,
            child,
        }
    }

    fn type_keys(&mut self, text: &str) {
        self.keys.write_all(text.as_bytes()).unwrap();
        self.keys.flush().unwrap();
    }

    /// Waits until the screen contains `needle` (at most 10 s, for a slow CI machine).
    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let text = self.parser.lock().unwrap().screen().contents();
            if text.contains(needle) {
                return text;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "timed out waiting for {needle:?}; screen:\n{text}"
            );
            std::thread::yield_now();
        }
    }

    /// Types `q`, checks the app exits cleanly, and hands back the directory of the database.
    fn quit(mut self) -> tempfile::TempDir {
        self.type_keys("q");
        assert!(self.child.wait().unwrap().success());
        self.dir
    }
}

#[test]
fn a_seller_adds_moves_and_wins_a_card_in_a_real_terminal() {
    let mut session = Session::start(&[]);
    session.wait_for("No opportunities yet");
    session.type_keys("n");
    session.wait_for("New opportunity");
    session.type_keys("Pilot project\t\t25000\r");
    session.wait_for("Added \"Pilot project\"");
    session.type_keys("L");
    session.wait_for("move anyway");
    session.type_keys("c");
    session.wait_for("note (optional)");
    session.type_keys("ops lead named it\r");
    session.wait_for("Moved to Problem recognized");
    session.type_keys("w");
    session.wait_for("closing date");
    session.type_keys("\r");
    let text = session.wait_for("Marked won");
    assert!(text.contains("€25k"), "{text}");
    let dir = session.quit();
    let mut store = funnel::store::Store::open(&dir.path().join("pty.db")).unwrap();
    let main = store.resolve_funnel(None, "EUR", 1).unwrap();
    let all = store
        .opportunities(
            &main,
            &funnel::store::CardFilter {
                closed_too: true,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].fields.value_cents, 25_000_00);
    assert_eq!(all[0].status, funnel::domain::Status::Won);
    assert_eq!(all[0].stage, funnel::domain::Stage::ProblemRecognized);
    assert_eq!(
        store.evidence(&all[0].id).unwrap()[0].note,
        "ops lead named it"
    );
}

/// With a hub nobody answers, the real event loop keeps taking keys while the worker tries, and
/// the status line ends on "offline" with the change still pending.
#[test]
fn an_unreachable_hub_never_blocks_typing_and_shows_offline() {
    let mut session =
        Session::start(&[("FUNNEL_SYNC_URL", "host=127.0.0.1 port=1 connect_timeout=1")]);
    session.wait_for("No opportunities yet");
    session.type_keys("n");
    session.wait_for("New opportunity");
    session.type_keys("Pilot project\t\t25000\r");
    session.wait_for("Added \"Pilot project\"");
    let text = session.wait_for("offline");
    assert!(text.contains("local changes pending"), "{text}");
    session.type_keys("S");
    session.wait_for("syncing…");
    session.wait_for("offline");
    session.quit();
}

/// The row of the screen that holds `needle`.
fn row_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?}:\n{screen}"))
}

/// The morning loop: an overdue card is marked on the board; from the agenda the step is
/// marked done, the next one set for today, a call logged; back on the board the card's marker
/// says it is due today instead of overdue.
#[test]
fn the_morning_loop_in_a_real_terminal() {
    use funnel::domain::{ActivityKind, OpportunityFields};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pty.db");
    let id = {
        let mut store = funnel::store::Store::open(&path).unwrap();
        let main = store.resolve_funnel(None, "EUR", 1).unwrap();
        let fields = OpportunityFields {
            title: "Pilot project".into(),
            value_cents: 25_000_00,
            ..Default::default()
        };
        let new = funnel::store::NewOpportunity {
            fields,
            stage: None,
        };
        let card = store.add_opportunity(&main, new).unwrap();
        let two_days_ago = store.today() - chrono::Days::new(2);
        store
            .set_next_step(&card.id, None, "Send the quote", Some(two_days_ago), None)
            .unwrap();
        card.id
    };
    let mut session = Session::start_in(dir, &[]);
    let board = session.wait_for("€25k");
    // The card's third row: its value, days in stage, questions, evidence and next step marks.
    assert!(row_with(&board, "0d 0/").contains('!'), "{board}");
    session.type_keys("A");
    session.wait_for("Overdue (1)");
    session.type_keys(" ");
    session.wait_for("What comes next?");
    session.type_keys("Demo on site\ttoday\r");
    session.wait_for("Next step of \"Pilot project\"");
    session.type_keys("i");
    session.wait_for("Log an activity");
    session.type_keys("\t\t\tAsked for a demo\r");
    session.wait_for("Logged: call on \"Pilot project\"");
    session.type_keys("q");
    let board = session.wait_for("Pre-funnel");
    let row = row_with(&board, "0d 0/");
    assert!(row.contains('•') && !row.contains('!'), "{board}");
    let dir = session.quit();
    let store = funnel::store::Store::open(&dir.path().join("pty.db")).unwrap();
    let card = store.opportunity(&id).unwrap();
    assert_eq!(card.fields.next_step, "Demo on site");
    assert_eq!(card.fields.next_step_due, Some(store.today()));
    let kinds: Vec<ActivityKind> = store
        .activities(&id)
        .unwrap()
        .iter()
        .map(|a| a.kind)
        .collect();
    assert!(kinds.contains(&ActivityKind::StepDone) && kinds.contains(&ActivityKind::Call));
}
