//! Team sync against a real PostgreSQL hub: sellers and a lead, each with their own SQLite file.
//!
//! Needs a server: `FUNNEL_TEST_PG` holds an admin connection string (e.g.
//! `host=127.0.0.1 user=postgres`; `.ci/run` sets it). Without it each test says it is skipped
//! and passes, and `postgresql_tests_ran_or_say_why` says so in the summary; with
//! `FUNNEL_REQUIRE_PG` set (`.ci/run` sets it too) they fail instead. Every test makes its own
//! database and roles, and drops them, so they run in parallel.

use std::io::Write;

mod common;
mod team_hub;

use funnel::domain::{ActivityKind, NewActivity, Stage};
use funnel::store::{CardFilter, Flaw, Keep};
use funnel::sync::{self, Options, Progress, SyncError, hub};
use postgres::{Client, NoTls};
use team_hub::{Hub, Person, next_millisecond, report, team};

/// Without PostgreSQL the tests of this file pass in no time, as if they had run: this one says
/// in the summary of `cargo test` how many were skipped and why, and fails a run that requires
/// them (`FUNNEL_REQUIRE_PG`) when the server is missing or does not answer.
#[test]
fn postgresql_tests_ran_or_say_why() {
    match common::postgresql("postgresql_tests_ran_or_say_why") {
        Some(admin) => {
            common::connect_postgresql(&admin)
                .simple_query("SELECT 1")
                .unwrap();
        }
        None => {
            // Every test of this file that needs the server starts by making its hub with a
            // name; every test of the hostile-client suite needs it.
            let skipped = include_str!("sync.rs").matches("Hub::new(\"").count()
                + include_str!("hostile_hub.rs").matches("#[test]").count()
                + include_str!("sync_review.rs").matches("#[test]").count();
            // Straight to stderr, past the harness's capture, so the summary shows it; on a
            // line of its own, as the harness may be half-way through another test's line.
            let _ = write!(
                std::io::stderr(),
                "\nskipped: {skipped} team-sync tests (tests/sync.rs, tests/hostile_hub.rs, \
                 tests/sync_review.rs) need \
                 PostgreSQL ({})\n",
                common::POSTGRESQL_HINT
            );
        }
    }
}

#[test]
fn two_sellers_and_a_lead_share_one_hub() {
    let Some(mut hub) = Hub::new("team") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, mut bob, mut lea) = team(&mut hub, dir.path());
    let a1 = ann.add("Acme renewal", "ann", 1000);
    ann.add("Beta pilot", "ann", 2000);
    let today = ann.store.today();
    ann.store.mark_won(&a1, None, today).unwrap();
    bob.add("Gamma rollout", "bob", 4000);
    let before = [
        report(&dir.path().join("ann.db")),
        report(&dir.path().join("bob.db")),
    ];

    for person in [&mut ann, &mut bob, &mut lea] {
        assert!(person.sync().refused.is_empty());
    }
    ann.sync();
    let lead = report(&dir.path().join("lea.db"));
    for key in [
        "rtv_cents",
        "sales_to_date_cents",
        "won_count",
        "open_count",
    ] {
        let sum = before[0][key].as_i64().unwrap() + before[1][key].as_i64().unwrap();
        assert_eq!(lead[key].as_i64().unwrap(), sum, "{key}");
    }
    // Sellers read their team's cards; everyone shares one funnel.
    let all = vec!["Acme renewal", "Beta pilot", "Gamma rollout"];
    assert_eq!(lea.titles(), all);
    assert_eq!(ann.titles(), all);
    assert_eq!(hub.count("funnels"), 1);

    // Running sync again changes nothing, anywhere.
    let rows = (hub.count("opportunities"), hub.count("records"));
    for person in [&mut ann, &mut bob, &mut lea] {
        let again = person.sync();
        assert_eq!((again.pushed, again.pulled, again.conflicts), (0, 0, 0));
        assert_eq!(person.store.sync_pending().unwrap(), (0, 0));
    }
    assert_eq!((hub.count("opportunities"), hub.count("records")), rows);
}

