//! The board's background sync as state: what the footer says before, during and after a sync,
//! driven without a terminal (the worker's result is handed to the tui as the event loop does).
//! A sync through a real hub is in `tests/sync.rs`.

use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use funnel::config::Config;
use funnel::domain::{Lang, OpportunityFields, Stage};
use funnel::store::{Clock, Flaw, Flawed, NewOpportunity, Store};
use funnel::tui::action::Action;
use funnel::tui::background::{self, Outcome};
use funnel::tui::worker;
use funnel::tui::{Tui, render_text};

fn noon() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 2)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
}

fn store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(Clock::Fixed(noon()));
    store.set_actor("test");
    store.resolve_funnel(None, "EUR", 1).unwrap();
    store
}

fn add(store: &mut Store, title: &str) {
    let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
    let fields = OpportunityFields {
        title: title.into(),
        owner: "ann".into(),
        value_cents: 1000_00,
        ..Default::default()
    };
    let new = NewOpportunity {
        fields,
        stage: Some(Stage::ImpactDefined),
    };
    store.add_opportunity(&funnel, new).unwrap();
}

fn tui(store: &mut Store) -> Tui<'_> {
    let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
    let mut tui = Tui::new(store, funnel, Lang::En, &Config::default(), (120, 30)).unwrap();
    tui.app.color = false;
    tui
}

/// The status line (second line from the bottom).
fn status_line(tui: &Tui) -> String {
    let text = render_text(tui);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len() - 2].to_owned()
}

fn press(tui: &mut Tui, c: char) {
    tui.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
}

fn synced() -> Outcome {
    Outcome::Synced {
        pushed: 0,
        pulled: 0,
        conflicts: 0,
        refused: 0,
    }
}

#[test]
fn without_a_hub_nothing_shows_and_s_says_how_to_set_one() {
    let mut store = store();
    let mut tui = tui(&mut store);
    if std::env::var_os("FUNNEL_SYNC_URL").is_none() {
        assert!(worker::start_sync(&mut tui, &Config::default()).is_none());
    }
    assert!(tui.app.sync.is_none());
    assert!(!tui.app.take_sync_request());
    assert_eq!(status_line(&tui).trim(), "");
    press(&mut tui, 'S');
    assert!(status_line(&tui).contains("No hub configured"));
    // The key is in the help.
    press(&mut tui, '?');
    assert!(render_text(&tui).contains("sync with the team's hub now"));
}

#[test]
fn pending_syncing_synced_and_the_period() {
    let mut store = store();
    add(&mut store, "Acme renewal");
    let mut tui = tui(&mut store);
    tui.app.enable_sync(Duration::from_secs(60));
    let line = status_line(&tui);
    assert!(line.contains("not synced yet"), "{line}");
    assert!(line.contains("3 local changes pending"), "{line}"); // the funnel, the card, its stage event

    // First turn of the loop: a sync is due at once.
    assert!(tui.app.take_sync_request());
    assert!(status_line(&tui).contains("syncing…"));
    assert!(!tui.app.take_sync_request(), "never two at once");
    // S while one runs: said, nothing queued.
    press(&mut tui, 'S');
    assert!(status_line(&tui).contains("Already syncing"));

    tui.update(Action::SyncFinished(synced()));
    tui.app
        .store
        .set_clock(Clock::Fixed(noon() + TimeDelta::seconds(12)));
    tui.app.tick();
    let line = status_line(&tui);
    assert!(line.contains("synced 12 s ago"), "{line}");
    assert!(!line.contains("syncing…"), "{line}");

    // Not due again before the period, due after it.
    assert!(!tui.app.take_sync_request());
    tui.app
        .store
        .set_clock(Clock::Fixed(noon() + TimeDelta::seconds(60)));
    assert!(tui.app.take_sync_request());
    tui.update(Action::SyncFinished(synced()));
    // S asks for one now.
    tui.app
        .store
        .set_clock(Clock::Fixed(noon() + TimeDelta::seconds(75)));
    assert!(!tui.app.take_sync_request());
    press(&mut tui, 'S');
    assert!(tui.app.take_sync_request());
    tui.update(Action::SyncFinished(synced()));
    tui.app
        .store
        .set_clock(Clock::Fixed(noon() + TimeDelta::seconds(75 + 180)));
    tui.app.tick();
    assert!(status_line(&tui).contains("synced 3 min ago"));

    // A change made on the board counts at once.
    let before = tui.app.sync.as_ref().unwrap().pending;
    tui.board.focus = Stage::ImpactDefined.index();
    press(&mut tui, 'L');
    press(&mut tui, 'f'); // move without evidence
    let after = tui.app.sync.as_ref().unwrap().pending;
    assert!(after > before, "{before} -> {after}");
}

