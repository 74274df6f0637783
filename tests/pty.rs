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
        Session::run_in(dir, &[], env)
    }

    /// Starts `funnel ARGS` over the database `pty.db` of `dir`.
    fn run_in(dir: tempfile::TempDir, args: &[&str], env: &[(&str, &str)]) -> Session {
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
        cmd.args(args);
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
    // The card's third row: days in stage, questions asked, evidence, then the next step's mark.
    session.wait_for("0d 0/6 · !");
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
    let board = session.wait_for("0d 0/6 · •");
    assert!(!board.contains("0d 0/6 · !"), "{board}");
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

/// A lead's one-to-one on a real terminal: `funnel one-to-one` opens on what changed since the
/// seller's previous meeting, the walk goes from one changed card to the next with its changes
/// in the panel, a coaching note lands on the card walked to, and leaving keeps the meeting.
#[test]
fn a_one_to_one_walks_the_changes_in_a_real_terminal() {
    use funnel::domain::{OpportunityFields, Stage};
    use funnel::store::{Clock, NewOpportunity};
    let noon = |m, d| {
        chrono::NaiveDate::from_ymd_opt(2026, m, d)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pty.db");
    let (pushed, forced) = {
        let mut store = funnel::store::Store::open(&path).unwrap();
        store.set_clock(Clock::Fixed(noon(1, 5)));
        let main = store.resolve_funnel(None, "EUR", 1).unwrap();
        let add = |store: &mut funnel::store::Store, title: &str, value: i64| {
            let fields = OpportunityFields {
                title: title.into(),
                value_cents: value * 100,
                owner: "Ana Silva".into(),
                expected_close: chrono::NaiveDate::from_ymd_opt(2026, 4, 30),
                ..Default::default()
            };
            let new = NewOpportunity {
                fields,
                stage: Some(Stage::ProblemRecognized),
            };
            store.add_opportunity(&main, new).unwrap()
        };
        let pushed = add(&mut store, "Plant analytics", 310_000);
        let forced = add(&mut store, "Fleet telemetry", 48_000);
        add(&mut store, "Quiet deal", 20_000);
        store.set_clock(Clock::Fixed(noon(2, 2)));
        let meeting = store.start_meeting(&main, "Ana Silva").unwrap();
        store.set_meeting_skill(&meeting.id, "Discovery").unwrap();
        store.end_meeting(&meeting.id).unwrap();
        store.set_clock(Clock::Fixed(noon(2, 10)));
        let mut fields = pushed.fields.clone();
        fields.expected_close = chrono::NaiveDate::from_ymd_opt(2026, 6, 30);
        store
            .update_fields(&pushed.id, pushed.version, fields)
            .unwrap();
        store
            .move_stage(&forced.id, None, Stage::ImpactDefined, true)
            .unwrap();
        (pushed.id, forced.id)
    };
    let mut session = Session::run_in(
        dir,
        &["one-to-one", "Ana Silva"],
        &[("FUNNEL_TODAY", "2026-03-02")],
    );
    // The changes are walked first, a forced move before a pushed close date.
    let screen = session.wait_for("Change 1/2 · Fleet telemetry");
    assert!(screen.contains("⚠ unverified"), "{screen}");
    assert!(
        screen.contains("Last time (2026-02-02): Discovery"),
        "{screen}"
    );
    session.type_keys("c");
    session.wait_for("Coaching note");
    session.type_keys("Ask for the evidence\r");
    session.wait_for("Card note saved");
    session.type_keys("\t");
    let screen = session.wait_for("Change 2/2 · Plant analytics");
    assert!(
        screen.contains("close date pushed 1× 2026-04-30 → 2026-06-30"),
        "{screen}"
    );
    session.type_keys("\t");
    session.wait_for("Change 1/2 · Fleet telemetry");
    session.type_keys("q");
    session.wait_for("One-to-one ended");
    let dir = session.quit();
    let mut store = funnel::store::Store::open(&dir.path().join("pty.db")).unwrap();
    let main = store.resolve_funnel(None, "EUR", 1).unwrap();
    let meetings = store.meetings(&main, "Ana Silva").unwrap();
    assert_eq!(meetings.len(), 2);
    let today = store.meeting(&meetings[0].id).unwrap();
    assert_eq!(
        today.card_notes,
        [(forced.clone(), "Ask for the evidence".to_owned())]
    );
    assert_ne!(pushed, forced);
}