/// Who made a change travels with it: once a sync has told ann's file her member name, the
/// commands sign her changes with it (not the system's user name), and the lead who pulls her
/// card reads that ann made each move.
#[test]
fn a_card_moved_by_ann_says_ann_in_the_leads_history() {
    let Some(mut hub) = Hub::new("author") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let ann_url = hub.member("ann", "north", hub::Kind::Seller);
    let lea_url = hub.member("lea", "north", hub::Kind::Lead);
    let ann_db = dir.path().join("ann.db");
    let ann = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("funnel")
            .unwrap()
            .arg("--db")
            .arg(&ann_db)
            .args(args)
            .env("FUNNEL_SYNC_URL", &ann_url)
            .env("USER", "somebody")
            .env("XDG_CONFIG_HOME", dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    ann(&["sync"]);
    let id = ann(&["add", "--title", "Acme", "--value", "100", "--owner", "ann"]);
    let id = id.trim();
    ann(&["move", id, "problem_recognized", "--force"]);
    ann(&["sync"]);
    let mut lea = Person::new(dir.path(), "lea", lea_url);
    lea.sync();
    let history = lea.store.history(id).unwrap();
    let by: Vec<_> = history.iter().map(|e| e.by.as_deref()).collect();
    assert_eq!(by, [Some("ann"), Some("ann")]);
}

/// A first pull (a file without cards, loaded in bulk) still runs the schema's checks on what
/// the hub sends: a row refused is kept aside with the records of its card, and every other
/// row arrives.
#[test]
fn a_first_pull_checks_the_hubs_values_and_keeps_a_refused_row_aside() {
    let Some(mut hub) = Hub::new("first") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, _bob, mut lea) = team(&mut hub, dir.path());
    ann.add("Acme renewal", "ann", 1000);
    let bad = ann.add("Beta pilot", "ann", 2000);
    ann.sync();
    let set_stage = |stage: i32| {
        hub.admin_client()
            .execute(
                "UPDATE funnel_hub.opportunities
                 SET data = (data::jsonb || jsonb_build_object('stage', $2::int))::json
                 WHERE id = $1",
                &[&bad, &stage],
            )
            .unwrap();
    };

    set_stage(99);
    let report = lea.sync();
    assert_eq!(
        report.kept_aside, 2,
        "the card and its created event: {report:?}"
    );
    assert_eq!(report.pulled, 3, "the funnel, the other card and its event");
    assert_eq!(lea.titles(), ["Acme renewal"]);
    let aside = lea.store.kept_aside().unwrap();
    assert!(
        matches!(&aside[0].flaw, Flaw::Refused(why) if why.contains("CHECK")),
        "{aside:?}"
    );
    assert_eq!(aside[1].flaw, Flaw::CardAside);

    set_stage(Stage::ImpactDefined.index() as i32);
    // The hub keeps a row's JSON as sent: of a name sent twice, the last value counts.
    hub.admin_client()
        .execute(
            r#"UPDATE funnel_hub.opportunities
               SET data = ('{"stage": 99, ' || substr(data::text, 2))::json WHERE id = $1"#,
            &[&bad],
        )
        .unwrap();
    let report = lea.sync();
    assert_eq!((report.pulled, report.kept_aside), (2, 0), "{report:?}");
    assert_eq!(lea.titles(), ["Acme renewal", "Beta pilot"]);
    assert!(lea.store.kept_aside().unwrap().is_empty());
    let card = lea.store.opportunity(&bad).unwrap();
    assert_eq!(card.stage, Stage::ImpactDefined);
    assert_eq!(lea.sync().pulled, 0);
}

/// A card over the amount cap on the hub (pushed by an older client) used to stop every later
/// pull: it is kept aside, listed by `funnel conflicts`, fetched again by every sync, and
/// everything else keeps arriving.
#[test]
fn a_pulled_card_over_the_cap_is_kept_aside_and_later_pulls_go_on() {
    let Some(mut hub) = Hub::new("cap") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, _bob, mut lea) = team(&mut hub, dir.path());
    ann.add("Acme renewal", "ann", 1000);
    ann.sync();
    lea.sync();
    let bad = ann.add("Beta pilot", "ann", 2000);
    ann.sync();
    let set_value = |admin: &mut Client, cents: i64| {
        admin
            .execute(
                "UPDATE funnel_hub.opportunities
                 SET data = (data::jsonb || jsonb_build_object('value_cents', $2::bigint))::json
                 WHERE id = $1",
                &[&bad, &cents],
            )
            .unwrap();
    };
    set_value(&mut hub.admin_client(), i64::MAX);
    let report = lea.sync();
    assert_eq!(report.kept_aside, 2, "{report:?}");
    ann.add("Gamma rollout", "ann", 3000);
    ann.sync();
    let report = lea.sync();
    assert_eq!(report.kept_aside, 2, "tried again, kept again: {report:?}");
    assert_eq!(lea.titles(), ["Acme renewal", "Gamma rollout"]);
    let out = assert_cmd::Command::cargo_bin("funnel")
        .unwrap()
        .args(["--db", dir.path().join("lea.db").to_str().unwrap()])
        .args(["--lang", "en", "conflicts"])
        .env_remove("FUNNEL_SYNC_URL")
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains(&format!(
            "kept aside\topportunities {bad}\tvalue_cents is not an amount"
        )),
        "{listed}"
    );
    assert!(listed.contains("its card is kept aside"), "{listed}");

    // Set right on the hub without writing the row again (its transaction id stays behind the
    // cursor): only fetching what was kept aside brings it.
    let mut admin = hub.admin_client();
    admin
        .batch_execute("ALTER TABLE funnel_hub.opportunities DISABLE TRIGGER stamp_xid")
        .unwrap();
    set_value(&mut admin, 2500);
    let report = lea.sync();
    assert_eq!((report.pulled, report.kept_aside), (2, 0), "{report:?}");
    assert_eq!(lea.value(&bad), 25);
    assert!(lea.store.kept_aside().unwrap().is_empty());
}

