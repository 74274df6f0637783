//! Coaching on the command line: past one-to-ones (`funnel meetings`) and a person's open
//! action items on their agenda (`funnel today`). Meetings are held in the board; here the
//! library writes them into the file, then the real binary reads it with today fixed.

use chrono::NaiveDate;
use predicates::prelude::*;
use serde_json::{Value, json};

mod common;

use common::Env;
use funnel::store::{Clock, Store};

/// Tuesday 8 December 2026.
const TODAY: &str = "2026-12-08";

fn run(env: &Env, args: &[&str]) -> assert_cmd::assert::Assert {
    env.command().env("FUNNEL_TODAY", TODAY).args(args).assert()
}

fn stdout(env: &Env, args: &[&str]) -> String {
    String::from_utf8(run(env, args).success().get_output().stdout.clone()).unwrap()
}

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// Ana (team north) with a seller meeting on 2 November (skill, two open items, one done) and
/// a later one without a skill; a team meeting over north with its lead lea on 9 November.
fn coached() -> Env {
    let env = Env::new();
    for (title, owner, team) in [("Pilot", "ana", "north"), ("Fleet", "cy", "south")] {
        let args = [
            "add", "--title", title, "--value", "1000", "--owner", owner, "--team", team,
        ];
        run(&env, &args).success();
    }
    let mut store = Store::open(&env.db()).unwrap();
    let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
    let on = |store: &mut Store, m, d| {
        store.set_clock(Clock::Fixed(date(m, d).and_hms_opt(10, 0, 0).unwrap()));
    };
    on(&mut store, 11, 2);
    let first = store.start_meeting(&funnel, "ana").unwrap();
    store.set_meeting_skill(&first.id, "Qualification").unwrap();
    let add = |store: &mut Store, meeting: &str, who: &str, text: &str, due| {
        store.add_action_item(meeting, who, text, due).unwrap()
    };
    add(
        &mut store,
        &first.id,
        "ana",
        "Call the CFO",
        Some(date(12, 1)),
    );
    add(
        &mut store,
        &first.id,
        "ana",
        "Send the deck",
        Some(date(12, 20)),
    );
    let done = add(&mut store, &first.id, "ana", "Update the cards", None);
    store.toggle_action_item(&done.id).unwrap();
    on(&mut store, 11, 9);
    let team = store.start_team_meeting(&funnel, "north", "lea").unwrap();
    store.set_meeting_skill(&team.id, "Coaching").unwrap();
    add(&mut store, &team.id, "lea", "Ride along with ana", None);
    on(&mut store, 11, 16);
    let second = store.start_meeting(&funnel, "ana").unwrap();
    store.set_meeting_notes(&second.id, "Quick check").unwrap();
    add(&mut store, &second.id, "ana", "Ask for the budget", None);
    env
}

#[test]
fn meetings_lists_a_sellers_one_to_ones_newest_first() {
    let env = coached();
    let text = stdout(&env, &["meetings", "--owner", "ana"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "One-to-ones with ana", "{text}");
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].starts_with("2026-11-16  seller"), "{text}");
    assert!(lines[1].contains("items: 0 done, 1 open"), "{text}");
    assert!(lines[1].ends_with("no skill chosen"), "{text}");
    assert!(lines[2].starts_with("2026-11-02  seller    ana"), "{text}");
    assert!(lines[2].contains("items: 1 done, 2 open"), "{text}");
    assert!(lines[2].ends_with("skill: Qualification"), "{text}");

    let fr = stdout(
        &env,
        &["--lang", "fr", "meetings", "--owner", "ana", "--limit", "1"],
    );
    assert_eq!(fr.lines().count(), 2, "{fr}");
    assert!(fr.contains("Entretiens individuels avec ana"), "{fr}");
    assert!(fr.contains("aucune compétence choisie"), "{fr}");
}

#[test]
fn meetings_of_a_team_as_json() {
    let env = coached();
    let doc: Value =
        serde_json::from_str(&stdout(&env, &["meetings", "--team", "north", "--json"])).unwrap();
    assert_eq!(doc["team"], "north");
    assert_eq!(doc["owner"], Value::Null);
    let meetings = doc["meetings"].as_array().unwrap();
    assert_eq!(meetings.len(), 1);
    let mut m = meetings[0].clone();
    assert!(m["id"].as_str().is_some_and(|id| !id.is_empty()));
    m["id"] = json!("");
    assert_eq!(
        m,
        json!({
            "id": "", "date": "2026-11-09", "kind": "team", "owner": "lea", "team": "north",
            "skill": "Coaching", "notes": "", "items_done": 0, "items_open": 1
        })
    );
    let text = stdout(&env, &["meetings", "--team", "north"]);
    assert!(text.contains("team      north, lead lea"), "{text}");
    // A team without meetings yet, and one that does not exist.
    let south = stdout(&env, &["meetings", "--team", "south"]);
    assert!(south.ends_with("no meeting yet\n"), "{south}");
    run(&env, &["meetings", "--team", "west"])
        .code(1)
        .stderr(predicate::str::contains("north, south"));
}

#[test]
fn meetings_needs_someone_and_refuses_a_stranger() {
    let env = coached();
    run(&env, &["meetings"])
        .code(1)
        .stderr(predicate::str::contains("--owner NAME or --team NAME"));
    run(&env, &["meetings", "--owner", "anna"])
        .code(1)
        .stderr(predicate::str::contains("ana, cy"));
    run(&env, &["meetings", "--owner", "ana", "--team", "north"])
        .code(1)
        .stderr(predicate::str::contains("cannot be used with"));
    // The configured user's meetings by default.
    let config = env.dir.path().join("funnel/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "user = \"ana\"\n").unwrap();
    let mine = stdout(&env, &["meetings"]);
    assert!(mine.starts_with("One-to-ones with ana"), "{mine}");
}

#[test]
fn today_lists_the_persons_open_action_items_overdue_marked() {
    let env = coached();
    let text = stdout(&env, &["today", "--owner", "ana"]);
    let items = text
        .split_once("Action items (3 open):\n")
        .unwrap_or_else(|| panic!("{text}"))
        .1;
    assert_eq!(
        items,
        "! 2026-12-01  Call the CFO\n  2026-12-20  Send the deck\n  no date     Ask for the budget\n"
    );
    let doc: Value =
        serde_json::from_str(&stdout(&env, &["today", "--owner", "ana", "--json"])).unwrap();
    let seen: Vec<(&str, &str, bool)> = doc["action_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["text"].as_str().unwrap(),
                i["due"].as_str().unwrap(),
                i["overdue"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("Call the CFO", "2026-12-01", true),
            ("Send the deck", "2026-12-20", false),
            ("Ask for the budget", "", false)
        ]
    );
    // Everyone's agenda is about cards; cy has no action item.
    let all: Value = serde_json::from_str(&stdout(&env, &["today", "--json"])).unwrap();
    assert_eq!(all["action_items"], json!([]));
    let cy = stdout(&env, &["today", "--owner", "cy"]);
    assert!(!cy.contains("Action items"), "{cy}");
    let fr = stdout(&env, &["--lang", "fr", "today", "--owner", "ana"]);
    assert!(fr.contains("Plan d'action (3 ouvertes) :"), "{fr}");
    assert!(fr.contains("sans date"), "{fr}");
}
