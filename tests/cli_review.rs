//! `funnel changes` run as scripts run it: the real binary on a temporary database, the days
//! of a story replayed with `FUNNEL_TODAY`, then the review read as text and as JSON.

use predicates::prelude::*;
use serde_json::{Value, json};

mod common;

use common::Env;

fn run_on(env: &Env, day: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    env.command().env("FUNNEL_TODAY", day).args(args).assert()
}

fn out_on(env: &Env, day: &str, args: &[&str]) -> String {
    let done = run_on(env, day, args).success();
    String::from_utf8(done.get_output().stdout.clone()).unwrap()
}

/// ana (team east) and bob (west): on 1 November ana adds Pilot (12,000, close 10 December)
/// and Renewal (5,000); bob adds Audit. On 15 November Pilot's close is pushed to 20
/// December, on 20 November to 15 January, and Pilot is forced to "decision criteria"; on
/// 25 November it goes back to "impact defined"; Renewal is lost (budget); ana adds Upsell
/// (3,000). Today is 8 December.
fn story() -> (Env, [String; 3]) {
    let env = Env::new();
    let add = |title: &str, value: &str, owner: &str, team: &str, day: &str| {
        let args = [
            "add",
            "--title",
            title,
            "--value",
            value,
            "--owner",
            owner,
            "--team",
            team,
            "--stage",
            "problem_recognized",
            "--expected-close",
            "2026-12-10",
        ];
        out_on(&env, day, &args).trim().to_owned()
    };
    let pilot = add("Pilot", "12000", "ana", "east", "2026-11-01");
    let renewal = add("Renewal", "5000", "ana", "east", "2026-11-01");
    add("Audit", "800", "bob", "west", "2026-11-01");
    let edit = |id: &str, day: &str, args: &[&str]| {
        run_on(&env, day, &[&["edit", id][..], args].concat()).success();
    };
    edit(&pilot, "2026-11-15", &["--expected-close", "2026-12-20"]);
    edit(&pilot, "2026-11-20", &["--expected-close", "2027-01-15"]);
    run_on(
        &env,
        "2026-11-20",
        &["move", &pilot, "decision_criteria", "--force"],
    )
    .success();
    run_on(&env, "2026-11-25", &["move", &pilot, "impact_defined"]).success();
    run_on(
        &env,
        "2026-11-25",
        &[
            "lost",
            &renewal,
            "--reason",
            "budget",
            "--date",
            "2026-11-25",
        ],
    )
    .success();
    let upsell = add("Upsell", "3000", "ana", "east", "2026-11-25");
    (env, [pilot, renewal, upsell])
}

#[test]
fn a_sellers_changes_as_json_are_the_story() {
    let (env, [pilot, renewal, upsell]) = story();
    let raw = out_on(
        &env,
        "2026-12-08",
        &[
            "changes",
            "--owner",
            "ana",
            "--since",
            "2026-11-10",
            "--json",
        ],
    );
    let doc: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(doc["owner"], "ana");
    assert_eq!(doc["team"], Value::Null);
    assert_eq!(
        (doc["since"].as_str(), doc["date"].as_str()),
        (Some("2026-11-10"), Some("2026-12-08"))
    );
    let ids: Vec<&str> = doc["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [&pilot, &renewal, &upsell],
        "warnings by value, then the rest"
    );
    assert_eq!(
        doc["cards"][0]["changes"],
        json!([
            {"kind": "close_pushed", "from": "2026-12-10", "to": "2027-01-15", "times": 2},
            {"kind": "unverified", "from": "problem_recognized", "to": "decision_criteria"},
            {"kind": "backward", "from": "decision_criteria", "to": "impact_defined"},
        ])
    );
    assert_eq!(doc["cards"][0]["warning"], true);
    assert_eq!(doc["cards"][0]["value"], "12000.00");
    assert_eq!(doc["cards"][0]["stage"], "impact_defined");
    assert_eq!(
        doc["cards"][1]["changes"],
        json!([{"kind": "lost", "reason": "budget"}])
    );
    assert_eq!(doc["cards"][2]["changes"], json!([{"kind": "new"}]));
    assert_eq!(doc["cards"][2]["warning"], false);
    let counts = &doc["counts"];
    assert_eq!(
        [
            &counts["cards"],
            &counts["pushed"],
            &counts["pushes"],
            &counts["unverified"],
            &counts["backward"],
            &counts["lost"],
            &counts["new"]
        ],
        [3, 1, 2, 1, 1, 1, 1]
    );
    assert_eq!(
        (
            counts["lost_value"].as_str(),
            counts["added_value"].as_str()
        ),
        (Some("5000.00"), Some("3000.00"))
    );
    assert_eq!(doc["overdue_items"], json!([]));
    assert_eq!(doc["more_stale"], false);

    // A quick date back; without one (and no meeting yet), 30 days back.
    let back = out_on(
        &env,
        "2026-12-08",
        &["changes", "--owner", "ana", "--since", "-2w", "--json"],
    );
    let back: Value = serde_json::from_str(&back).unwrap();
    assert_eq!(back["since"], "2026-11-24");
    assert_eq!(
        back["cards"][0]["changes"],
        json!([{"kind": "backward", "from": "decision_criteria", "to": "impact_defined"}])
    );
    let default: Value = serde_json::from_str(&out_on(
        &env,
        "2026-12-08",
        &["changes", "--owner", "ana", "--json"],
    ))
    .unwrap();
    assert_eq!(default["since"], "2026-11-08");
}

