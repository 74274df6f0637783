//! The seller's day on the command line, run as scripts run it: the real binary on a temporary
//! database, with today fixed (`FUNNEL_TODAY`) so quick dates and flags are deterministic.

use predicates::prelude::*;
use serde_json::Value;

mod common;

use common::Env;

/// Tuesday 8 December 2026.
const TODAY: &str = "2026-12-08";

fn run(env: &Env, args: &[&str]) -> assert_cmd::assert::Assert {
    env.command().env("FUNNEL_TODAY", TODAY).args(args).assert()
}

fn stdout(env: &Env, args: &[&str]) -> String {
    String::from_utf8(run(env, args).success().get_output().stdout.clone()).unwrap()
}

fn json(env: &Env, args: &[&str]) -> Value {
    serde_json::from_str(&stdout(env, args)).unwrap()
}

fn add(env: &Env, title: &str, value: &str, owner: &str) -> String {
    stdout(
        env,
        &["add", "--title", title, "--value", value, "--owner", owner],
    )
    .trim()
    .to_owned()
}

#[test]
fn next_log_done_and_show_keep_the_loop() {
    let env = Env::new();
    let id = add(&env, "Pilot", "12000", "ana");
    let short = &id[..13];
    run(
        &env,
        &["next", short, "Call the CFO", "--due", "demain 14h"],
    )
    .success()
    .stderr(predicate::str::contains(
        "next step: Call the CFO, due 2026-12-09 14:00",
    ));
    let raw = stdout(&env, &["show", short, "--json"]);
    // Each key once: the card's fields as `list --json` has them, then what `show` adds.
    assert_eq!(raw.matches("\"next_step_at\":").count(), 1, "{raw}");
    let card: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(card["next_step"], "Call the CFO");
    assert_eq!(card["next_step_due"], "2026-12-09");
    assert_eq!(card["next_step_at"], "14:00");
    assert_eq!(card["next_step_marker"], "later");
    assert_eq!(card["flags"], serde_json::json!([]));

    let logged = stdout(
        &env,
        &[
            "log",
            short,
            "--kind",
            "appel",
            "--note",
            "Budget; yes, Q1",
            "--with",
            "Marc",
            "--date",
            "2026-12-07",
        ],
    );
    assert_eq!(logged.trim().len(), 36, "{logged}");
    run(
        &env,
        &["done", short, "--next", "Send the proposal", "--due", "+1w"],
    )
    .success()
    .stderr(
        predicate::str::contains("done: Call the CFO")
            .and(predicate::str::contains("due 2026-12-15")),
    );
    let card = json(&env, &["show", short, "--json"]);
    assert_eq!(card["next_step"], "Send the proposal");
    assert_eq!(card["next_step_due"], "2026-12-15");
    assert_eq!(card["next_step_at"], "");
    assert_eq!(card["last_activity"], TODAY);
    let timeline = card["timeline"].as_array().unwrap();
    let activities: Vec<(&str, &str)> = timeline
        .iter()
        .filter(|e| e["type"] == "activity")
        .map(|e| (e["kind"].as_str().unwrap(), e["summary"].as_str().unwrap()))
        .collect();
    assert_eq!(
        activities,
        [("done", "Call the CFO"), ("call", "Budget; yes, Q1")]
    );
    assert!(
        timeline
            .iter()
            .any(|e| e["type"] == "stage" && e["event"] == "created"),
        "{timeline:?}"
    );
    assert!(
        timeline
            .iter()
            .any(|e| e["type"] == "change" && e["field"] == "next_step"),
        "{timeline:?}"
    );

    // Without a following step, the card is left without one and the user is told.
    run(&env, &["done", short])
        .success()
        .stderr(predicate::str::contains("this card has no next step now"));
    let card = json(&env, &["show", short, "--json"]);
    assert_eq!(card["next_step_marker"], "none");
    assert_eq!(card["flags"], serde_json::json!(["no_next_step"]));
    run(&env, &["done", short]).code(1);

    let text = stdout(&env, &["show", short]);
    assert!(
        text.contains("Pilot")
            && text.contains("Timeline")
            && text.contains("call with Marc: Budget; yes, Q1")
            && text.contains("no next step"),
        "{text}"
    );
    let fr = stdout(&env, &["--lang", "fr", "show", short]);
    assert!(
        fr.contains("Historique") && fr.contains("appel avec Marc : Budget; yes, Q1"),
        "{fr}"
    );
}