#[test]
fn concurrent_edits_of_one_card_keep_a_conflict() {
    let Some(mut hub) = Hub::new("conflict") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, _bob, mut lea) = team(&mut hub, dir.path());
    let id = ann.add("Acme renewal", "ann", 1000);
    ann.sync();
    lea.sync();
    // Both change the card offline, lea later.
    ann.set_value(&id, 1500);
    next_millisecond();
    lea.set_value(&id, 1800);
    ann.sync();
    let report = lea.sync();
    assert_eq!(report.conflicts, 1);
    let conflicts = lea.store.conflicts().unwrap();
    let [c] = conflicts.as_slice() else {
        panic!("{conflicts:?}")
    };
    let value = |v: &serde_json::Map<_, _>| v["value_cents"].as_i64().unwrap() / 100;
    assert_eq!((value(&c.mine), value(&c.theirs)), (1800, 1500));
    // The newer edit won (lea's, made after ann's), on both sides once ann syncs again.
    assert_eq!(c.winner, Keep::Mine);
    ann.sync();
    assert_eq!((ann.value(&id), lea.value(&id)), (1800, 1800));

    // Taking the other version is a new change, which reaches everyone.
    lea.store
        .resolve_conflict(&c.id[..10], Keep::Theirs)
        .unwrap();
    assert!(lea.store.conflicts().unwrap().is_empty());
    lea.sync();
    ann.sync();
    assert_eq!((ann.value(&id), lea.value(&id)), (1500, 1500));
}

#[test]
fn a_sellers_write_to_anothers_card_is_refused_and_kept() {
    let Some(mut hub) = Hub::new("refused") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, mut bob, _lea) = team(&mut hub, dir.path());
    let id = ann.add("Acme renewal", "ann", 1000);
    ann.sync();
    bob.sync();
    bob.set_value(&id, 9000);
    // In the same batch, his own new card goes through.
    bob.add("Delta trial", "bob", 500);
    let report = bob.sync();
    // The card, and the history row of his change with it.
    let tables: Vec<&str> = report.refused.iter().map(|(t, ..)| t.as_str()).collect();
    assert_eq!(tables, ["opportunities", "card_history"], "{report:?}");
    assert!(
        (report.refused.iter()).all(|(.., why)| why.contains("row-level security")),
        "{report:?}"
    );
    // Kept locally, queued and marked refused; the hub still has ann's version.
    assert_eq!(bob.value(&id), 9000);
    assert_eq!(bob.store.sync_pending().unwrap(), (2, 2));
    ann.sync();
    assert_eq!(ann.value(&id), 1000);
    assert_eq!(ann.titles(), ["Acme renewal", "Delta trial"]);

    // The server itself refuses, whatever the client does: an update of ann's card touches
    // nothing, a card made in her name is an error.
    let mut direct = Client::connect(&bob.url, NoTls).unwrap();
    let updated = direct
        .execute(
            "UPDATE funnel_hub.opportunities SET owner = 'bob' WHERE id = $1",
            &[&id],
        )
        .unwrap();
    assert_eq!(updated, 0);
    let err = direct
        .execute(
            r#"INSERT INTO funnel_hub.opportunities (id, owner, team, hlc, data)
               VALUES ('x', 'ann', 'north', '0000000000001-00000-x',
                       '{"id": "x", "owner": "ann", "team": "north"}')"#,
            &[],
        )
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
    );
}

#[test]
fn a_sync_killed_mid_push_resumes_without_loss_or_duplicates() {
    let Some(mut hub) = Hub::new("resume") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, _bob, mut lea) = team(&mut hub, dir.path());
    ann.add_deals("ann", 5);
    let small = Options {
        batch: 2,
        stop_after: Some(2),
    };
    assert!(matches!(ann.sync_with(small), Err(SyncError::Stopped(2))));
    // The hub holds what it committed, the rest is still queued here.
    assert!(hub.count("opportunities") > 0);
    assert!(ann.store.sync_pending().unwrap().0 > 0);

    let resumed = ann.sync();
    assert!(resumed.refused.is_empty());
    assert_eq!(ann.store.sync_pending().unwrap(), (0, 0));
    // Each card once, with its one "created" event.
    assert_eq!(hub.count("opportunities"), 5);
    assert_eq!(hub.count("records"), 5);
    lea.sync();
    assert_eq!(lea.titles().len(), 5);
}

#[test]
fn the_board_syncs_in_the_background_and_shows_a_teammates_card() {
    use funnel::config::Config;
    use funnel::domain::Lang;
    use funnel::tui::worker;
    use funnel::tui::{Tui, render_text};
    use std::time::Duration;

    let Some(mut hub) = Hub::new("board") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, mut bob, _) = team(&mut hub, dir.path());
    bob.add("Gamma rollout", "bob", 4000);
    bob.sync();
    ann.add("Acme renewal", "ann", 1000);

    let path = ann.store.path().unwrap();
    let funnel = ann.store.resolve_funnel(None, "EUR", 1).unwrap();
    let mut tui = Tui::new(
        &mut ann.store,
        funnel,
        Lang::En,
        &Config::default(),
        (120, 30),
    )
    .unwrap();
    tui.app.color = false;
    tui.app.enable_sync(Duration::from_secs(60));
    assert!(render_text(&tui).contains("local changes pending"));
    assert!(!render_text(&tui).contains("Gamma rollout"));

    // The event loop's turn: the worker, on its own connection to the file, syncs.
    let worker = worker::spawn_sync(path, ann.url.clone(), Lang::En).unwrap();
    worker.pump(&mut tui);
    assert!(render_text(&tui).contains("syncing…"));
    assert!(
        worker.wait(&mut tui, Duration::from_secs(30)),
        "no sync result"
    );
    let screen = render_text(&tui);
    assert!(screen.contains("Gamma rollout"), "{screen}");
    assert!(screen.contains("synced 0 s ago"), "{screen}");
    assert!(!screen.contains("pending"), "{screen}");
    assert_eq!(tui.app.store.sync_pending().unwrap(), (0, 0));
    drop(tui);
    assert!(bob.sync().pulled > 0);
    assert!(bob.titles().contains(&"Acme renewal".to_owned()));
}