#[test]
fn changes_read_as_text_in_both_languages_and_by_team() {
    let (env, _) = story();
    let args = ["changes", "--owner", "ana", "--since", "2026-11-10"];
    let text = out_on(&env, "2026-12-08", &args);
    assert!(
        text.starts_with("Changes for ana since 2026-11-10 (today 2026-12-08)\n"),
        "{text}"
    );
    assert!(
        text.contains("  ! close date pushed 2× 2026-12-10 → 2027-01-15"),
        "{text}"
    );
    assert!(
        text.contains("  ↩ moved back Decision criteria → Impact defined"),
        "{text}"
    );
    assert!(text.contains("    new card"), "{text}");
    let french = out_on(&env, "2026-12-08", &[&args[..], &["--lang", "fr"]].concat());
    assert!(
        french.contains("  ! clôture repoussée 2× 2026-12-10 → 2027-01-15"),
        "{french}"
    );
    assert!(french.contains("  ! perdue : budget"), "{french}");

    let team = out_on(
        &env,
        "2026-12-08",
        &[
            "changes",
            "--team",
            "east",
            "--since",
            "2026-11-10",
            "--json",
        ],
    );
    let team: Value = serde_json::from_str(&team).unwrap();
    assert_eq!(
        (team["team"].as_str(), &team["owner"]),
        (Some("east"), &Value::Null)
    );
    assert_eq!(team["counts"]["cards"], 3, "bob's card is west's");
    let west = out_on(
        &env,
        "2026-12-08",
        &["changes", "--team", "west", "--since", "2026-12-01"],
    );
    assert!(
        west.contains("Nothing changed, and no action item is overdue."),
        "{west}"
    );
}

#[test]
fn a_mistyped_seller_or_team_or_a_day_to_come_is_refused() {
    let (env, _) = story();
    run_on(&env, "2026-12-08", &["changes", "--owner", "anna"])
        .code(1)
        .stderr(predicate::str::contains("ana, bob"));
    run_on(&env, "2026-12-08", &["changes", "--team", "north"])
        .code(1)
        .stderr(predicate::str::contains(
            "no seller has cards in team \"north\"",
        ));
    run_on(
        &env,
        "2026-12-08",
        &["changes", "--owner", "ana", "--since", "+1w"],
    )
    .code(1)
    .stderr(predicate::str::contains(
        "--since 2026-12-15 is after today",
    ));
    run_on(
        &env,
        "2026-12-08",
        &["changes", "--owner", "ana", "--since", "someday"],
    )
    .code(1);
    run_on(&env, "2026-12-08", &["changes"])
        .code(1)
        .stderr(predicate::str::contains("--owner NAME or --team NAME"));
    run_on(
        &env,
        "2026-12-08",
        &["changes", "--owner", "ana", "--team", "east"],
    )
    .code(1);
}