#[test]
fn a_step_without_a_date_is_kept_with_a_hint() {
    let env = Env::new();
    let id = add(&env, "Pilot", "100", "ana");
    run(&env, &["next", &id, "Find the sponsor"])
        .success()
        .stderr(predicate::str::contains(
            "without a date: the card stays flagged",
        ));
    let card = json(&env, &["show", &id, "--json"]);
    assert_eq!(card["next_step"], "Find the sponsor");
    assert_eq!(card["flags"], serde_json::json!(["no_next_step"]));
}

#[test]
fn errors_are_said_in_french_and_write_nothing() {
    let env = Env::new();
    let id = add(&env, "Pilot", "100", "ana");
    run(
        &env,
        &["--lang", "fr", "next", &id, "Appeler", "--due", "demian"],
    )
    .code(1)
    .stderr(predicate::str::contains(
        "--due « demian » : date non reconnue",
    ));
    run(
        &env,
        &["--lang", "fr", "next", &id, "Appeler", "--due", "31/02"],
    )
    .code(1)
    .stderr(predicate::str::contains("ce jour n'existe pas"));
    run(&env, &["next", &id, "Call", "--due", "tomorrow 25h"])
        .code(1)
        .stderr(predicate::str::contains("that time of day does not exist"));
    run(
        &env,
        &[
            "--lang",
            "fr",
            "log",
            &id,
            "--kind",
            "déjeuner",
            "--note",
            "x",
        ],
    )
    .code(1)
    .stderr(predicate::str::contains(
        "type d'activité inconnu « déjeuner »",
    ));
    run(&env, &["log", &id, "--kind", "done", "--note", "x"])
        .code(1)
        .stderr(predicate::str::contains("unknown kind of activity"));
    run(&env, &["--lang", "fr", "show", "ffffffff"])
        .code(1)
        .stderr(predicate::str::contains(
            "aucune opportunité ne correspond à « ffffffff »",
        ));
    run(&env, &["--lang", "fr", "done", &id])
        .code(1)
        .stderr(predicate::str::is_empty().not());
    let card = json(&env, &["show", &id, "--json"]);
    assert_eq!(card["next_step"], "");
    assert!(
        card["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["type"] != "activity")
    );
}

#[test]
fn edit_changes_only_the_fields_given() {
    let env = Env::new();
    let id = add(&env, "Pilot", "100", "ana");
    run(
        &env,
        &[
            "edit",
            &id,
            "--value",
            "1 500,50",
            "--account",
            "Acme",
            "--expected-close",
            "15/01",
            "--next-step",
            "Demo",
            "--due",
            "lundi prochain 9:30",
        ],
    )
    .success();
    let card = json(&env, &["show", &id, "--json"]);
    assert_eq!(card["title"], "Pilot");
    assert_eq!(card["owner"], "ana");
    assert_eq!(card["value"], "1500.50");
    assert_eq!(card["account"], "Acme");
    assert_eq!(card["expected_close"], "2027-01-15");
    assert_eq!(card["next_step"], "Demo");
    assert_eq!(card["next_step_due"], "2026-12-14");
    assert_eq!(card["next_step_at"], "09:30");
    run(&env, &["edit", &id, "--expected-close", "", "--due", ""]).success();
    let card = json(&env, &["show", &id, "--json"]);
    assert_eq!(card["expected_close"], "");
    assert_eq!(card["next_step_due"], "");
    assert_eq!(card["next_step_at"], "");
    run(&env, &["edit", &id])
        .code(1)
        .stderr(predicate::str::contains("nothing to change"));
    run(&env, &["edit", &id, "--value", "abc"]).code(1);
    run(&env, &["edit", &id, "--title", ""]).code(1);
}

#[test]
fn reopen_and_delete() {
    let env = Env::new();
    let id = add(&env, "Pilot", "100", "ana");
    run(&env, &["won", &id]).success();
    run(&env, &["reopen", &id])
        .success()
        .stderr(predicate::str::contains("reopened in Pre-funnel"));
    run(&env, &["reopen", &id]).code(1);
    assert_eq!(json(&env, &["show", &id, "--json"])["status"], "open");
    run(&env, &["delete", &id])
        .success()
        .stderr(predicate::str::contains("deleted: Pilot"));
    run(&env, &["show", &id])
        .code(1)
        .stderr(predicate::str::contains("no opportunity"));
    assert_eq!(stdout(&env, &["list"]), "");
}

/// Four cards: one overdue, one due today, one without a next step, one kept up.
fn four_cards(env: &Env) -> [String; 4] {
    let overdue = add(env, "Overdue", "100", "ana");
    run(env, &["next", &overdue, "Chase", "--due", "2026-12-01"]).success();
    let due = add(env, "Due today", "900", "ana");
    run(env, &["next", &due, "Call", "--due", "today 16:00"]).success();
    let none = add(env, "No step", "500", "bob");
    let kept = add(env, "Kept up", "700", "ana");
    run(env, &["next", &kept, "Demo", "--due", "+3d"]).success();
    run(env, &["edit", &kept, "--expected-close", "2027-03-31"]).success();
    [overdue, due, none, kept]
}

#[test]
fn today_lists_what_needs_the_seller_most_urgent_first() {
    let env = Env::new();
    let [overdue, due, none, _kept] = four_cards(&env);
    let agenda = json(&env, &["today", "--json"]);
    assert_eq!(agenda["date"], TODAY);
    assert!(agenda["owner"].is_null());
    let ids: Vec<&str> = agenda["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [overdue.as_str(), &due, &none]);
    assert_eq!(agenda["counts"]["overdue"], 1);
    assert_eq!(agenda["counts"]["due_today"], 1);
    assert_eq!(agenda["counts"]["no_next_step"], 1);
    assert_eq!(agenda["counts"]["inactive"], 0);
    assert_eq!(agenda["lines"][1]["next_step_at"], "16:00");
    assert_eq!(agenda["lines"][1]["value"], "900.00");
    assert_eq!(agenda["lines"][2]["next_step_due"], "");
    assert_eq!(agenda["lines"][2]["last_activity"], "");
    assert_eq!(agenda["lines"][0]["flags"], serde_json::json!(["overdue"]));
    assert_eq!(agenda["more"], false);

    let limited = json(&env, &["agenda", "--json", "--limit", "1"]);
    assert_eq!(limited["lines"].as_array().unwrap().len(), 1);
    assert_eq!(limited["more"], true);
    assert_eq!(limited["counts"]["no_next_step"], 1);

    run(&env, &["today", "--owner", "bobb"])
        .code(1)
        .stderr(predicate::str::contains("bobb"));
    let bob = json(&env, &["today", "--json", "--owner", "bob"]);
    assert_eq!(bob["lines"].as_array().unwrap().len(), 1);
    assert_eq!(bob["lines"][0]["title"], "No step");

    // The configured user is the default owner; --all shows everyone's.
    let config = env.dir.path().join("funnel/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "user = \"ana\"\n").unwrap();
    let ana = json(&env, &["today", "--json"]);
    assert_eq!(ana["owner"], "ana");
    assert_eq!(ana["lines"].as_array().unwrap().len(), 2);
    assert_eq!(
        json(&env, &["today", "--json", "--all"])["lines"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let text = stdout(&env, &["today", "--all"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains(TODAY), "{text}");
    assert!(
        lines[1].contains("1 overdue") && lines[1].contains("1 due today"),
        "{text}"
    );
    let first = lines.iter().position(|l| l.contains("Overdue")).unwrap();
    assert!(lines[first].starts_with('!'), "{text}");
    assert!(lines[first + 1].contains("Due today") && lines[first + 1].contains("16:00"));
    let fr = stdout(&env, &["--lang", "fr", "today", "--all"]);
    assert!(
        fr.contains("1 en retard") && fr.contains("Aujourd'hui"),
        "{fr}"
    );
}

#[test]
fn list_filters_on_the_next_step_and_the_close_date() {
    let env = Env::new();
    let [overdue, due, none, kept] = four_cards(&env);
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["list", "--json"];
        all.extend_from_slice(args);
        let mut ids: Vec<String> = json(&env, &all)
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    let sorted = |mut v: Vec<&String>| {
        v.sort();
        v.into_iter().cloned().collect::<Vec<_>>()
    };
    assert_eq!(ids(&["--overdue"]), [overdue.as_str()]);
    assert_eq!(ids(&["--no-next-step"]), [none.as_str()]);
    assert_eq!(
        ids(&["--due-before", "demain"]),
        sorted(vec![&overdue, &due])
    );
    assert_eq!(ids(&["--closing-before", "2027-04-01"]), [kept.as_str()]);
    assert_eq!(
        ids(&["--closing-before", "2027-03-31"]),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&["--due-before", "+1w", "--owner", "bob"]),
        Vec::<String>::new()
    );
    run(&env, &["--lang", "fr", "list", "--due-before", "bientôt"])
        .code(1)
        .stderr(predicate::str::contains("--due-before « bientôt »"));
}

#[test]
fn next_steps_go_to_a_calendar_file() {
    let env = Env::new();
    let id = add(&env, "Pilot, north; phase 2", "1200", "ana");
    run(
        &env,
        &["next", &id, "Call, then\nwrite", "--due", "2026-12-09"],
    )
    .success();
    run(&env, &["edit", &id, "--account", "Acme, Inc."]).success();
    let timed = add(&env, "Renewal", "500", "bob");
    run(&env, &["next", &timed, "Demo", "--due", "2026-12-10 9:30"]).success();
    add(&env, "Undated", "100", "ana");
    let closed = add(&env, "Closed", "100", "ana");
    run(&env, &["next", &closed, "Thank", "--due", "2026-12-09"]).success();
    run(&env, &["won", &closed]).success();

    let file = env.dir.path().join("steps.ics");
    run(
        &env,
        &[
            "agenda",
            "--ics",
            "--all",
            "--output",
            file.to_str().unwrap(),
        ],
    )
    .success();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//funnel//Next steps//EN\r\n"),
        "{text}"
    );
    // Long lines are folded: read them whole.
    let text = text.replace("\r\n ", "");
    // Commas, semicolons and newlines are escaped in text values.
    assert!(
        text.contains(r"SUMMARY:Call\, then write — Pilot\, north\; phase 2"),
        "{text}"
    );
    assert!(text.contains("DTSTART;VALUE=DATE:20261209"), "{text}");
    assert!(text.contains("DTEND;VALUE=DATE:20261210"), "{text}");
    assert!(text.contains("DTSTART:20261210T093000"), "{text}");
    assert!(text.contains("DTEND:20261210T100000"), "{text}");
    assert!(text.contains(&format!("UID:{id}@funnel")), "{text}");
    assert!(
        text.contains(r"DESCRIPTION:Account: Acme\, Inc.\nValue: €1\,200\nStage: Pre-funnel"),
        "{text}"
    );

    use icalendar::{Calendar, Component};
    let calendar: Calendar = text.parse().unwrap();
    let mut summaries: Vec<&str> = calendar
        .events()
        .map(|e| e.get_summary().unwrap())
        .collect();
    summaries.sort();
    assert_eq!(
        summaries,
        ["Call, then write — Pilot, north; phase 2", "Demo — Renewal"]
    );
    let pilot = calendar
        .events()
        .find(|e| e.get_uid() == Some(&format!("{id}@funnel")))
        .unwrap();
    let description = pilot.get_description().unwrap();
    assert!(
        description.starts_with("Account: Acme, Inc.\nValue: €1,200\n"),
        "{description}"
    );
    assert!(calendar.events().all(|e| e.get_timestamp().is_some()));

    // The seller's own by default; `export --format ics` has every open card's.
    let config = env.dir.path().join("funnel/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "user = \"bob\"\n").unwrap();
    let bob = stdout(&env, &["today", "--ics"]);
    assert_eq!(bob.matches("BEGIN:VEVENT").count(), 1, "{bob}");
    let all = stdout(&env, &["export", "--format", "ics"]);
    assert_eq!(all.matches("BEGIN:VEVENT").count(), 2, "{all}");
    run(&env, &["today", "--json", "--ics"]).code(1);
}

#[test]
fn report_gives_each_sellers_upkeep() {
    let env = Env::new();
    four_cards(&env);
    // ana: overdue (not kept), due today (kept), kept up (kept) -> 2 of 3; bob: 0 of 1.
    let report = json(&env, &["report", "--json"]);
    let mut upkeep: Vec<Value> = report["upkeep"].as_array().unwrap().clone();
    upkeep.sort_by_key(|u| u["owner"].as_str().unwrap().to_owned());
    assert_eq!(
        upkeep,
        [
            serde_json::json!({"owner": "ana", "open": 3, "kept": 2, "percent": 67}),
            serde_json::json!({"owner": "bob", "open": 1, "kept": 0, "percent": 0}),
        ]
    );
    let text = stdout(&env, &["report"]);
    assert!(text.contains("Upkeep") && text.contains("67%"), "{text}");
    let fr = stdout(&env, &["--lang", "fr", "report"]);
    assert!(fr.contains("Suivi") && fr.contains("67 %"), "{fr}");
}