/// The board signs its changes with the member name its first background sync tells it, unless
/// config.toml names the user.
#[test]
fn the_board_signs_with_the_member_name_once_synced() {
    use funnel::config::Config;
    use funnel::domain::Lang;
    use funnel::tui::{Tui, worker};
    use std::time::Duration;

    let Some(mut hub) = Hub::new("board_by") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = hub.member("ann", "north", hub::Kind::Seller);
    for (user, after) in [(None, "ann"), (Some("Ana"), "Ana")] {
        let mut ann = Person::new(dir.path(), &format!("ann_{after}"), url.clone());
        // As the command line sets it: the user named, else the system's user name.
        ann.store.set_actor(user.unwrap_or("somebody"));
        let id = ann.add("Acme renewal", "ann", 1000);
        let funnel = ann.store.resolve_funnel(None, "EUR", 1).unwrap();
        let mut config = Config::default();
        config.user = user.map(str::to_owned);
        config.sync.url = Some(url.clone());
        let mut tui = Tui::new(&mut ann.store, funnel, Lang::En, &config, (120, 30)).unwrap();
        let worker = worker::start_sync(&mut tui, &config).unwrap();
        worker.pump(&mut tui);
        assert!(
            worker.wait(&mut tui, Duration::from_secs(30)),
            "no sync result"
        );
        let today = tui.app.store.today();
        tui.app.store.mark_won(&id, None, today).unwrap();
        let history = tui.app.store.history(&id).unwrap();
        let by: Vec<_> = history.iter().map(|e| e.by.as_deref()).collect();
        assert_eq!(by, [Some(user.unwrap_or("somebody")), Some(after)]);
    }
}

/// `sslmode=require` encrypts and checks the hub: its certificate must chain to a trusted root
/// and name the host. Uses the server's own certificate as the root (Debian's default server
/// has TLS on with a self-signed `localhost` one); skipped when the server has no TLS.
#[test]
fn tls_require_checks_the_hubs_certificate() {
    let Some(mut hub) = Hub::new("tls") else {
        return;
    };
    let mut admin = hub.admin_client();
    let show = |admin: &mut Client, what: &str| -> String {
        admin
            .query_one(&format!("SHOW {what}"), &[])
            .unwrap()
            .get(0)
    };
    let cert = show(&mut admin, "ssl_cert_file");
    if show(&mut admin, "ssl") != "on" || std::fs::metadata(&cert).is_err() {
        eprintln!("skipped: the PostgreSQL server has no TLS certificate this test can read");
        return;
    }
    hub.member("ann", "north", hub::Kind::Seller);
    let port = show(&mut admin, "port");
    let url = |host: &str| {
        format!(
            "host={host} port={port} dbname={db} user={db}_ann sslmode=require",
            db = hub.db
        )
    };
    let trusting = |name: &str| (name == "PGSSLROOTCERT").then(|| cert.clone().into());

    let mut client = sync::connect_with(&url("localhost"), trusting).unwrap();
    let encrypted: bool = client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(encrypted);
    let dir = tempfile::tempdir().unwrap();
    let mut ann = Person::new(dir.path(), "ann", url("localhost"));
    ann.add("Over TLS", "ann", 10);
    let report = sync::sync(&mut ann.store, &mut client, Options::default(), None).unwrap();
    assert!(report.pushed > 0, "{report:?}");

    // A certificate nobody vouches for, or one for another name, is refused with the reason.
    let refused = |result: Result<Client, SyncError>| result.err().expect("refused").to_string();
    let unknown = refused(sync::connect_with(&url("localhost"), |_| None));
    assert!(unknown.contains("certificate"), "{unknown}");
    let other_name = refused(sync::connect_with(&url("127.0.0.1"), trusting));
    assert!(other_name.contains("certificate"), "{other_name}");
    let bad_roots = refused(sync::connect_with(&url("localhost"), |name| {
        (name == "PGSSLROOTCERT").then(|| "/nonexistent/root.crt".into())
    }));
    assert!(bad_roots.contains("/nonexistent/root.crt"), "{bad_roots}");
}