#[test]
fn an_unreachable_hub_is_offline_and_keeps_the_changes() {
    let mut store = store();
    add(&mut store, "Acme renewal");
    let outcome = background::sync_once(
        &mut store,
        "host=127.0.0.1 port=1 connect_timeout=1",
        Lang::En,
    );
    assert!(matches!(outcome, Outcome::Offline(_)), "{outcome:?}");
    let mut tui = tui(&mut store);
    tui.app.enable_sync(Duration::from_secs(60));
    assert!(tui.app.take_sync_request());
    tui.update(Action::SyncFinished(outcome));
    let line = status_line(&tui);
    assert!(line.contains("offline · 3 local changes pending"), "{line}");
    // A bad URL is not "offline": the reason is on the status line.
    tui.app
        .store
        .set_clock(Clock::Fixed(noon() + TimeDelta::seconds(60)));
    assert!(tui.app.take_sync_request());
    let outcome = background::sync_once(tui.app.store, "postgresql://[bad", Lang::En);
    assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
    tui.update(Action::SyncFinished(outcome));
    let line = status_line(&tui);
    assert!(line.contains("Sync failed"), "{line}");
    assert!(line.contains("sync failed"), "{line}");
}

#[test]
fn refused_changes_are_counted_apart() {
    let mut store = store();
    store.enable_sync().unwrap();
    add(&mut store, "Acme renewal");
    let change = store
        .pending_changes("opportunities", "", 10)
        .unwrap()
        .remove(0);
    store
        .mark_pushed(&[], &[(&change, "not your card".into())])
        .unwrap();
    let mut tui = tui(&mut store);
    tui.app.enable_sync(Duration::from_secs(60));
    assert!(tui.app.take_sync_request());
    tui.update(Action::SyncFinished(Outcome::Synced {
        pushed: 1,
        pulled: 0,
        conflicts: 0,
        refused: 1,
    }));
    let line = status_line(&tui);
    assert!(
        line.contains("synced 0 s ago · 1 refused · 2 local changes pending"),
        "{line}"
    );
}

#[test]
fn a_narrow_board_shows_the_short_state_beside_a_notice() {
    let mut store = store();
    add(&mut store, "Acme renewal");
    let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
    let mut tui = Tui::new(&mut store, funnel, Lang::Fr, &Config::default(), (40, 12)).unwrap();
    tui.app.color = false;
    tui.app.enable_sync(Duration::from_secs(60));
    tui.app.notify("Une notice assez longue ici");
    let line = status_line(&tui);
    assert!(line.contains("non synchro · 3 en attente"), "{line}");
    assert!(line.starts_with(" Une notice"), "{line}");
    assert!(line.chars().count() <= 40, "{line}");
}

#[test]
fn sync_conflicts_are_listed_and_settled_on_the_board() {
    let mut store = store();
    store.enable_sync().unwrap();
    add(&mut store, "Acme renewal");
    // The hub brings a newer version of the card changed here too: theirs wins, mine is kept.
    let change = store
        .pending_changes("opportunities", "", 10)
        .unwrap()
        .remove(0);
    let mut theirs = change.data.clone();
    theirs.insert("value_cents".into(), 150_000.into());
    let incoming = funnel::store::Incoming {
        table: "opportunities",
        id: change.id.clone(),
        hlc: "9999999999999-00000-ff".into(),
        data: funnel::store::Fields::try_from(&theirs).unwrap(),
    };
    assert_eq!(
        store
            .apply_incoming([vec![incoming]], drop)
            .unwrap()
            .conflicts,
        1
    );

    let mut tui = tui(&mut store);
    press(&mut tui, 'C');
    let screen = render_text(&tui);
    assert!(screen.contains("Acme renewal · theirs kept"), "{screen}");
    assert!(
        screen.contains("value_cents: mine 100000 · theirs 150000"),
        "{screen}"
    );
    press(&mut tui, 'm');
    assert!(status_line(&tui).contains("Conflict settled: \"Acme renewal\""));
    press(&mut tui, 'C');
    assert!(status_line(&tui).contains("No sync conflicts"));
    drop(tui);
    assert!(store.conflicts().unwrap().is_empty());
    assert_eq!(
        store.opportunity(&change.id).unwrap().fields.value_cents,
        100_000
    );
}

/// Rows pulled from the hub that failed a check are counted on the status line, as the refused
/// local changes are, so the board says there is something to look at (`funnel conflicts`).
#[test]
fn pulled_rows_kept_aside_are_counted_on_the_status_line() {
    let mut store = store();
    store.enable_sync().unwrap();
    store
        .keep_aside(&[Flawed {
            table: "opportunities",
            id: "0190a3b2-0000-7000-8000-000000000001".into(),
            hlc: "0001767225600000-00000-node".into(),
            data: "{}".into(),
            flaw: Flaw::BadStamp,
        }])
        .unwrap();
    let mut tui = tui(&mut store);
    tui.app.enable_sync(Duration::from_secs(60));
    assert!(tui.app.take_sync_request());
    tui.update(Action::SyncFinished(synced()));
    let line = status_line(&tui);
    assert!(line.contains("synced 0 s ago · 1 kept aside"), "{line}");
}