#[test]
fn a_leads_target_reaches_the_sellers_and_a_seller_cannot_move_anothers() {
    let Some(mut hub) = Hub::new("targets") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, mut bob, mut lea) = team(&mut hub, dir.path());
    let set = |p: &mut Person, owner: Option<&str>, amount: i64| {
        let funnel = p.store.resolve_funnel(None, "EUR", 1).unwrap();
        p.store.set_target(&funnel, 2026, owner, amount).unwrap();
    };
    let target = |p: &Person, owner: Option<&str>| {
        let funnel = p.store.funnels().unwrap().remove(0);
        p.store.target(&funnel, 2026, owner).unwrap()
    };
    set(&mut lea, None, 50_000);
    set(&mut lea, Some("ann"), 20_000);
    // Ann sets her own later, before her first sync, under another id: hers, the newer, wins.
    next_millisecond();
    set(&mut ann, Some("ann"), 25_000);
    for person in [&mut lea, &mut ann, &mut bob] {
        assert!(person.sync().refused.is_empty());
    }
    lea.sync();
    for person in [&ann, &bob, &lea] {
        assert_eq!(target(person, None), Some(50_000));
        assert_eq!(target(person, Some("ann")), Some(25_000));
    }

    // Bob may move neither ann's target nor the team's: refused by the hub, kept in his file.
    set(&mut bob, Some("ann"), 1);
    set(&mut bob, None, 2);
    set(&mut bob, Some("bob"), 9_000);
    let report = bob.sync();
    assert_eq!(report.refused.len(), 2, "{report:?}");
    assert!(
        report
            .refused
            .iter()
            .all(|r| r.2.contains("row-level security")),
        "{report:?}"
    );
    assert_eq!(bob.store.sync_pending().unwrap(), (2, 2));
    assert_eq!(target(&bob, Some("ann")), Some(1));
    ann.sync();
    assert_eq!(target(&ann, Some("ann")), Some(25_000));
    assert_eq!(target(&ann, None), Some(50_000));
    assert_eq!(target(&ann, Some("bob")), Some(9_000));
}

/// A sync tells how far it has got: the rows pushed after each batch, the rows received with
/// each page, then once that they are all applied.
#[test]
fn a_sync_tells_its_progress_batch_by_batch() {
    let Some(mut hub) = Hub::new("progress") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, _, mut lea) = team(&mut hub, dir.path());
    ann.add_deals("ann", 5);
    /// The counts told in a row by `step`, until it no longer matches.
    fn counts(steps: &[Progress], step: fn(&Progress) -> Option<usize>) -> Vec<usize> {
        steps.iter().map_while(step).collect()
    }
    let (report, steps) = ann.sync_told(4);
    // Five cards, their "created" events and the funnel, in batches of at most 4 a table.
    assert_eq!(report.pushed, 11);
    let pushed = counts(&steps, |s| match s {
        Progress::Pushed(n) => Some(*n),
        _ => None,
    });
    assert!(pushed.len() >= 4 && pushed.is_sorted(), "{steps:?}");
    assert_eq!(pushed.last(), Some(&11), "{steps:?}");

    // Into an empty file: each page told as it comes, then finishing, once, last.
    let (report, steps) = lea.sync_told(4);
    assert_eq!((report.pushed, report.pulled), (0, 11));
    let (finishing, pages) = steps.split_last().unwrap();
    assert_eq!(*finishing, Progress::Finishing, "{steps:?}");
    let pulled = counts(pages, |s| match s {
        Progress::Received(n) => Some(*n),
        _ => None,
    });
    assert_eq!(pulled.len(), pages.len(), "{steps:?}");
    assert!(pulled.len() >= 4 && pulled.is_sorted(), "{steps:?}");
    assert_eq!(pulled.last(), Some(&11), "{steps:?}");
}

/// The payload clients apply says what the columns the access rules check say: a member who
/// forges the owner or team inside it is refused by the hub, and a forged row written before
/// the hub checked this is not applied by the clients that pull it.
#[test]
fn the_payloads_owner_and_team_are_the_checked_columns() {
    let Some(mut hub) = Hub::at_version("payload", 4) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, _bob, mut lea) = team(&mut hub, dir.path());
    let id = ann.add("Acme renewal", "ann", 1000);
    ann.add("Beta pilot", "ann", 2000);
    ann.sync();
    let forge = |client: &mut Client, field: &str, value: &str| {
        client.execute(
            "UPDATE funnel_hub.opportunities
             SET data = jsonb_set(data::jsonb, ARRAY[$2], to_jsonb($3::text))::json WHERE id = $1",
            &[&id, &field, &value],
        )
    };
    // A row forged on a hub of version 4, which did not check payloads: upgraded, the hub
    // keeps it (and works), and checks what is written since.
    let mut direct = Client::connect(&ann.url, NoTls).unwrap();
    forge(&mut direct, "owner", "carl").unwrap();
    let (old, new) = hub::init(&mut hub.admin_client()).unwrap();
    assert!(old == 4 && new > old);
    for (field, value) in [("owner", "carl"), ("team", "south"), ("id", "other")] {
        let err = forge(&mut direct, field, value).unwrap_err();
        assert_eq!(
            err.code(),
            Some(&postgres::error::SqlState::CHECK_VIOLATION),
            "{field}"
        );
    }
    // A name sent twice counts as clients read it: the last one.
    let err = direct
        .execute(
            r#"UPDATE funnel_hub.opportunities
               SET data = (substr(data::text, 1, length(data::text) - 1) || ', "team": "south"}')::json
               WHERE id = $1"#,
            &[&id],
        )
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&postgres::error::SqlState::CHECK_VIOLATION)
    );

    let report = lea.sync();
    assert_eq!(
        report.kept_aside, 2,
        "the card and its created event: {report:?}"
    );
    assert_eq!(lea.titles(), ["Beta pilot"]);
}

/// Stamps are held to the hub's clock: one more than 5 minutes ahead is refused by the hub
/// (forged, or from a laptop whose clock is wrong: it stays queued with the reason) and kept
/// aside by a pull (written before the hub checked), so it drags no one's clock.
#[test]
fn a_stamp_ahead_of_the_hubs_clock_is_refused_and_kept_aside() {
    let Some(mut hub) = Hub::new("clock") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, mut bob, mut lea) = team(&mut hub, dir.path());
    ann.add("Acme renewal", "ann", 1000);
    let report = ann.sync();
    assert!(report.clock_offset_ms.abs() < 5_000, "{report:?}");
    let gamma = bob.add("Gamma rollout", "bob", 4000);
    bob.sync();
    let mut direct = Client::connect(&bob.url, NoTls).unwrap();
    let forge = |client: &mut Client, hlc: &str| {
        client.execute(
            "UPDATE funnel_hub.opportunities SET hlc = $2 WHERE id = $1",
            &[&gamma, &hlc],
        )
    };
    for hlc in ["9999999999999-00000-ffffffffffffffff", "later"] {
        let err = forge(&mut direct, hlc).unwrap_err();
        assert_eq!(
            err.code(),
            Some(&postgres::error::SqlState::CHECK_VIOLATION),
            "{err}"
        );
    }

    // A laptop two years ahead stamps its changes two years ahead: refused, kept queued.
    let two_years = 2 * 365 * 24 * 3600 * 1000_i64;
    let ahead = chrono::Utc::now().timestamp_millis() + two_years;
    ann.add("Beta pilot", "ann", 2000);
    rusqlite::Connection::open(dir.path().join("ann.db"))
        .unwrap()
        .execute(
            "UPDATE opportunities SET hlc = printf('%013d-00000-aaaa', ?1)
             WHERE title = 'Beta pilot'",
            [ahead],
        )
        .unwrap();
    let report = ann.sync();
    assert!(
        report.refused[0].2.contains("ahead of the hub's clock"),
        "{report:?}"
    );
    // With its created event, which waits for its card.
    assert_eq!(ann.store.sync_pending().unwrap(), (2, 2));

    // A row stamped far ahead before the hub checked stamps is kept aside by the pull.
    let mut admin = hub.admin_client();
    admin
        .batch_execute("ALTER TABLE funnel_hub.opportunities DISABLE TRIGGER check_stamp")
        .unwrap();
    forge(&mut admin, "9999999999999-00000-ffffffffffffffff").unwrap();
    let report = lea.sync();
    assert_eq!(report.kept_aside, 2, "the card and its event: {report:?}");
    let aside = lea.store.kept_aside().unwrap();
    assert!(
        matches!(aside[0].flaw, Flaw::Ahead { minutes } if minutes > 1_000_000),
        "{aside:?}"
    );
    assert_eq!(lea.titles(), ["Acme renewal"]);
    // Lea's clock did not jump: her next change is stamped now.
    let acme = lea
        .store
        .opportunities(&lea.store.funnels().unwrap()[0], &CardFilter::default());
    let acme = acme.unwrap().remove(0).id;
    lea.set_value(&acme, 1100);
    let newest: String = rusqlite::Connection::open(dir.path().join("lea.db"))
        .unwrap()
        .query_row("SELECT max(hlc) FROM opportunities", [], |r| r.get(0))
        .unwrap();
    let millis: i64 = newest[..13].parse().unwrap();
    assert!(
        millis < chrono::Utc::now().timestamp_millis() + 1000,
        "{newest}"
    );
}

/// A new record of a card kept aside by an earlier pull waits with its card, even into a file
/// that holds no card yet (a first pull, loaded in bulk, would otherwise find it pointing at
/// nothing and stop).
#[test]
fn a_new_record_of_a_card_kept_aside_waits_with_it() {
    let Some(mut hub) = Hub::new("record") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, _bob, mut lea) = team(&mut hub, dir.path());
    let id = ann.add("Acme renewal", "ann", 1000);
    ann.sync();
    let mut admin = hub.admin_client();
    admin
        .execute(
            "UPDATE funnel_hub.opportunities
             SET data = (data::jsonb || '{\"value_cents\": -1}')::json WHERE id = $1",
            &[&id],
        )
        .unwrap();
    assert_eq!(lea.sync().kept_aside, 2);
    assert!(lea.titles().is_empty());
    admin
        .execute(
            "INSERT INTO funnel_hub.records (tbl, id, opportunity_id, hlc, data)
             SELECT tbl, 'copy', opportunity_id, hlc,
                    (data::jsonb || '{\"id\": \"copy\"}')::json
             FROM funnel_hub.records WHERE opportunity_id = $1",
            &[&id],
        )
        .unwrap();
    let report = lea.sync();
    assert_eq!(report.kept_aside, 3, "{report:?}");
    let kept = lea.store.kept_aside().unwrap();
    assert!(
        kept.iter()
            .any(|k| k.id == "copy" && k.flaw == Flaw::CardAside)
    );

    // Set right, the card arrives with all its records.
    admin
        .execute(
            "UPDATE funnel_hub.opportunities
             SET data = (data::jsonb || '{\"value_cents\": 100}')::json WHERE id = $1",
            &[&id],
        )
        .unwrap();
    let report = lea.sync();
    assert_eq!((report.pulled, report.kept_aside), (3, 0), "{report:?}");
    assert_eq!(lea.titles(), ["Acme renewal"]);
    assert!(lea.store.kept_aside().unwrap().is_empty());
}

/// A call logged on `card` on `day`, with `summary`.
fn call(day: chrono::NaiveDate, summary: &str) -> NewActivity {
    NewActivity {
        kind: ActivityKind::Call,
        on: day,
        at: chrono::NaiveTime::from_hms_opt(9, 30, 0),
        with: "Jo Park".into(),
        summary: summary.into(),
    }
}

/// The summaries of a card's activities, sorted.
fn logged(person: &Person, card: &str) -> Vec<String> {
    let mut summaries: Vec<String> = (person.store.activities(card).unwrap().into_iter())
        .map(|a| a.summary)
        .collect();
    summaries.sort();
    summaries
}

/// Activities merge as a union: a seller and her lead log on one card offline, another seller
/// on his, and after syncing everyone in the team has every activity, with no conflict. The
/// next step's day and time travel with the card; the card's last activity day never leaves
/// the file (it is not in the hub's payload) and is worked out again where the activities are
/// pulled, on a first pull and on the next ones.
#[test]
fn activities_merge_as_a_union_and_last_activity_is_worked_out_where_they_arrive() {
    let Some(mut hub) = Hub::new("activities") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, mut bob, mut lea) = team(&mut hub, dir.path());
    let acme = ann.add("Acme renewal", "ann", 1000);
    let gamma = bob.add("Gamma rollout", "bob", 4000);
    let today = ann.store.today();
    let days_ago = |n: u64| today - chrono::Days::new(n);
    ann.store
        .set_next_step(
            &acme,
            None,
            "Send the quote",
            Some(today),
            chrono::NaiveTime::from_hms_opt(14, 30, 0),
        )
        .unwrap();
    ann.sync();
    bob.sync();
    lea.sync();
    // Offline, the three log on the cards they may write.
    ann.store
        .log_activity(&acme, &call(days_ago(3), "ann's call"))
        .unwrap();
    ann.store
        .log_activity(&acme, &call(days_ago(1), "ann's second call"))
        .unwrap();
    lea.store
        .log_activity(&acme, &call(days_ago(2), "lea's call"))
        .unwrap();
    bob.store
        .log_activity(&gamma, &call(days_ago(5), "bob's call"))
        .unwrap();
    for person in [&mut ann, &mut bob, &mut lea] {
        let report = person.sync();
        assert!(
            report.refused.is_empty() && report.conflicts == 0,
            "{report:?}"
        );
    }
    ann.sync();
    bob.sync();
    let both = ["ann's call", "ann's second call", "lea's call"];
    for person in [&ann, &bob, &lea] {
        assert_eq!(logged(person, &acme), both);
        assert_eq!(logged(person, &gamma), ["bob's call"]);
        assert_eq!(
            person.store.last_activity(&acme).unwrap(),
            Some(days_ago(1))
        );
        assert_eq!(
            person.store.last_activity(&gamma).unwrap(),
            Some(days_ago(5))
        );
        let card = person.store.opportunity(&acme).unwrap();
        assert_eq!(card.fields.next_step_due, Some(today));
        assert_eq!(
            card.fields.next_step_at,
            chrono::NaiveTime::from_hms_opt(14, 30, 0)
        );
        // Pulling activities does not queue the card they are on.
        assert_eq!(person.store.sync_pending().unwrap(), (0, 0));
    }
    assert_eq!(hub.count("records WHERE tbl = 'activities'"), 4);
    // What travels: the next step's time, never the last activity.
    let payload: serde_json::Value = hub
        .admin_client()
        .query_one(
            "SELECT data::text FROM funnel_hub.opportunities WHERE id = $1",
            &[&acme],
        )
        .map(|r| serde_json::from_str(r.get(0)).unwrap())
        .unwrap();
    assert_eq!(payload["next_step_at"], 14 * 60 + 30);
    assert!(payload.get("last_activity").is_none(), "{payload}");
    assert!(payload.get("next_step_due").is_some(), "{payload}");

    // A newcomer's first pull (in bulk) works the last activity out too.
    let url = hub.member("max", "north", hub::Kind::Lead);
    let mut max = Person::new(dir.path(), "max", url);
    max.sync();
    assert_eq!(logged(&max, &acme), both);
    assert_eq!(max.store.last_activity(&acme).unwrap(), Some(days_ago(1)));
    assert_eq!(max.store.last_activity(&gamma).unwrap(), Some(days_ago(5)));

    // An activity removed travels as any change does, and the last activity day goes back
    // where it is pulled.
    let latest = ann.store.activities(&acme).unwrap().remove(0);
    assert_eq!(latest.summary, "ann's second call");
    ann.store.delete_activity(&latest.id).unwrap();
    ann.sync();
    for person in [&mut bob, &mut lea, &mut max] {
        assert_eq!(person.sync().pulled, 1);
        assert_eq!(logged(person, &acme), ["ann's call", "lea's call"]);
        assert_eq!(
            person.store.last_activity(&acme).unwrap(),
            Some(days_ago(2))
        );
        assert_eq!(person.store.sync_pending().unwrap(), (0, 0));
    }
    // The same activity changed on two sides is settled per row, the newer change winning,
    // and kept as no conflict.
    let leas = lea.store.activities(&acme).unwrap();
    let leas = leas.iter().find(|a| a.summary == "lea's call").unwrap();
    ann.store.delete_activity(&leas.id).unwrap();
    next_millisecond();
    lea.store.delete_activity(&leas.id).unwrap();
    for person in [&mut ann, &mut lea, &mut bob, &mut max] {
        let report = person.sync();
        assert_eq!(
            (report.conflicts, report.refused.len()),
            (0, 0),
            "{report:?}"
        );
    }
    assert_eq!(ann.sync().conflicts, 0);
    for person in [&ann, &bob, &lea, &max] {
        assert_eq!(logged(person, &acme), ["ann's call"]);
        assert_eq!(
            person.store.last_activity(&acme).unwrap(),
            Some(days_ago(3))
        );
        assert!(person.store.conflicts().unwrap().is_empty());
    }
    // Nothing more moves: every side holds all of it.
    for person in [&mut ann, &mut bob, &mut lea, &mut max] {
        let again = person.sync();
        assert_eq!(
            (again.pushed, again.pulled, again.conflicts),
            (0, 0, 0),
            "{again:?}"
        );
    }
}

/// Who may log on a card follows the card: a seller's activity on a teammate's card is refused
/// by the hub and stays queued with the reason; a seller of another team neither reads the
/// card's activities nor has them in his file.
#[test]
fn an_activity_follows_its_cards_rights() {
    let Some(mut hub) = Hub::new("activity_rights") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, mut bob, _lea) = team(&mut hub, dir.path());
    let url = hub.member("carl", "south", hub::Kind::Seller);
    let mut carl = Person::new(dir.path(), "carl", url);
    let acme = ann.add("Acme renewal", "ann", 1000);
    let today = ann.store.today();
    ann.store
        .log_activity(&acme, &call(today, "ann's call"))
        .unwrap();
    ann.sync();
    bob.sync();
    assert_eq!(logged(&bob, &acme), ["ann's call"]);
    bob.store
        .log_activity(&acme, &call(today, "bob's call"))
        .unwrap();
    let report = bob.sync();
    assert_eq!(report.refused.len(), 1, "{report:?}");
    assert_eq!(report.refused[0].0, "activities");
    assert!(
        report.refused[0].2.contains("row-level security"),
        "{report:?}"
    );
    assert_eq!(bob.store.sync_pending().unwrap(), (1, 1));
    ann.sync();
    assert_eq!(logged(&ann, &acme), ["ann's call"]);

    carl.sync();
    assert!(carl.titles().is_empty());
    let mut direct = Client::connect(&carl.url, NoTls).unwrap();
    let seen = direct
        .query(
            "SELECT id FROM funnel_hub.records WHERE tbl = 'activities'",
            &[],
        )
        .unwrap();
    assert!(seen.is_empty());
}

/// An activity the hub should never have taken (written with its checks off, as a hub changed
/// behind its back would serve it) is kept aside by the client that pulls it, with the reason,
/// and the card's other activities still arrive.
#[test]
fn a_pulled_activity_that_fails_the_checks_is_kept_aside() {
    let Some(mut hub) = Hub::new("activity_aside") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, _bob, mut lea) = team(&mut hub, dir.path());
    let acme = ann.add("Acme renewal", "ann", 1000);
    let today = ann.store.today();
    let good = ann
        .store
        .log_activity(&acme, &call(today, "a good call"))
        .unwrap();
    ann.sync();
    lea.sync();
    let mut admin = hub.admin_client();
    admin
        .batch_execute("ALTER TABLE funnel_hub.records DISABLE TRIGGER check_activity")
        .unwrap();
    for (id, change) in [
        ("bad-kind", "'{\"kind\": \"lunch\"}'"),
        ("bad-day", "'{\"day\": \"2026-02-30\"}'"),
        ("bad-minute", "'{\"at_minute\": 1440}'"),
        ("giant", "jsonb_build_object('summary', repeat('x', 10001))"),
    ] {
        admin
            .execute(
                &format!(
                    "INSERT INTO funnel_hub.records (tbl, id, opportunity_id, hlc, data)
                     SELECT tbl, $1, opportunity_id, hlc,
                            (data::jsonb || jsonb_build_object('id', $1::text) || {change})::json
                     FROM funnel_hub.records WHERE tbl = 'activities' AND id = $2"
                ),
                &[&id, &good.id],
            )
            .unwrap();
    }
    let report = lea.sync();
    assert_eq!(report.kept_aside, 4, "{report:?}");
    let kept = lea.store.kept_aside().unwrap();
    let column = |id: &str| match &kept.iter().find(|k| k.id == id).unwrap().flaw {
        Flaw::Activity { column } => column.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(column("bad-kind"), "kind");
    assert_eq!(column("bad-day"), "day");
    assert_eq!(column("bad-minute"), "at_minute");
    assert_eq!(column("giant"), "summary");
    // Said in the user's language, naming the field.
    let flaw = Flaw::Activity {
        column: "kind".into(),
    };
    assert!(
        flaw.say(funnel::domain::Lang::En)
            .contains("activity's kind")
    );
    assert!(
        flaw.say(funnel::domain::Lang::Fr)
            .contains("champ kind de l'activité")
    );
    assert_eq!(logged(&lea, &acme), ["a good call"]);
    assert_eq!(lea.store.last_activity(&acme).unwrap(), Some(today));
    // A first pull keeps them aside too.
    let url = hub.member("max", "north", hub::Kind::Lead);
    let mut max = Person::new(dir.path(), "max", url);
    assert_eq!(max.sync().kept_aside, 4);
    assert_eq!(logged(&max, &acme), ["a good call"]);
}
